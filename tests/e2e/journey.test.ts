// The visitor's journey end to end in Debian's Chromium: the real API (its own database, the
// demo practice seeded) on one port, and a third-party page on another origin that embeds
// widget.js with one script tag. Book, see the confirmation, open the manage link, reschedule,
// cancel. Screenshots of every view at 375 and 1280 px go to tests/artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { CHROMIUM, artifacts, buildFrontEnd, launchChromium, shoot } from './support.ts';


function thirdPartyPage(api: string, attrs: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Third-party site</title>
<style>body { font: 16px/1.5 Georgia, serif; margin: 0 auto; max-width: 980px; padding: 16px; background: #fbfaf7; }</style></head>
<body><h1>Praxis am Park</h1><p>Book your appointment below.</p>
<script type="module" src="${api}/widget.js"></script>
<booking-widget ${attrs}></booking-widget></body></html>`;
}

/** The embedding site: a different origin from the API (another port). */
function startSite(api: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const attrs = url.pathname === '/pick'
      ? 'specialist="dr-weber" locale="en-GB" timezone="America/New_York"'
      : 'specialist="dr-weber" service="consultation" locale="en-GB" timezone="America/New_York"';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(thirdPartyPage(api(), attrs));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Waits for the calendar to load and moves on a month while the shown one has fewer than `n`
 * days with free times (near a month's end the rest of it may be a weekend).
 */
async function showDays(page: Page, n = 1) {
  for (let i = 0; i < 3; i++) {
    await page.locator('bw-calendar button.day').first().waitFor({ timeout: 15_000 });
    await page.locator('bw-calendar table[aria-busy=false]').waitFor({ timeout: 15_000 });
    if (await page.locator('bw-calendar button.day.available').count() >= n) return;
    await page.locator('bw-calendar button.nav').nth(1).click();
  }
  assert.fail(`no month with ${n} bookable days`);
}

describe('visitor journey from a third-party page', { timeout: 180_000 }, () => {
  let test: TestApp;
  let site: Server;
  let browser: Browser;
  let api = '';
  let siteUrl = '';

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildFrontEnd();
    site = await startSite(() => api);
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    // The real proof of work at its production difficulty: the widget solves it in Chromium.
    test = await startTestApp({ env: { ALLOWED_ORIGINS: `http://embedder.test,${siteUrl}`, BOOKING_CHALLENGE: 'pow' } });
    await seedDemo(test.app.db, { now: Date.now() });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`;
    assert.ok(existsSync(CHROMIUM), 'Debian chromium at /usr/bin/chromium');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => site?.close(r));
    await test?.close();
  });

  it('books, confirms, manages, reschedules and cancels', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

    // The service picker (no service attribute).
    await page.goto(`${siteUrl}/pick`);
    await page.locator('bw-service-picker button.service').first().waitFor();
    await shoot(page, '01-services');

    // The calendar: days with free times marked.
    await page.goto(`${siteUrl}/`);
    const available = page.locator('bw-calendar button.day.available');
    await showDays(page);
    await shoot(page, '02-calendar');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, '02-calendar-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Keyboard: the grid has one tab stop; Enter on it chooses the day.
    await available.first().focus();
    await page.keyboard.press('Enter');
    const slots = page.locator('bw-slot-list button.slot');
    await slots.first().waitFor();
    const label = await slots.first().getAttribute('aria-label');
    assert.match(label!, /\d{4}/, 'a slot is announced with its full date');
    await shoot(page, '03-slots');

    // Details: submitting empty shows inline errors, then a valid submit books.
    await slots.first().click();
    await page.locator('bw-details-form #name').waitFor();
    await page.locator('bw-details-form button[type=submit]').click();
    await page.locator('bw-details-form #name-error').waitFor();
    await shoot(page, '04-details-errors');
    await page.locator('bw-details-form #name').fill('Ada Lovelace');
    await page.locator('bw-details-form #email').fill('ada@example.com');
    await page.locator('bw-details-form #q-topic').fill('Finding a better sleep routine');
    await page.locator('bw-details-form #q-first_visit').selectOption('Yes');
    await shoot(page, '05-details');
    await page.locator('bw-details-form button[type=submit]').click();

    // Confirmation: both zones, .ics, Google link, the manage link.
    const heading = page.locator('bw-confirmation h2');
    await heading.waitFor({ timeout: 15_000 });
    assert.match(await heading.textContent() ?? '', /booked/);
    const manageUrl = await page.locator('bw-confirmation #manage-url').inputValue();
    assert.ok(manageUrl.startsWith(siteUrl) && manageUrl.includes('token='), manageUrl);
    assert.equal(await page.locator('bw-confirmation dd').count(), 2, 'visitor and specialist zones');
    assert.ok((await page.locator('bw-confirmation a[download]').getAttribute('href'))!.startsWith('data:text/calendar'));
    await shoot(page, '06-confirmation');
    const bookingId = new URL(manageUrl).searchParams.get('booking')!;
    const booked = await test.app.db.selectFrom('bookings').select(['starts_at', 'status']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    assert.equal(booked.status, 'confirmed');

    // The manage link, as if opened from the email.
    const manage = await context.newPage();
    manage.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await manage.goto(manageUrl);
    await manage.locator('bw-manage h2').waitFor({ timeout: 15_000 });
    await shoot(manage, '07-manage');
    assert.ok(!manage.url().includes('token='), `the token leaves the address bar: ${manage.url()}`);
    await manage.reload();
    await manage.locator('bw-manage h2').waitFor({ timeout: 15_000 });

    // The join link of the reminder emails opens the waiting room directly.
    const joinPage = await context.newPage();
    joinPage.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await joinPage.goto(`${manageUrl}&action=join`);
    await joinPage.locator('bw-waiting-room [role=timer]').waitFor({ timeout: 15_000 });
    await joinPage.close();

    // The waiting room (the call opens 5 minutes before; this booking is hours away).
    await manage.locator('bw-manage button.primary').click();
    await manage.locator('bw-waiting-room [role=timer]').waitFor();
    assert.equal(await manage.locator('bw-waiting-room button[part=enter]').getAttribute('aria-disabled'), 'true');
    assert.match(await manage.locator('bw-waiting-room .who').textContent() ?? '', /Anna Weber/);
    await shoot(manage, '08-waiting-room');
    await manage.locator('button.back').click();

    // Reschedule through the same calendar.
    await manage.locator('bw-manage button', { hasText: 'Reschedule' }).click();
    const days = manage.locator('bw-calendar button.day.available');
    await showDays(manage, 2);
    await days.nth(1).click();
    await manage.locator('bw-slot-list button.slot').last().click();
    await manage.locator('#move').waitFor();
    await shoot(manage, '09-reschedule');
    await manage.locator('#move').click();
    await manage.locator('bw-manage [role=status]').waitFor({ timeout: 15_000 });
    const moved = await test.app.db.selectFrom('bookings').select(['starts_at', 'status']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    assert.notEqual(moved.starts_at.getTime(), booked.starts_at.getTime(), 'the booking moved');

    // Cancel, asked first. Nothing was paid online (no Stripe here), so no refund is promised;
    // the prepaid journey with its refund is in payment.test.ts.
    await manage.locator('bw-manage #cancel').click();
    const refund = manage.locator('bw-manage #refund');
    await refund.waitFor();
    assert.match(await refund.textContent() ?? '', /cancel this booking/i);
    await shoot(manage, '10-cancel-confirm');
    await manage.locator('bw-manage #confirm-cancel').click();
    await manage.locator('bw-manage [role=status]', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    await shoot(manage, '11-cancelled');
    const cancelled = await test.app.db.selectFrom('bookings').select('status').where('id', '=', bookingId).executeTakeFirstOrThrow();
    assert.equal(cancelled.status, 'cancelled');

    assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
    await context.close();
  });

  it('runs the call view with Daily loaded lazily, and ends with a summary', async () => {
    // The join API needs a Daily account; here its answer is stubbed in the browser so the
    // widget's own call view (lazy daily-js chunk, frame in the shadow root, leave) can be seen.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const loaded: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`); });
    await page.goto(`${siteUrl}/`);
    const available = page.locator('bw-calendar button.day.available');
    await showDays(page);
    assert.ok(!loaded.some((u) => u.includes('daily')), 'daily-js is not part of the first load');
    await available.first().click();
    await page.locator('bw-slot-list button.slot').first().click();
    await page.locator('bw-details-form #name').fill('Grace Hopper');
    await page.locator('bw-details-form #email').fill('grace@example.com');
    await page.locator('bw-details-form #q-topic').fill('Work');
    await page.locator('bw-details-form #q-first_visit').selectOption('No');
    await page.locator('bw-details-form button[type=submit]').click();
    await page.locator('bw-confirmation h2').waitFor({ timeout: 15_000 });

    await page.route('**/api/bookings/*/join', (route) => route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': siteUrl },
      body: JSON.stringify({ roomUrl: 'https://example.daily.co/offline-room', token: 'x', startsAt: '', endsAt: '', role: 'visitor' }),
    }));
    // The frame cannot reach daily.co offline; it still mounts where it belongs.
    await page.route('https://**.daily.co/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<body style="background:#111"></body>' }));
    await page.locator('bw-confirmation button', { hasText: 'waiting room' }).click();
    await page.locator('bw-waiting-room').waitFor();
    // Move the page's clock into the join window (4 minutes before the start).
    const start = await page.evaluate(() => (document.querySelector('booking-widget') as unknown as { current: { start: string } }).current.start);
    await page.evaluate((t) => {
      const w = document.querySelector('booking-widget') as unknown as { now: () => number; requestUpdate(): void };
      w.now = () => t;
      w.requestUpdate();
    }, Date.parse(start) - 4 * 60_000);
    await page.locator('bw-waiting-room button[part=enter][aria-disabled=false]').waitFor();
    await page.locator('bw-waiting-room button[part=enter]').click();
    await page.locator('bw-call .frame iframe').waitFor({ state: 'attached', timeout: 20_000 }).catch((e) => {
      throw new Error(`${e.message}\n${problems.join('\n')}\n${loaded.filter((u) => !u.includes('/api/')).join('\n')}`);
    });
    assert.ok(loaded.some((u) => /widget-chunks\/daily-esm-.*\.js$/.test(u)), 'daily-js chunk loaded lazily now');
    await shoot(page, '12-call');
    await page.locator('bw-call .bar button').click();
    await page.locator('bw-ended h2').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('bw-call').count(), 0, 'call view (and its frame) gone');
    await shoot(page, '13-ended');
    await context.close();
  });

  for (const framework of ['react', 'vue']) {
    it(`works inside the ${framework} demo app (properties and events)`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${api}/demo/${framework}`);
      await showDays(page);
      // A property set by the framework: switching the language re-renders the widget in German.
      await page.locator('select').first().selectOption('de');
      await page.locator('bw-calendar button[aria-label*="Termine frei"]').first().waitFor();
      await page.locator('bw-calendar button.day.available').first().click();
      await page.locator('bw-slot-list button.slot').first().click();
      // An event handled by the framework: the log shows it.
      await page.locator('.log', { hasText: 'slot-selected' }).waitFor();
      await shoot(page, `14-demo-${framework}`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('books with the keyboard alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${siteUrl}/`);
    await showDays(page);
    /** The focused element, through every shadow root. */
    const focused = () => page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return { tag: el?.tagName.toLowerCase() ?? '', id: el?.id ?? '', cls: el?.className ?? '', text: el?.textContent?.trim() ?? '' };
    });
    const tabTo = async (match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if (match(await focused())) return;
      }
      assert.fail(`Tab never reached ${what}`);
    };
    await tabTo((f) => String(f.cls).includes('day available'), 'a day with times');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.locator('bw-slot-list button.slot').first().waitFor();
    await tabTo((f) => String(f.cls).includes('slot'), 'a time');
    await page.keyboard.press('Enter');
    await page.locator('bw-details-form #name').waitFor();
    await tabTo((f) => f.id === 'name', 'the name field');
    await page.keyboard.type('Keyboard User');
    await page.keyboard.press('Tab');
    await page.keyboard.type('keys@example.com');
    await page.keyboard.press('Tab'); // phone (optional)
    await page.keyboard.press('Tab');
    assert.equal((await focused()).id, 'q-topic');
    await page.keyboard.type('Only keys');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).id, 'q-first_visit');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'Book');
    await page.keyboard.press('Enter');
    await page.locator('bw-confirmation h2').waitFor({ timeout: 15_000 });
    assert.equal((await focused()).tag, 'h2', 'focus moves to the confirmation');
    await context.close();
  });
});
