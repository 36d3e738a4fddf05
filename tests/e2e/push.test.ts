// Web Push to a specialist, end to end in Debian's Chromium: the specialist signs in to the
// console with their key and turns push on in Account; the console registers its service worker
// (/console/sw.js) and calls PushManager.subscribe with the server's VAPID key, and Chromium
// really subscribes, through its GCM client pointed at a local stand-in for Google's push
// service (tests/fakes/gcm.ts: checkin, registration, the MCS connection, the push endpoint).
// The console posts the subscription Chromium made; a booking is made; the server's web-push
// sends the new-booking message to the subscription's endpoint, where the stand-in checks the
// VAPID JWT (and that it is signed by the key the browser subscribed with) and hands the still
// encrypted body to Chromium over MCS; Chromium decrypts it (RFC 8291) and the console's service
// worker shows it as a notification, which the test reads back from the page. Turning push off
// removes the subscription.
//
// Why the flags: Chromium's PushManager needs a persistent profile (in an incognito context, as
// Playwright's browser.newContext() makes, subscribe() rejects with "permission denied") and
// Google's GCM servers (offline here, subscribe() never settles), hence a persistent context
// and --gcm-checkin-url, --gcm-registration-url, --gcm-mcs-endpoint.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import webpush from 'web-push';
import { startTestApp, testResolve, type TestApp } from '../helpers/app.ts';
import { addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { CHROMIUM_PUSH_HOSTS, FakeGcm } from '../fakes/gcm.ts';
import { waitFor } from '../notifications/support.ts';
import { artifacts, buildFrontEnd, CHROMIUM, expectNoSeriousViolations } from './support.ts';

// Ports of issue 17 (15000 + 100 * issue + k).
const API_PORT = 16701;
const API = `http://127.0.0.1:${API_PORT}`;

describe('push notifications in Chromium', { timeout: 300_000 }, () => {
  let t: TestApp;
  let gcm: FakeGcm;
  let context: BrowserContext;
  let page: Page;
  let p: Practice;
  let profile = '';
  const vapid = webpush.generateVAPIDKeys();
  const problems: string[] = [];
  const originalConnect = https.globalAgent.createConnection;

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildFrontEnd();
    gcm = await new FakeGcm().start();
    // This process's HTTPS to the push service's host goes to the stand-in (web-push uses the
    // global agent), which presents a certificate for that host, trusted here only.
    https.globalAgent.options.ca = gcm.ca;
    https.globalAgent.createConnection = function (this: https.Agent, options: tls.ConnectionOptions & { host?: string }, cb?: () => void): Duplex {
      if (CHROMIUM_PUSH_HOSTS.includes(options.host ?? '')) return tls.connect({ ...options, host: '127.0.0.1', port: gcm.pushPort, servername: options.host, ca: gcm.ca }, cb);
      return (originalConnect as (this: https.Agent, o: unknown, cb?: () => void) => Duplex).call(this, options, cb);
    } as typeof https.globalAgent.createConnection;
    t = await startTestApp({
      env: {
        PUBLIC_URL: API, IN_PROCESS_WORKER: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '100000',
        VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@practice.test',
      },
      // The push endpoint must be a public address (the outbound policy stays on): the tests' table names this one.
      build: { resolveHost: async (host: string) => (CHROMIUM_PUSH_HOSTS.includes(host) ? [{ address: '142.250.180.14', family: 4 }] : testResolve(host)) },
    });
    await t.app.listen({ port: API_PORT, host: '127.0.0.1' });
    p = await addPractice(t.database.db, { timezone: 'Europe/Berlin' });
    profile = mkdtempSync(path.join(tmpdir(), 'bw-push-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Berlin',
      args: ['--no-sandbox', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run', ...gcm.chromiumArgs()],
    });
    await context.grantPermissions(['notifications'], { origin: API });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/favicon|Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  });

  after(async () => {
    await context?.close();
    await t?.close();
    await gcm?.stop();
    https.globalAgent.createConnection = originalConnect;
    delete https.globalAgent.options.ca;
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** The notifications the console's service worker is showing, as "title | body". */
  const shown = () => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/console/');
    return reg ? (await reg.getNotifications()).map((n) => `${n.title} | ${n.body}`) : [];
  });

  it('the console subscribes this browser with the server\'s key; a new booking arrives as a notification', async () => {
    await page.goto(`${API}/console`);
    await page.locator('bc-sign-in #key').fill(p.credential);
    await page.locator('bc-sign-in #key').press('Enter');
    await page.locator('bc-agenda h2').first().waitFor({ timeout: 20_000 });
    await page.locator('nav button[data-view-name="account"]').click();
    const enable = page.locator('bc-account button', { hasText: 'Turn on for this browser' });
    await enable.waitFor({ timeout: 20_000 });
    await expectNoSeriousViolations(page, 'account with push');
    await enable.click();
    const outcome = page.locator('bc-account .notice').first();
    await outcome.waitFor({ timeout: 30_000 });
    assert.equal((await outcome.textContent())?.trim(), 'Push notifications are on for this browser.', `problems: ${problems.join('; ')}`);
    await page.locator('bc-account ul.push li').first().waitFor({ timeout: 10_000 });

    // Chromium registered with the push service under the server's VAPID key: the applicationServerKey the console passed.
    const webPush = gcm.registrations.filter((r) => r.subtype?.startsWith(`wp:${API}/`));
    assert.equal(webPush.length, 1, JSON.stringify(gcm.registrations));
    assert.equal(webPush[0]!.sender, vapid.publicKey);
    const worker = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/console/'))?.active?.scriptURL ?? null);
    assert.equal(worker, `${API}/console/sw.js`);
    // What the console posted is what Chromium made: its endpoint and its keys.
    const [row] = await t.database.db.selectFrom('push_subscriptions').select(['endpoint', 'p256dh', 'auth', 'label']).where('specialist_id', '=', p.specialist.id).execute();
    const endpoint = new URL(row!.endpoint);
    assert.ok(CHROMIUM_PUSH_HOSTS.includes(endpoint.host), row!.endpoint);
    assert.equal(endpoint.pathname, `/fcm/send/${webPush[0]!.token}`, 'the endpoint Chromium built from the token the stand-in issued');
    assert.equal(await page.locator('bc-account ul.push li strong').textContent(), endpoint.host, 'listed by its push service');
    assert.equal(Buffer.from(row!.p256dh, 'base64url').length, 65);
    assert.equal(Buffer.from(row!.auth, 'base64url').length, 16);
    assert.match(row!.label, /Chrome/);
    const subscription = await page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration('/console/'))!.pushManager.getSubscription())!.toJSON());
    assert.deepEqual([subscription.endpoint, subscription.keys!.p256dh, subscription.keys!.auth], [row!.endpoint, row!.p256dh, row!.auth]);

    // A visitor books: the server pushes; Chromium decrypts it and the service worker shows it.
    await waitFor('the MCS connection', async () => gcm.connected || undefined, 20_000);
    const start = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000 + 10 * 3_600_000; // 11:00 in Berlin
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start, { visitor: { name: 'Ada Lovelace', email: 'ada@visitor.test', timezone: 'Europe/London' } }) as never });
    assert.equal(res.statusCode, 201, res.body);
    const notes = await waitFor('the notification in the service worker', async () => {
      const list = await shown();
      return list.length > 0 ? list : undefined;
    }, 30_000);
    assert.deepEqual(gcm.rejected, []);
    assert.equal(gcm.forwarded.length, 1);
    assert.equal(gcm.forwarded[0]!.vapidSubject, 'mailto:ops@practice.test');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /^New booking: Ada Lovelace/);
    const pushes = await t.database.db.selectFrom('notifications').select(['kind', 'status']).where('booking_id', '=', res.json().id).where('channel', '=', 'push').orderBy('send_at').execute();
    assert.deepEqual(pushes.map((x) => `${x.kind} ${x.status}`), ['specialist.new_booking sent', 'specialist.reminder pending', 'specialist.reminder pending'], 'the reminders wait for their time');
    const touched = await t.database.db.selectFrom('push_subscriptions').select('last_success_at').where('specialist_id', '=', p.specialist.id).executeTakeFirstOrThrow();
    assert.ok(touched.last_success_at, 'the subscription records its last delivery');
  });

  it('turning push off removes the subscription', async () => {
    await page.locator('bc-account ul.push button', { hasText: 'Turn off' }).click();
    await page.locator('bc-account .notice.good', { hasText: 'turned off' }).waitFor({ timeout: 10_000 });
    const left = await t.database.db.selectFrom('push_subscriptions').select('id').where('specialist_id', '=', p.specialist.id).execute();
    assert.equal(left.length, 0);
    assert.deepEqual(problems, []);
  });
});
