// A LiveKit consultation in Chromium with fake camera and microphone: the visitor joins from the
// manage link's waiting room in the widget, the specialist from the console, both through the
// real livekit-client (the built, lazily loaded chunks under the server's own CSP) against the
// LiveKit stand-in (tests/fakes/livekit-signal.ts; media forwarded by its page). Each sees the
// other's tile with live video; muting shows on the other side; the visitor's consent lets the
// specialist record (egress: the forwarding page records the room), and the recording plays from
// the visitor's manage page; the stand-in's webhooks reach the app, so the booking's state
// follows what happened in the room. Without webhooks, the call view's join report, confirmed
// through the stand-in's ListParticipants, does the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { FakeLiveKit } from '../fakes/livekit.ts';
import { createBooking, seedPractice, type Practice } from '../video/fixtures.ts';
import { CHROMIUM, artifacts, buildFrontEnd, shoot } from './support.ts';
import { waitFor } from '../notifications/support.ts';

const MIN = 60_000;
const APP_PORT = 16610;
const APP_URL = `http://127.0.0.1:${APP_PORT}`;


describe('a LiveKit call between the widget and the console', { timeout: 240_000 }, () => {
  let t: TestApp;
  let lk: FakeLiveKit;
  let p: Practice;
  let browser: Browser;
  let appUrl: string;
  let recordings: string;
  let sfuContext: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildFrontEnd();
    lk = await new FakeLiveKit().start();
    recordings = mkdtempSync(path.join(tmpdir(), 'bw16-e2e-rec-'));
    lk.recordingsDir = recordings;
    t = await startTestApp({ env: { VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, LIVEKIT_RECORDINGS_DIR: recordings, PUBLIC_URL: APP_URL } });
    // A fixed port (this range), so PUBLIC_URL, which the recording links use, is right.
    await t.app.listen({ port: APP_PORT, host: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    lk.webhookTarget = `${appUrl}/api/webhooks/livekit`;
    lk.signal.timeoutScale = 0.01; // the room closes 1.2 s (not 120 s) after the last one left
    p = await seedPractice(t.database.db);
    assert.ok(existsSync(CHROMIUM));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        // Loopback only on this machine: let WebRTC use it, with real addresses instead of mDNS names.
        '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
    });
    // The stand-in's media forwarding page, open for every call of this file.
    sfuContext = await browser.newContext();
    const sfu = await sfuContext.newPage();
    sfu.on('pageerror', (e) => problems.push(`sfu pageerror: ${e.message}`));
    sfu.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`sfu console: ${m.text()}`); });
    await sfu.goto(`${lk.url}/sfu`);
    await lk.signal.sfuReady();
  });

  after(async () => {
    await sfuContext?.close();
    await browser?.close();
    await t?.close();
    await lk?.stop();
    if (recordings) rmSync(recordings, { recursive: true, force: true });
  });

  async function open(context: BrowserContext, url: string, who: string): Promise<{ page: Page; loaded: string[] }> {
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    page.on('pageerror', (e) => problems.push(`${who} pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/favicon|Failed to load resource/.test(m.text())) problems.push(`${who} console: ${m.text()}`); });
    await page.goto(url);
    return { page, loaded };
  }

  /** The size of the video playing in the remote tile, once frames arrive. */
  const remoteVideo = (page: Page) => waitFor('remote video frames', () => page.evaluate(() => {
    const find = (root: Document | ShadowRoot): HTMLVideoElement | null => {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLVideoElement && el.closest('figure.remote')) return el;
        if (el.shadowRoot) { const v = find(el.shadowRoot); if (v) return v; }
      }
      return null;
    };
    const v = find(document);
    return v && v.videoWidth > 0 ? { width: v.videoWidth, height: v.videoHeight } : null;
  }), 30_000);

  it('visitor and specialist see each other, mute shows on the other side, and the room closes after they leave', async () => {
    const start = new Date(Date.now() - MIN); // started a minute ago: the outcome is decided when the call ends
    const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.recordedServiceId, startsAt: start.toISOString(), name: 'Vera Visitor' });

    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['camera', 'microphone'], locale: 'en-GB' });
    const visitor = await open(visitorContext, `${appUrl}/?booking=${b.id}&token=${b.manageToken}&action=join`, 'visitor');
    await visitor.page.locator('bw-waiting-room button[part=enter][aria-disabled=false]').waitFor({ timeout: 20_000 });
    // The service records: the visitor agrees in the waiting room, and the answer is stored.
    await visitor.page.locator('bw-waiting-room #consent').check();
    await waitFor('consent stored', async () =>
      (await t.database.db.selectFrom('bookings').select('recording_consent').where('id', '=', b.id).executeTakeFirstOrThrow()).recording_consent === true);
    assert.ok(!visitor.loaded.some((u) => /livekit|bw-call/i.test(u)), 'nothing of the call is loaded before the call');
    await visitor.page.locator('bw-waiting-room button[part=enter]').click();
    await visitor.page.locator('bw-livekit figure.local video').waitFor({ timeout: 30_000 });
    assert.ok(visitor.loaded.some((u) => /widget-chunks\/livekit-client[^/]*\.js$/.test(u)), `livekit-client arrived as its own chunk: ${visitor.loaded.filter((u) => u.includes('chunks')).join(', ')}`);
    assert.ok(!visitor.loaded.some((u) => /daily/.test(u)), 'daily-js is not loaded for a LiveKit room');
    await visitor.page.locator('bw-livekit figure.waiting').waitFor();
    // The join token changed nothing; the stand-in's participant_joined webhook does.
    await waitFor('in_progress from the webhook', async () =>
      (await t.database.db.selectFrom('bookings').select('status').where('id', '=', b.id).executeTakeFirstOrThrow()).status === 'in_progress');

    const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['camera', 'microphone'], locale: 'en-GB' });
    const host = await open(hostContext, `${appUrl}/console/?booking=${b.id}&action=join`, 'host');
    await host.page.locator('bc-sign-in #key').fill(p.specialistToken);
    await host.page.locator('bc-sign-in #key').press('Enter');
    await host.page.locator('bc-booking bw-waiting-room button[part=enter][aria-disabled=false]').waitFor({ timeout: 20_000 });
    await host.page.locator('bc-booking bw-waiting-room button[part=enter]').click();

    const seenByHost = await remoteVideo(host.page);
    const seenByVisitor = await remoteVideo(visitor.page);
    assert.ok(seenByHost.width > 0 && seenByVisitor.width > 0);
    assert.match(await host.page.locator('bw-livekit figure.remote figcaption').textContent() ?? '', /Vera Visitor/);
    assert.match(await visitor.page.locator('bw-livekit figure.remote figcaption').textContent() ?? '', /Dr Ada/);
    await shoot(visitor.page, 'livekit-visitor-call');
    await shoot(host.page, 'livekit-host-call');

    // The specialist records a few seconds of the call.
    await host.page.locator('bc-booking .record button', { hasText: 'Start recording' }).click();
    await host.page.locator('bc-booking .record [role=status]', { hasText: 'Recording' }).waitFor({ timeout: 15_000 });
    // The visitor is told, in the call, that it is being recorded.
    await visitor.page.locator('bw-livekit .recording', { hasText: 'being recorded' }).waitFor({ timeout: 15_000 });
    await host.page.waitForTimeout(2500);
    await host.page.locator('bc-booking .record button', { hasText: 'Stop recording' }).click();
    const recorded = await waitFor('egress_ended stored the file', async () =>
      (await t.database.db.selectFrom('bookings').select('recording_id').where('id', '=', b.id).executeTakeFirstOrThrow()).recording_id, 30_000);
    assert.match(recorded, /\.webm$/, `the forwarding page recorded the room ${problems.join('\n')}`);

    // The visitor turns the microphone off: the specialist's tile says so.
    await visitor.page.locator('bw-livekit .controls button', { hasText: 'Microphone off' }).click();
    assert.equal(await visitor.page.locator('bw-livekit .controls button', { hasText: 'Microphone off' }).getAttribute('aria-pressed'), 'true');
    await host.page.locator('bw-livekit figure.remote figcaption', { hasText: 'microphone off' }).waitFor({ timeout: 15_000 });

    // The specialist leaves: the visitor's view goes back to waiting for them.
    await host.page.locator('bw-livekit .controls button.leave').click();
    await host.page.locator('bw-livekit').waitFor({ state: 'detached', timeout: 15_000 });
    await visitor.page.locator('bw-livekit figure.waiting').waitFor({ timeout: 15_000 });
    await visitor.page.locator('bw-livekit .controls button.leave').click();
    await visitor.page.locator('bw-ended').waitFor({ timeout: 15_000 });

    // participant_left for both, then room_finished once the departure timeout passed: the
    // outcome is decided from who was there and how long (the visitor stayed seconds, under the
    // one-minute attendance floor, so it is a no_show; tests/video covers completed).
    const row = await waitFor('the outcome from room_finished', async () => {
      const r = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
      return r.ended_at ? r : null;
    });
    assert.equal(row.status, 'no_show');
    const presence = await t.database.db.selectFrom('call_presence').selectAll().where('booking_id', '=', b.id).execute();
    assert.deepEqual(presence.map((r) => r.role).sort(), ['specialist', 'visitor']);
    assert.ok(presence.every((r) => r.joined_at && r.left_at && r.left_at > r.joined_at));
    assert.equal(lk.rooms.has(`consult-${b.id}`), false, 'the room is gone');

    // The recording plays for both: the visitor from the manage page (a new tab with the
    // short-lived link), the specialist through the same API with their session.
    const manage = await open(visitorContext, `${appUrl}/?booking=${b.id}&token=${b.manageToken}`, 'visitor manage');
    const [player] = await Promise.all([visitorContext.waitForEvent('page'), manage.page.locator('bw-manage #recording').click({ timeout: 20_000 })]);
    await player.waitForURL(/\/api\/recordings\//, { timeout: 15_000 });
    assert.match(player.url(), new RegExp(`/api/recordings/${b.id}\\?expires=\\d+&signature=`));
    const played = await waitFor('the recording decodes', () => player.evaluate(() => {
      const v = document.querySelector('video');
      return v && v.videoWidth > 0 ? { width: v.videoWidth, height: v.videoHeight } : null;
    }), 20_000);
    assert.ok(played.width > 0);
    const hostLink = await host.page.evaluate(async (id) => {
      const session = JSON.parse(sessionStorage.getItem('booking-console:session')!);
      const res = await fetch(`/api/bookings/${id}/recording`, { headers: { authorization: `Bearer ${session.token}` } });
      return res.ok ? (await res.json()).url as string : `HTTP ${res.status}`;
    }, b.id);
    const file = await fetch(`${appUrl}${new URL(hostLink).pathname}${new URL(hostLink).search}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'video/webm');

    assert.deepEqual(problems, []);
    await Promise.all([visitorContext.close(), hostContext.close()]);
  });

  it('without webhooks, the widget\'s join report (confirmed with LiveKit\'s ListParticipants) turns the booking in_progress', async () => {
    const start = new Date(Date.now() + 2 * MIN);
    const b = await createBooking(t.database.db, { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: start.toISOString(), name: 'Vera Visitor' });
    const hooks = lk.webhookTarget;
    lk.webhookTarget = null; // the provider's webhooks are not set up
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['camera', 'microphone'], locale: 'en-GB' });
    try {
      const visitor = await open(context, `${appUrl}/?booking=${b.id}&token=${b.manageToken}&action=join`, 'visitor (report)');
      await visitor.page.locator('bw-waiting-room button[part=enter][aria-disabled=false]').waitFor({ timeout: 20_000 });
      await visitor.page.locator('bw-waiting-room button[part=enter]').click();
      await visitor.page.locator('bw-livekit figure.local video').waitFor({ timeout: 30_000 });
      assert.ok(visitor.loaded.some((u) => u.endsWith(`/api/bookings/${b.id}/presence`)), 'the call view reported the join');
      const row = await waitFor('in_progress from the confirmed report', async () => {
        const r = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
        return r.status === 'in_progress' ? r : null;
      });
      assert.ok(row.visitor_joined_at);
      assert.ok(lk.calls.includes('ListParticipants'), 'the server asked LiveKit');
      const sids = [...lk.signal.participants.values()].filter((x) => x.room === `consult-${b.id}`).map((x) => x.sid);
      const presence = await t.database.db.selectFrom('call_presence').selectAll().where('booking_id', '=', b.id).execute();
      assert.deepEqual(presence.map((r) => r.session), sids, 'keyed by the participant sid, as participant_joined would be');
      await visitor.page.locator('bw-livekit .controls button.leave').click();
      await visitor.page.locator('bw-ended').waitFor({ timeout: 15_000 });
    } finally {
      lk.webhookTarget = hooks;
      await context.close();
    }
  });
});
