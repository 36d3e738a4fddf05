// The call view's join report (POST /api/bookings/:id/presence), confirmed with the provider
// before it counts: Daily's room presence and LiveKit's ListParticipants, through the app's real
// provider code against the local fakes. A report the provider does not back changes nothing;
// a report and the provider's webhook for the same join leave one presence row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { FakeLiveKit } from '../fakes/livekit.ts';
import { BASE, MIN, bearer, createBooking, dailyStarts, seedPractice, type Practice } from './fixtures.ts';

const nextStart = dailyStarts();
const clock = new TestClock(BASE);
let daily: FakeDaily;
let lk: FakeLiveKit;
let t: TestApp;
let lkApp: TestApp;
let p: Practice;
let hook: string;

before(async () => {
  daily = await new FakeDaily().start();
  daily.clock = () => clock.now();
  lk = await new FakeLiveKit().start();
  t = await startTestApp({ clock, env: { DAILY_API_KEY: daily.apiKey, DAILY_API_URL: daily.url, DAILY_WEBHOOK_SECRET: daily.webhookSecret, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  hook = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/webhooks/daily`;
  lkApp = await startTestApp({ clock, database: t.database, env: { VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
  p = await seedPractice(t.database.db);
});
after(async () => { await lkApp.app.close(); await t.close(); await daily.stop(); await lk.stop(); });

const booking = (id: string) => t.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const presenceRows = (id: string) => t.database.db.selectFrom('call_presence').selectAll().where('booking_id', '=', id).execute();

/** A confirmed booking, the clock 4 min before its start, and a join answer for the visitor (and the specialist). */
async function joined(app: TestApp) {
  const startsAt = nextStart();
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt });
  const start = Date.parse(startsAt);
  clock.set(start - 4 * MIN);
  const join = async (token: string) => {
    const res = await app.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().token as string;
  };
  return { ...b, start, room: `consult-${b.id}`, visitorToken: await join(b.manageToken), specialistToken: await join(p.specialistToken) };
}

const report = (app: TestApp, id: string, token: string) =>
  app.app.inject({ method: 'POST', url: `/api/bookings/${id}/presence`, payload: { token } });

describe('Daily', () => {
  test('a report Daily confirms turns the booking in_progress with Daily\'s join time', async () => {
    const b = await joined(t);
    const at = clock.now() - 20_000;
    daily.join(b.room, { userId: `visitor-${b.id}`, at });
    const res = await report(t, b.id, b.visitorToken);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'visitor');
    assert.equal(res.json().status, 'in_progress');
    const row = await booking(b.id);
    assert.equal(row.status, 'in_progress');
    assert.equal(row.visitor_joined_at?.getTime(), Math.floor(at / 1000) * 1000);
    assert.equal(row.specialist_joined_at, null, 'the specialist is not in the room');
    assert.ok(daily.requests.some((r) => r.method === 'GET' && r.path === `/rooms/${b.room}/presence`), 'asked Daily');
  });

  test('a report for a room where Daily shows nobody: 409 not_in_room and nothing recorded', async () => {
    const b = await joined(t);
    const res = await report(t, b.id, b.visitorToken);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'not_in_room');
    assert.equal(res.headers['retry-after'], '5');
    const row = await booking(b.id);
    assert.equal(row.status, 'confirmed');
    assert.equal(row.visitor_joined_at, null);
    assert.equal((await presenceRows(b.id)).length, 0);
  });

  test('only the reporter counts: the other person in the room does not vouch for them', async () => {
    const b = await joined(t);
    daily.join(b.room, { userId: `specialist-${p.specialistId}` });
    const res = await report(t, b.id, b.visitorToken);
    assert.equal(res.statusCode, 409);
    assert.equal((await booking(b.id)).status, 'confirmed');
  });

  test('webhook first, then the report (and the reverse): one presence row per connection, the same state', async () => {
    for (const order of ['webhook-first', 'report-first'] as const) {
      const b = await joined(t);
      const at = clock.now() - 10_000;
      const session = daily.join(b.room, { userId: `visitor-${b.id}`, at });
      const webhook = () => daily.sendWebhook(hook, 'participant.joined', { room: b.room, joined_at: Math.floor(at / 1000), user_id: `visitor-${b.id}`, owner: false, session_id: session }, { now: clock.now() });
      if (order === 'webhook-first') {
        assert.equal((await webhook()).status, 200);
        assert.equal((await report(t, b.id, b.visitorToken)).statusCode, 200);
      } else {
        assert.equal((await report(t, b.id, b.visitorToken)).statusCode, 200);
        assert.equal((await webhook()).status, 200);
      }
      const rows = await presenceRows(b.id);
      assert.equal(rows.length, 1, order);
      assert.equal(rows[0]!.session, session);
      assert.equal(rows[0]!.joined_at?.getTime(), Math.floor(at / 1000) * 1000);
      const row = await booking(b.id);
      assert.equal(row.status, 'in_progress', order);
      assert.equal(row.visitor_joined_at?.getTime(), Math.floor(at / 1000) * 1000, order);
    }
  });

  test('the specialist\'s report records both people Daily shows', async () => {
    const b = await joined(t);
    daily.join(b.room, { userId: `specialist-${p.specialistId}` });
    daily.join(b.room, { userId: `visitor-${b.id}` });
    const res = await report(t, b.id, b.specialistToken);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'specialist');
    const row = await booking(b.id);
    assert.ok(row.specialist_joined_at && row.visitor_joined_at);
    assert.equal((await presenceRows(b.id)).length, 2);
  });

  test('no credential but a join token of this booking\'s call: another booking\'s token, a forged or an expired one is 401', async () => {
    const b = await joined(t);
    const other = await joined(t);
    daily.join(b.room, { userId: `visitor-${b.id}` });
    for (const token of [other.visitorToken, `${b.visitorToken.slice(0, -2)}xx`, 'not-a-token']) {
      const res = await report(t, b.id, token);
      assert.equal(res.statusCode, 401, token);
      assert.equal(res.json().error, 'invalid_join_token');
    }
    clock.set(b.start + 61 * MIN); // the room (and its tokens) closed 30 min after the end
    assert.equal((await report(t, b.id, b.visitorToken)).statusCode, 401);
    assert.equal((await booking(b.id)).status, 'confirmed');
  });

  test('the body is schema-checked', async () => {
    const b = await joined(t);
    const res = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/presence`, payload: { token: '', extra: 1 } });
    assert.equal(res.statusCode, 400);
  });
});

