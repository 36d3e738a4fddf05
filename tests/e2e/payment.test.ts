// A prepaid booking end to end in Debian's Chromium: a third-party page embeds widget.js, the
// visitor books the demo's consultation, pays on the (fake) Stripe Checkout page, comes back to
// the page it left, and sees the confirmation once Stripe's signed webhook has confirmed it; then
// cancels from the manage link and the policy's refund reaches Stripe. Also: coming back from
// Checkout without paying, and Checkout in a popup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TestClock } from '../helpers/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { startPayments, waitFor, type PaymentsHarness } from '../payments/support.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/artifacts');

function startSite(api: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const popup = (req.url ?? '').startsWith('/popup');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Praxis am Park</title></head><body><h1>Praxis am Park</h1>
<script type="module" src="${api()}/widget.js"></script>
<booking-widget specialist="dr-weber" service="consultation" locale="en-GB" timezone="Europe/Berlin"${popup ? ' checkout="popup"' : ''}></booking-widget></body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function showDays(page: Page) {
  for (let i = 0; i < 3; i++) {
    await page.locator('bw-calendar table[aria-busy=false]').waitFor({ timeout: 15_000 });
    if (await page.locator('bw-calendar button.day.available').count() >= 2) return;
    await page.locator('bw-calendar button.nav').nth(1).click();
  }
  assert.fail('no bookable days');
}

/** Chooses the n-th free day's first time and fills the consultation's form. */
async function fillBooking(page: Page, day: number, name: string) {
  await showDays(page);
  await page.locator('bw-calendar button.day.available').nth(day).click();
  await page.locator('bw-slot-list button.slot').first().click();
  await page.locator('bw-details-form #name').fill(name);
  await page.locator('bw-details-form #email').fill(`${name.split(' ')[0]!.toLowerCase()}@example.com`);
  await page.locator('bw-details-form #q-topic').fill('Sleep');
  await page.locator('bw-details-form #q-first_visit').selectOption('Yes');
  const submit = page.locator('bw-details-form button[type=submit]');
  assert.equal((await submit.textContent())?.trim(), 'Continue to payment');
  await submit.click();
  await page.locator('bw-payment #pay').waitFor({ timeout: 15_000 });
}

describe('a paid booking from a third-party page', { timeout: 180_000 }, () => {
  let h: PaymentsHarness;
  let site: Server;
  let browser: Browser;
  let siteUrl = '';

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error' });
    site = await startSite(() => h.api);
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    // The browser lives on the real clock: so do the API and the fake Stripe here.
    h = await startPayments({ clock: new TestClock(Date.now()), env: { ALLOWED_ORIGINS: siteUrl } });
    await seedDemo(h.t.app.db, { now: Date.now(), payments: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => site?.close(r));
    await h?.close();
  });

  it('holds, pays at Checkout, returns confirmed; the manage link shows the payment and the refund reaches Stripe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    await page.goto(`${siteUrl}/`);
    await showDays(page);
    assert.ok(!loaded.some((u) => u.includes('bw-payment')), 'the payment step is not part of the first load');

    await fillBooking(page, 0, 'Ada Lovelace');
    assert.ok(loaded.some((u) => /widget-chunks\/bw-payment-.*\.js$/.test(u)), 'loaded when needed');
    assert.match(await page.locator('bw-payment #amount').textContent() ?? '', /€90\.00/);
    assert.match(await page.locator('bw-payment #held').textContent() ?? '', /held for you until/);
    await page.screenshot({ path: path.join(artifacts, 'p1-payment.png'), fullPage: true });
    const booking = await h.t.database.db.selectFrom('bookings').selectAll().where('visitor_email', '=', 'ada@example.com').executeTakeFirstOrThrow();
    assert.equal(booking.status, 'awaiting_payment');

    // Stripe's hosted page (the fake's), then back to the page the visitor left.
    await page.locator('bw-payment #pay').click();
    await page.waitForURL(/\/pay\/cs_test_/);
    assert.match(await page.locator('#amount').textContent() ?? '', /90\.00/);
    await page.screenshot({ path: path.join(artifacts, 'p2-checkout.png'), fullPage: true });
    await page.locator('#pay').click();
    await page.waitForURL((u) => u.origin === siteUrl);
    const heading = page.locator('bw-confirmation h2');
    await heading.waitFor({ timeout: 20_000 });
    assert.match(await heading.textContent() ?? '', /booked/);
    assert.ok(!page.url().includes('bw_payment'), `the return parameters leave the address bar: ${page.url()}`);
    await page.screenshot({ path: path.join(artifacts, 'p3-confirmed.png'), fullPage: true });
    const confirmed = await h.t.database.db.selectFrom('bookings').select('status').where('id', '=', booking.id).executeTakeFirstOrThrow();
    assert.equal(confirmed.status, 'confirmed');
    const manageUrl = await page.locator('bw-confirmation #manage-url').inputValue();

    // The manage link: the payment, then a cancellation with the refund the policy gives.
    const manage = await context.newPage();
    await manage.goto(manageUrl);
    await manage.locator('bw-manage #payment').waitFor({ timeout: 15_000 });
    assert.match(await manage.locator('bw-manage #payment').textContent() ?? '', /€90\.00/);
    await manage.locator('bw-manage #cancel').click();
    const preview = (await h.call('GET', `/api/bookings/${booking.id}`, new URL(manageUrl).searchParams.get('token'))).body.refundPreview;
    assert.match(await manage.locator('bw-manage #refund').textContent() ?? '', /refund/i);
    await manage.locator('bw-manage #confirm-cancel').click();
    await manage.locator('bw-manage [role=status]', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    await h.runJobs();
    const pi = (await h.t.database.db.selectFrom('payments').select('stripe_payment_intent_id').where('booking_id', '=', booking.id).executeTakeFirstOrThrow()).stripe_payment_intent_id!;
    await h.stripe.drained();
    assert.deepEqual(h.stripe.refundsOf(pi).map((r) => r.amount), preview.cents > 0 ? [preview.cents] : []);
    if (preview.cents > 0) {
      await manage.reload();
      await manage.locator('bw-manage #payment').waitFor({ timeout: 15_000 });
      await waitFor('the refund shown', async () => /refund/.test(await manage.locator('bw-manage #payment').textContent() ?? '') || (await manage.reload(), false));
    }
    await manage.screenshot({ path: path.join(artifacts, 'p4-refunded.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('coming back from Checkout without paying: the hold stands and can be paid or released', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${siteUrl}/`);
    await fillBooking(page, 1, 'Grace Hopper');
    await page.locator('bw-payment #pay').click();
    await page.waitForURL(/\/pay\/cs_test_/);
    await page.locator('#cancel').click();
    await page.waitForURL((u) => u.origin === siteUrl);
    await page.locator('bw-payment h2', { hasText: 'Payment not completed' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(artifacts, 'p5-cancelled.png'), fullPage: true });
    const held = await h.t.database.db.selectFrom('bookings').select(['id', 'status']).where('visitor_email', '=', 'grace@example.com').executeTakeFirstOrThrow();
    assert.equal(held.status, 'awaiting_payment');
    await page.locator('bw-payment #release').click();
    await page.locator('bw-calendar').waitFor({ timeout: 15_000 });
    assert.equal((await h.t.database.db.selectFrom('bookings').select('status').where('id', '=', held.id).executeTakeFirstOrThrow()).status, 'cancelled');
    await context.close();
  });

  it('Checkout in a popup: the page that opened it shows the confirmation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${siteUrl}/popup`);
    await fillBooking(page, 0, 'Alan Turing');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('bw-payment #pay').click()]);
    await popup.waitForURL(/\/pay\/cs_test_/);
    await popup.locator('#pay').click();
    await page.locator('bw-confirmation h2').waitFor({ timeout: 20_000 });
    await popup.waitForEvent('close', { timeout: 10_000 }).catch(() => {});
    assert.ok(popup.isClosed(), 'the popup closes itself once back');
    const b = await h.t.database.db.selectFrom('bookings').select('status').where('visitor_email', '=', 'alan@example.com').executeTakeFirstOrThrow();
    assert.equal(b.status, 'confirmed');
    await context.close();
  });
});
