// The specialist's and the site owner's journeys in Debian's Chromium, against the real API with
// an empty database, a real SMTP server, the Daily fake behind the real Daily client code and the
// Google fake behind googleapis. The owner sets the practice up through the console alone
// (specialist, service, embedding origin and code, webhook, owner account); the specialist signs
// in from the invitation email, opens every day, approves the request a visitor makes on a
// third-party page, hosts the call inside the join window, sends the summary (which reaches the
// visitor's email and widget) and connects Google Calendar, landing back in the console. Every
// view is checked with axe and photographed at 375 and 1280 px in tests/artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { mimeParts, startSmtp, waitFor } from '../notifications/support.ts';
import { artifacts, buildFrontEnd, expectNoSeriousViolations, launchChromium, shoot, tabTo } from './support.ts';

// Ports of issue 14 (15000 + 100 * issue + k): links in emails must name the real address.
const API_PORT = 16401;
const SITE_PORT = 16402;
const HOOK_PORT = 16403;
const API = `http://127.0.0.1:${API_PORT}`;
const SITE = `http://127.0.0.1:${SITE_PORT}`;

const LENA = { name: 'Dr. Lena Fischer', email: 'lena@practice.test', slug: 'dr-lena-fischer' };
const VISITOR = { name: 'Ada Lovelace', email: 'ada@visitor.test' };
const GOOGLE_ACCOUNT = 'lena@gmail.test';

