// Recording, end to end at the API: only with the visitor's stored consent, started and stopped by
// the specialist while the call runs (Daily's recording API, LiveKit room-composite egress), stored
// by the provider's signed webhook, fetched by participants through an expiring link (LiveKit:
// a signed link to this server), and erased with the visitor's data.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { FakeLiveKit } from '../fakes/livekit.ts';
import { eraseVisitor } from '../../server/privacy/erase.ts';
import { MIN, bearer, createBooking, seedPractice, type Practice } from './fixtures.ts';
import { waitFor } from '../notifications/support.ts';

const sec = (ms: number) => Math.floor(ms / 1000);


describe('Daily recordings', () => {
  let t: TestApp;
  let fake: FakeDaily;
  let p: Practice;
  let hook: string;
  const start = Date.now() + 60 * MIN;
  const clock = new TestClock(start - 2 * MIN);

  before(async () => {
    fake = await new FakeDaily().start();
    t = await startTestApp({ clock, env: { DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url, DAILY_WEBHOOK_SECRET: fake.webhookSecret, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    hook = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/webhooks/daily`;
    fake.webhookTarget = hook;
    fake.clock = () => clock.now();
    p = await seedPractice(t.database.db);
  });
  after(async () => { await t.close(); await fake.stop(); });

  let day = 0;
  async function inCall(serviceId = p.recordedServiceId) {
    const startsAt = start + day++ * 24 * 60 * MIN;
    clock.set(startsAt - 2 * MIN);
    const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId, startsAt: new Date(startsAt).toISOString(), email: `v${day}@example.test` });
    const joined = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(p.specialistToken) });
    assert.equal(joined.statusCode, 200, joined.body);
    return { ...b, start: startsAt, room: `consult-${b.id}`, joined: joined.json() };
  }
  const record = (id: string, action: 'start' | 'stop', token = p.specialistToken) =>
    t.app.inject({ method: 'POST', url: `/api/specialist/bookings/${id}/recording`, headers: bearer(token), payload: { action } });
  const consent = (id: string, token: string, value: boolean) =>
    t.app.inject({ method: 'PUT', url: `/api/bookings/${id}/recording-consent`, headers: bearer(token), payload: { consent: value } });
  const someoneIn = (b: { room: string; start: number }) =>
    fake.sendWebhook(hook, 'participant.joined', { room: b.room, joined_at: sec(b.start - MIN), user_id: `specialist-${p.specialistId}`, owner: true, session_id: `s-${b.room}` }, { now: clock.now() });

  test('no recording without the visitor\'s consent, nor before anyone is in the call', async () => {
    const b = await inCall();
    assert.equal(b.joined.recording, undefined, 'no control offered before consent');
    assert.deepEqual(b.joined.recordingState, { offered: true, consent: null, status: 'none' });
    assert.equal((await record(b.id, 'start')).json().error, 'no_consent');
    assert.equal((await consent(b.id, b.manageToken, true)).statusCode, 200);
    assert.equal((await record(b.id, 'start')).json().error, 'not_in_call');
    const row = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(row.recording_consent, true);
    assert.ok(row.recording_consent_at, 'the answer is stored with its time');
    assert.equal(fake.activeRecordings.size, 0);
  });

  test('the specialist starts and stops it; the webhook stores it; both participants get a link, nobody else', async () => {
    const b = await inCall();
    await consent(b.id, b.manageToken, true);
    await someoneIn(b);
    const rejoin = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(p.specialistToken) });
    assert.equal(rejoin.json().recording, true, 'the host gets the control once the visitor agreed');
    const started = await record(b.id, 'start');
    assert.equal(started.statusCode, 200, started.body);
    assert.equal(started.json().status, 'recording');
    assert.equal(fake.activeRecordings.size, 1);
    assert.equal((await record(b.id, 'stop')).json().status, 'processing');
    await waitFor('recording stored', async () => (await t.database.db.selectFrom('bookings').select('recording_id').where('id', '=', b.id).executeTakeFirstOrThrow()).recording_id);
    const view = await t.app.inject({ url: `/api/bookings/${b.id}`, headers: bearer(b.manageToken) });
    assert.equal(view.json().recording.status, 'ready');
    for (const token of [b.manageToken, p.specialistToken]) {
      const link = await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(token) });
      assert.equal(link.statusCode, 200, link.body);
      assert.match(link.json().url, /\.mp4\?Expires=/);
    }
    for (const token of [ADMIN_TOKEN, p.otherSpecialistToken]) {
      assert.equal((await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(token) })).statusCode, 404);
    }
    assert.equal((await record(b.id, 'start', p.otherSpecialistToken)).statusCode, 404, 'another specialist cannot start it');
  });

  test('the visitor withdrawing consent stops a running recording', async () => {
    const b = await inCall();
    await consent(b.id, b.manageToken, true);
    await someoneIn(b);
    await record(b.id, 'start');
    assert.equal(fake.activeRecordings.size, 1);
    const res = await consent(b.id, b.manageToken, false);
    // Stopped: processing at Daily, or already ready if its webhook was quicker than this answer.
    assert.ok(['processing', 'ready'].includes(res.json().status), res.body);
    assert.equal(fake.activeRecordings.size, 0);
    assert.equal((await record(b.id, 'start')).json().error, 'no_consent');
  });

  test('a service that does not record: consent and start are refused', async () => {
    const b = await inCall(p.videoServiceId);
    assert.equal((await consent(b.id, b.manageToken, true)).json().error, 'recording_not_offered');
    assert.equal((await record(b.id, 'start')).json().error, 'recording_not_offered');
    assert.equal((await consent(b.id, p.specialistToken, true)).statusCode, 404, 'only the visitor answers');
  });
});

describe('LiveKit recordings (egress to files this server serves)', () => {
  let t: TestApp;
  let lk: FakeLiveKit;
  let p: Practice;
  let dir: string;
  const start = Date.now() + 60 * MIN;
  const clock = new TestClock(start - 2 * MIN);

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bw16-rec-'));
    lk = await new FakeLiveKit().start();
    lk.recordingsDir = dir;
    t = await startTestApp({ clock, env: { VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, LIVEKIT_RECORDINGS_DIR: dir } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    lk.webhookTarget = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/webhooks/livekit`;
    p = await seedPractice(t.database.db);
  });
  after(async () => { await t.close(); await lk.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('egress records the room; egress_ended stores the file; the signed link plays it and expires; erasure deletes it', async () => {
    const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.recordedServiceId, startsAt: new Date(start).toISOString(), email: 'lk@example.test' });
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(b.manageToken) })).statusCode, 200);
    await t.app.inject({ method: 'PUT', url: `/api/bookings/${b.id}/recording-consent`, headers: bearer(b.manageToken), payload: { consent: true } });
    await lk.sendWebhook(lk.webhookTarget!, { event: 'participant_joined', room: { name: `consult-${b.id}` }, participant: { sid: 'PA_v', identity: `visitor-${b.id}`, joinedAt: String(sec(start - MIN)) } });
    const started = await t.app.inject({ method: 'POST', url: `/api/specialist/bookings/${b.id}/recording`, headers: bearer(p.specialistToken), payload: { action: 'start' } });
    assert.equal(started.statusCode, 200, started.body);
    const [egress] = [...lk.egresses.values()];
    assert.equal(egress!.roomName, `consult-${b.id}`);
    assert.equal(egress!.layout, 'grid');
    await t.app.inject({ method: 'POST', url: `/api/specialist/bookings/${b.id}/recording`, headers: bearer(p.specialistToken), payload: { action: 'stop' } });
    const row = await waitFor('egress_ended stored', async () => {
      const r = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
      return r.recording_id ? r : null;
    });
    assert.match(row.recording_id!, new RegExp(`^consult-${b.id}/.+\\.mp4$`));
    assert.ok(existsSync(path.join(dir, row.recording_id!)));

    const link = await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(b.manageToken) });
    assert.equal(link.statusCode, 200, link.body);
    const url = new URL(link.json().url);
    const file = await t.app.inject({ url: url.pathname + url.search });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'video/mp4');
    assert.equal(file.headers['cache-control'], 'private, no-store');
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 60));
    assert.equal((await t.app.inject({ url: tampered.pathname + tampered.search })).statusCode, 403);
    clock.advance(16 * MIN);
    assert.equal((await t.app.inject({ url: url.pathname + url.search })).statusCode, 403, 'expired after 15 minutes');

    const report = await eraseVisitor(t.app, 'lk@example.test', 'admin');
    assert.equal(report.recordingsDeleted, 1);
    assert.ok(!existsSync(path.join(dir, row.recording_id!)), 'the file is gone');
    assert.equal((await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(p.specialistToken) })).statusCode, 404);
  });
});