describe('LiveKit', () => {
  test('a report LiveKit\'s ListParticipants confirms turns the booking in_progress', async () => {
    const b = await joined(lkApp);
    const joinedAt = Math.floor(clock.now() / 1000) - 30;
    const sid = lk.join(b.room, `specialist-${p.specialistId}`, joinedAt);
    const res = await report(lkApp, b.id, b.specialistToken);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'specialist');
    const row = await booking(b.id);
    assert.equal(row.status, 'in_progress');
    assert.equal(row.specialist_joined_at?.getTime(), joinedAt * 1000);
    assert.deepEqual((await presenceRows(b.id)).map((r) => r.session), [sid], 'keyed by the participant sid, as participant_joined is');
    assert.ok(lk.calls.includes('ListParticipants'));
  });

  test('nobody in the LiveKit room: 409 not_in_room, nothing changes', async () => {
    const b = await joined(lkApp);
    const res = await report(lkApp, b.id, b.visitorToken);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'not_in_room');
    assert.equal((await booking(b.id)).status, 'confirmed');
  });

  test('a Daily token is no LiveKit credential', async () => {
    const b = await joined(lkApp);
    lk.join(b.room, `visitor-${b.id}`);
    const d = await joined(t);
    assert.equal((await report(lkApp, b.id, d.visitorToken)).statusCode, 401);
  });
});