function listen(server: Server, port: number) {
  return new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

/** A third-party page embedding the widget with the code the console's embed builder gave. */
function startSite(): { server: Server; snippet: { value: string } } {
  const snippet = { value: '' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Praxis Fischer</title></head><body><h1>Praxis Fischer</h1>${snippet.value}</body></html>`);
  });
  return { server, snippet };
}

/** Receives the practice's webhooks. */
function startHookSink() {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
  });
  return { server, received };
}

const textOf = (raw: string) => mimeParts(raw).find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body;

describe('the console, from an empty database', { timeout: 420_000 }, () => {
  let test: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let daily: FakeDaily;
  let google: FakeGoogle;
  let browser: Browser;
  const site = startSite();
  const hooks = startHookSink();
  const problems: string[] = [];

  const mailTo = (email: string, match: RegExp) => waitFor(`mail to ${email} matching ${match}`, async () =>
    smtp.messages.find((m) => m.to.some((to) => to.toLowerCase() === email) && match.test(textOf(m.raw) + m.raw)), 20_000);
  /** The first link of the mail matching `pattern` that is not a join link (those open the waiting room). */
  const linkIn = (raw: string, pattern: RegExp) => new URL([...textOf(raw).matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]).find((u) => !u.includes('action=join'))!);

  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/favicon|daily\.co|Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
    await page.goto(url);
    return page;
  }

  /** Checks and photographs a console view once its heading is there. */
  async function view(page: Page, name: string, heading: string) {
    await page.locator(`${heading} h2`).first().waitFor({ timeout: 20_000 });
    await page.locator('[role=status].loading').first().waitFor({ state: 'detached', timeout: 20_000 }).catch(() => {});
    await expectNoSeriousViolations(page, name);
    await shoot(page, `console-${name}`);
  }

  const menu = (page: Page, name: string) => page.locator(`nav button[data-view-name="${name}"]`).click();

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildFrontEnd();
    smtp = await startSmtp();
    daily = await new FakeDaily().start();
    google = await new FakeGoogle().start();
    google.consentAccount = GOOGLE_ACCOUNT;
    google.addAccount(GOOGLE_ACCOUNT, [{ id: 'family@group.calendar.google.test', summary: 'Family', accessRole: 'owner' }]);
    await listen(site.server, SITE_PORT);
    await listen(hooks.server, HOOK_PORT);
    test = await startTestApp({
      env: {
        PUBLIC_URL: API, IN_PROCESS_WORKER: 'true', SMTP_URL: smtp.url,
        DAILY_API_KEY: daily.apiKey, DAILY_API_URL: daily.url, ...google.env(),
        // The owner's webhook receiver runs on this machine's loopback, which the outbound policy refuses by default.
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      },
    });
    await test.app.listen({ port: API_PORT, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await test?.close();
    await new Promise((r) => site.server.close(r));
    await new Promise((r) => hooks.server.close(r));
    await smtp?.close();
    await daily?.stop();
    await google?.stop();
  });

  it('the site owner sets up the practice in the browser alone', { timeout: 400_000 }, async () => {
    const owner = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    const page = await open(owner, `${API}/console`);
    await view(page, 'sign-in', 'bc-sign-in');

    // Keyboard only: to the key field, the admin token, Enter.
    await tabTo(page, (f) => f.id === 'key', 'the key field');
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await view(page, 'owner-bookings-empty', 'bc-bookings');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('booking-console:session')?.includes('test-admin-token')), false,
      'the admin token itself is never kept in the browser');

    // A specialist, invited by email at once (the zone is the owner's, Europe/Berlin).
    await menu(page, 'specialists');
    await page.locator('bc-specialists #add-specialist').click();
    await page.locator('bc-specialists #sp-name').fill(LENA.name);
    assert.equal(await page.locator('bc-specialists #sp-slug').inputValue(), LENA.slug, 'the slug follows the name');
    await page.locator('bc-specialists #sp-email').fill('not-an-email');
    await page.locator('bc-specialists #sp-specialty').fill('Clinical psychologist');
    await page.locator('bc-specialists form button[type=submit]').click();
    await page.locator('bc-specialists #sp-email[aria-invalid=true]').waitFor();
    await shoot(page, 'console-owner-specialist-error');
    await page.locator('bc-specialists #sp-email').fill(LENA.email);
    await page.locator('bc-specialists form button[type=submit]').click();
    await page.locator('bc-specialists [role=status]', { hasText: LENA.email }).waitFor();
    await view(page, 'owner-specialists', 'bc-specialists');
    const invitation = await mailTo(LENA.email, /invited/);

    // A service with every kind of field: a start every 5 minutes, no notice, approval, a question.
    await menu(page, 'services');
    await page.locator('bc-services #add-service').click();
    await page.locator('bc-services #sv-name').fill('Video consultation');
    await page.locator('bc-services #sv-duration').fill('30');
    await page.locator('bc-services #sv-step').selectOption('5');
    await page.locator('bc-services #sv-price').fill('60');
    await page.locator('bc-services #sv-notice').fill('0');
    await page.locator('bc-services #sv-approval').check();
    await page.locator('bc-services button', { hasText: 'Add a question' }).click();
    await page.locator('bc-services #q-0-label').fill('What would you like to discuss?');
    await page.keyboard.press('Tab');
    await page.locator('bc-services #q-0-type').selectOption('textarea');
    await page.locator('bc-services .question input[type=checkbox]').check();
    await shoot(page, 'console-owner-service-form');
    await page.locator('bc-services form button[type=submit]').click();
    await page.locator('bc-services [role=status]', { hasText: 'Video consultation' }).waitFor();
    await view(page, 'owner-services', 'bc-services');
    const service = await test.app.db.selectFrom('services').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([service.slug, service.duration_min, service.slot_step_min, service.min_notice_min, service.price_cents, service.currency, service.requires_approval],
      ['video-consultation', 30, 5, 0, 6000, 'EUR', true]);
    assert.equal(service.intake_questions[0]!.label, 'What would you like to discuss?');
    assert.equal((await test.app.db.selectFrom('specialist_services').selectAll().execute()).length, 1, 'offered by the new specialist');

    // The website: allow the site's origin, build the embed code, preview the real widget.
    await menu(page, 'embed');
    await page.locator('bc-embed #origin').fill(`${SITE}/any/page`);
    await page.locator('bc-embed form.toolbar button[type=submit]').click();
    await page.locator('bc-embed [role=status]', { hasText: SITE }).waitFor();
    await page.locator('bc-embed #e-specialist').selectOption(LENA.slug);
    await page.locator('bc-embed #e-service').selectOption('video-consultation');
    await page.locator('bc-embed #e-locale').selectOption('en');
    const snippet = await page.locator('bc-embed #snippet').inputValue();
    assert.equal(snippet, `<script type="module" src="${API}/widget.js"></script>\n<booking-widget specialist="${LENA.slug}" service="video-consultation" locale="en"></booking-widget>`);
    await page.locator('bc-embed button', { hasText: 'Show a preview' }).click();
    await page.locator('bc-embed booking-widget bw-calendar').waitFor({ timeout: 20_000 });
    await view(page, 'owner-embed', 'bc-embed');
    site.snippet.value = snippet;

    // A webhook: the secret once, a signed test delivery, its status.
    await menu(page, 'webhooks');
    await page.locator('bc-webhooks #wh-url').fill(`http://127.0.0.1:${HOOK_PORT}/hooks`);
    await page.locator('bc-webhooks form button[type=submit]').click();
    const secret = await page.locator('bc-webhooks #secret .secret').textContent();
    assert.match(secret ?? '', /^whsec_/);
    await page.locator('bc-webhooks button', { hasText: 'I have saved it' }).click();
    await page.locator('bc-webhooks button', { hasText: 'Send a test event' }).click();
    await waitFor('test webhook', async () => hooks.received.find((h) => h.body.includes('webhook.test')), 20_000);
    assert.ok(hooks.received[0]!.headers['webhook-signature'], 'signed');
    await page.locator('bc-webhooks button', { hasText: 'Recent deliveries' }).click();
    await page.locator('bc-webhooks button', { hasText: 'Recent deliveries' }).click();
    await page.locator('bc-webhooks td .badge.sent').waitFor({ timeout: 20_000 });
    await view(page, 'owner-webhooks', 'bc-webhooks');

    await menu(page, 'notifications');
    await page.locator('bc-notifications .empty').waitFor();
    await view(page, 'owner-notifications', 'bc-notifications');

    // Message texts: the Russian confirmation worded by the owner, previewed by the server
    // (markup in the owner's text stays text), saved.
    await menu(page, 'templates');
    await page.locator('bc-templates button.state[data-kind="visitor.confirmation"][data-lang="ru"]').click();
    await page.locator('bc-templates #pv-subject').waitFor({ timeout: 20_000 });
    await page.locator('bc-templates #tpl-body').fill('Добро пожаловать, <i>{{otherName}}</i>!');
    await waitFor('the server\'s preview of the new words', async () =>
      (await page.locator('bc-templates #pv-html').evaluate((f: HTMLIFrameElement) => f.srcdoc)).includes('Добро пожаловать, &lt;i&gt;Dr. Anna Weber&lt;/i&gt;!'), 20_000);
    // The email as it will look, in a frame that runs no script.
    const mail = page.frameLocator('bc-templates #pv-html').locator('body');
    await mail.getByText('Добро пожаловать, <i>Dr. Anna Weber</i>!').waitFor({ timeout: 10_000 });
    assert.equal(await mail.locator('i').count(), 0, 'no markup from a text');
    await page.locator('bc-templates .editor button[type=submit]').click();
    await page.locator('bc-templates button.state.custom[data-kind="visitor.confirmation"][data-lang="ru"]').waitFor({ timeout: 20_000 });
    const worded = await test.database.db.selectFrom('message_templates').selectAll().execute();
    assert.deepEqual(worded.map((w) => [w.kind, w.locale, w.subject, w.body]), [['visitor.confirmation', 'ru', null, 'Добро пожаловать, <i>{{otherName}}</i>!']]);
    await view(page, 'owner-templates', 'bc-templates');

    await menu(page, 'owners');
    await page.locator('bc-owners #ow-email').fill('office@practice.test');
    await page.locator('bc-owners form button[type=submit]').click();
    await page.locator('bc-owners li', { hasText: 'office@practice.test' }).waitFor();
    await view(page, 'owner-owners', 'bc-owners');
    await mailTo('office@practice.test', /invited/);

    // The specialist's invitation opens the console signed in (and the token leaves the address bar).
    const link = linkIn(invitation.raw, /http:\/\/127\.0\.0\.1:16401\/console\/\?signin=\S+/);
    const specialist = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    const sp = await open(specialist, link.toString());
    await view(sp, 'specialist-agenda-de', 'bc-agenda');
    assert.ok(!sp.url().includes('signin='), `the sign-in token left the address bar: ${sp.url()}`);
    assert.match(await sp.locator('bc-agenda h2').textContent() ?? '', /Termine/, 'in German');
    const again = await open(await browser.newContext(), link.toString());
    await again.locator('bc-sign-in [role=alert]').waitFor();
    assert.match(await again.locator('bc-sign-in [role=alert]').textContent() ?? '', /used already or has expired/, 'the link works once');

    // Open every day, all day: Monday 00:00-24:00, copied to the other six days.
    await menu(sp, 'schedule');
    await sp.locator('bc-schedule #h-1-0-start').waitFor();
    await sp.locator('bc-schedule #h-1-0-start').fill('00:00');
    await sp.locator('bc-schedule #h-1-0-end').fill('24:00');
    await sp.locator('bc-schedule fieldset.weekday').first().locator('button', { hasText: 'Kopieren nach' }).click();
    for (const box of await sp.locator('bc-schedule .copy input[type=checkbox]').all()) await box.check();
    await sp.locator('bc-schedule .copy button').click();
    await sp.locator('bc-schedule #save-hours').click();
    await sp.locator('bc-schedule .notice.good[role=status]').first().waitFor();
    const hours = await test.app.db.selectFrom('weekly_hours').selectAll().execute();
    assert.equal(hours.length, 7);
    assert.ok(hours.every((h) => h.start_time === '00:00:00' && h.end_time === '24:00:00'), JSON.stringify(hours));
    await sp.locator('bc-schedule .preview .times').first().waitFor({ timeout: 20_000 });
    await view(sp, 'specialist-schedule-de', 'bc-schedule');
    await menu(sp, 'agenda');
    await sp.locator('bc-agenda h2').waitFor();

    // A visitor on the third-party page requests the earliest time.
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'America/New_York' });
    const vp = await open(visitor, `${SITE}/`);
    await vp.locator('bw-calendar button.day.available').first().click({ timeout: 20_000 });
    await vp.locator('bw-slot-list button.slot').first().click();
    await vp.locator('bw-details-form #name').fill(VISITOR.name);
    await vp.locator('bw-details-form #email').fill(VISITOR.email);
    await vp.locator('bw-details-form #q-what_would_you_like_to_discuss').fill('Sleeping better');
    await vp.locator('bw-details-form button[type=submit]').click();
    await vp.locator('bw-confirmation h2', { hasText: 'Request sent' }).waitFor({ timeout: 20_000 });
    const request = await mailTo(VISITOR.email, /Request received/);
    const manageLink = linkIn(request.raw, /http:\/\/127\.0\.0\.1:16402\/\?booking=\S+/);

    // The agenda notices by itself, with the request on top; the detail shows the answer.
    await sp.bringToFront();
    await sp.locator('bc-agenda .pending button.booking').waitFor({ timeout: 30_000 });
    await view(sp, 'specialist-agenda-pending-de', 'bc-agenda');

    // The approval email's link opens the console at that booking, after signing in (a new tab
    // has no session): by email, and the emailed link carries the booking through.
    const approval = await mailTo(LENA.email, /Approval needed/);
    const fromEmail = linkIn(approval.raw, /http:\/\/127\.0\.0\.1:16401\/console\/\?booking=\S+/);
    const tab = await open(specialist, fromEmail.toString());
    await tab.locator('bc-sign-in h2').waitFor();
    assert.match(await tab.locator('bc-sign-in p.muted').first().textContent() ?? '', /Buchung aus Ihrer E-Mail/);
    await tab.locator('bc-sign-in #email').fill(LENA.email);
    await tab.locator('bc-sign-in button[type=submit].primary').click();
    await tab.locator('bc-sign-in #sent').waitFor();
    const signInMail = await mailTo(LENA.email, /Anmeldelink/);
    const signInLink = linkIn(signInMail.raw, /http:\/\/127\.0\.0\.1:16401\/console\/\?signin=\S+/);
    assert.equal(signInLink.searchParams.get('booking'), fromEmail.searchParams.get('booking'));
    await tab.goto(signInLink.toString());
    await tab.locator('bc-booking dd.answer', { hasText: 'Sleeping better' }).waitFor({ timeout: 20_000 });
    await tab.close();

    await sp.bringToFront();
    await sp.locator('bc-agenda .pending button.booking').click();
    await sp.locator('bc-booking dd.answer', { hasText: 'Sleeping better' }).waitFor();
    await view(sp, 'specialist-booking-pending-de', 'bc-booking');

    // Keyboard only: from the booking's heading to Approve.
    await tabTo(sp, (f) => f.id === 'approve', 'the Approve button');
    await sp.keyboard.press('Enter');
    await sp.locator('bc-booking .badge.confirmed').first().waitFor();
    await mailTo(VISITOR.email, /Confirmed: Video consultation/);
    const booking = await test.app.db.selectFrom('bookings').selectAll().executeTakeFirstOrThrow();
    assert.equal(booking.status, 'confirmed');

    // Host the call: the same waiting room and call view as the widget, with the session.
    await sp.route('https://**.daily.co/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<body style="background:#111"></body>' }));
    await sp.locator('bc-booking #host').click();
    await sp.locator('bc-booking bw-waiting-room button[part=enter][aria-disabled=false]').waitFor();
    await view(sp, 'specialist-waiting-room-de', 'bc-booking bw-waiting-room');
    await sp.locator('bc-booking bw-waiting-room button[part=enter]').click();
    await sp.locator('bc-booking bw-call .frame iframe').waitFor({ state: 'attached', timeout: 30_000 });
    await shoot(sp, 'console-specialist-call-de');
    // A join token is not presence (only the provider's webhooks tell who is in the room): the host got one, the booking waits.
    const joined = await test.app.db.selectFrom('bookings').select(['status', 'video_room_name']).executeTakeFirstOrThrow();
    assert.equal(joined.status, 'confirmed', 'not in progress before the provider reports someone in the room');
    assert.ok(daily.rooms.has(joined.video_room_name!), 'the room exists at the provider');
    assert.ok(!sp.url().includes(test.app.config.adminToken!) && !/token=/.test(sp.url()), 'no secret in the address');
    await sp.locator('bc-booking bw-call .bar button').click();
    await sp.locator('bc-booking .notice.good', { hasText: 'Anruf ist beendet' }).waitFor({ timeout: 20_000 });

    // The summary: saved, sent, in the visitor's email and their widget.
    await sp.locator('bc-booking #summary').fill('We agreed on a sleep diary for two weeks.');
    await sp.locator('bc-booking #send-summary').click();
    await sp.locator('bc-booking [role=status]', { hasText: 'an den Gast gesendet' }).waitFor();
    await view(sp, 'specialist-booking-after-call-de', 'bc-booking');
    const summaryMail = await mailTo(VISITOR.email, /shared a summary/);
    assert.match(textOf(summaryMail.raw), /We agreed on a sleep diary for two weeks\./);
    const manage = await open(visitor, manageLink.toString());
    await manage.locator('bw-manage .summary', { hasText: 'sleep diary' }).waitFor({ timeout: 20_000 }).catch(async (e) => {
      const dump = await manage.evaluate(() => document.querySelector('booking-widget')?.shadowRoot?.innerHTML.slice(0, 3000));
      throw new Error(`${e.message}\n${manage.url()}\n${dump}`);
    });
    await shoot(manage, 'console-visitor-manage-summary');

    // Google Calendar: the consent round trip lands back in the console.
    await menu(sp, 'calendars');
    await sp.locator('bc-calendars button.primary').click();
    await sp.waitForURL(/\/console\/\?view=calendars|\/console\/#|\/console\/$/, { timeout: 20_000 });
    await sp.locator('bc-calendars .notice.good', { hasText: 'Google Calendar ist verbunden' }).waitFor({ timeout: 20_000 });
    await sp.locator('bc-calendars input[name=busy-google]').first().waitFor();
    await view(sp, 'specialist-calendars-de', 'bc-calendars');
    assert.equal((await test.app.db.selectFrom('calendar_connections').select('status').executeTakeFirstOrThrow()).status, 'active');

    await menu(sp, 'account');
    await sp.locator('bc-account ul.plain li').first().waitFor();
    await view(sp, 'specialist-account-de', 'bc-account');

    // The owner sees the booking across the practice, finds it, exports it.
    await menu(page, 'bookings');
    await page.locator('bc-bookings #f-q').fill('lovelace');
    await page.locator('bc-bookings form button[type=submit]').click();
    await page.locator('bc-bookings td', { hasText: VISITOR.email }).waitFor();
    await view(page, 'owner-bookings', 'bc-bookings');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('bc-bookings .head button').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /^id,status,start/);
    assert.ok(csv.includes(VISITOR.email));
    await page.locator('bc-bookings td button.open').click();
    await page.locator('bc-booking .delivery').first().waitFor();
    await view(page, 'owner-booking', 'bc-booking');

    // Signing out ends the session on the server too.
    const token = JSON.parse((await sp.evaluate(() => sessionStorage.getItem('booking-console:session')))!).token as string;
    await sp.locator('#sign-out').click();
    await sp.locator('bc-sign-in h2').waitFor();
    const after = await fetch(`${API}/api/specialist/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.status, 401);

    // Russian, narrow: the sign-in page again.
    const ru = await open(await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ru-RU' }), `${API}/console`);
    await ru.locator('bc-sign-in h2', { hasText: 'Вход в консоль записей' }).waitFor();
    await view(ru, 'sign-in-ru', 'bc-sign-in');

    assert.deepEqual(problems, []);
  });
});
