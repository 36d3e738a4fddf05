// Daily's webhooks over real HTTP, signed by the fake Daily as Daily signs them: the booking's
// status follows the call (joined, completed, no_show), recordings are stored and linked for
// participants only, and anything unsigned, tampered or stale is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { onBookingChanged, type BookingEvent } from '../../server/bookings/hooks.ts';
import { BASE, MIN, bearer, createBooking, dailyStarts, seedPractice, type Practice } from './fixtures.ts';

const nextStart = dailyStarts();

let t: TestApp;
let fake: FakeDaily;
let p: Practice;
let hook: string;
const clock = new TestClock(BASE);
const events: { bookingId: string; event: BookingEvent }[] = [];

before(async () => {
  fake = await new FakeDaily().start();
  t = await startTestApp({ clock, env: { DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url, DAILY_WEBHOOK_SECRET: fake.webhookSecret, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  hook = `http://127.0.0.1:${port}/api/webhooks/daily`;
  p = await seedPractice(t.database.db);
  onBookingChanged(async (_app, bookingId, event) => { events.push({ bookingId, event }); });
});
after(async () => { await t.close(); await fake.stop(); });

const booking = (id: string) => t.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const send = (type: string, payload: Record<string, unknown>, options: Parameters<FakeDaily['sendWebhook']>[3] = {}) =>
  fake.sendWebhook(hook, type, payload, { now: clock.now(), ...options });
const sec = (ms: number) => Math.floor(ms / 1000);

/** A confirmed booking whose room exists (the visitor's join created it, or not, as asked). */
async function callBooking(options: { visitorJoins?: boolean } = {}) {
  const startsAt = nextStart();
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.recordedServiceId, startsAt });
  const start = Date.parse(startsAt);
  clock.set(start - (options.visitorJoins ? 4 : 8) * MIN);
  const res = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(options.visitorJoins ? b.manageToken : p.specialistToken) });
  assert.equal(res.statusCode, 200, res.body);
  return { ...b, start, end: start + 30 * MIN, room: `consult-${b.id}` };
}

describe('signatures', () => {
  test('a delivery signed with the secret is accepted', async () => {
    const b = await callBooking();
    const res = await send('meeting.started', { room: b.room, start_ts: sec(clock.now()), meeting_id: 'm1' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, result: 'ignored' });
  });

  test('a wrong secret, a tampered body, a stale or a missing timestamp: 401', async () => {
    const b = await callBooking();
    const payload = { room: b.room, joined_at: sec(clock.now()), user_id: `visitor-${b.id}`, owner: false, session_id: 's' };
    const wrong = await send('participant.joined', payload, { secret: Buffer.from('not the secret').toString('base64') });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error, 'invalid_signature');
    assert.equal((await send('participant.joined', payload, { tamper: true })).status, 401);
    assert.equal((await send('participant.joined', payload, { now: clock.now() - 6 * MIN })).status, 401, 'replayed 6 min later');
    const unsigned = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'participant.joined', payload }) });
    assert.equal(unsigned.status, 401);
    assert.equal((await booking(b.id)).visitor_joined_at, null, 'nothing applied');
  });

  test('Daily\'s endpoint check (a body that is no event) is answered without a signature', async () => {
    const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ test: 'test' }) });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).result, 'ignored');
  });

  test('without DAILY_WEBHOOK_SECRET every delivery is refused with 404 (nothing to retry)', async () => {
    const bare = await startTestApp({ clock, database: t.database, env: { DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url } });
    try {
      const res = await bare.app.inject({ method: 'POST', url: '/api/webhooks/daily', headers: { 'content-type': 'application/json' }, payload: '{"type":"meeting.ended","payload":{}}' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error, 'webhooks_not_configured');
    } finally {
      await bare.app.close();
    }
  });
});

describe('replays', () => {
  test('an exact replay of a signed delivery inside its 5-minute window is acknowledged and not processed again', async () => {
    const b = await callBooking();
    await send('participant.joined', { room: b.room, joined_at: sec(b.start - 8 * MIN), user_id: `specialist-${p.specialistId}`, owner: true, session_id: 'sp' });
    clock.set(b.start + 35 * MIN);
    const first = await send('meeting.ended', { room: b.room, start_ts: sec(b.start - 5 * MIN), end_ts: sec(b.start + 35 * MIN), meeting_id: 'm-replay' });
    assert.equal((await first.json()).result, 'applied');
    assert.equal((await booking(b.id)).status, 'no_show');
    // Someone sets the booking right (the visitor did come); a replayed "ended" must not undo it.
    await t.database.db.updateTable('bookings').set({ status: 'confirmed' }).where('id', '=', b.id).execute();
    clock.advance(2 * MIN);
    const replay = await fake.replayLast();
    assert.equal(replay.status, 200);
    assert.equal((await replay.json()).result, 'ignored');
    assert.equal((await booking(b.id)).status, 'confirmed');
    const receipts = await t.database.db.selectFrom('webhook_receipts').selectAll().where('provider', '=', 'daily').execute();
    assert.ok(receipts.length >= 1);
  });

  test('old receipts are cleared by the maintenance job', async () => {
    const { cleanUp, RECEIPT_RETENTION_MS } = await import('../../server/maintenance/jobs.ts');
    await cleanUp(t.app, clock.now() + RECEIPT_RETENTION_MS + 10 * MIN);
    assert.equal((await t.database.db.selectFrom('webhook_receipts').selectAll().execute()).length, 0);
  });
});

describe('the booking follows the call', () => {
  test('participant.joined records the visitor; meeting.ended completes the booking', async () => {
    const b = await callBooking();
    assert.equal((await booking(b.id)).status, 'confirmed', 'a join token alone changes nothing');
    await send('participant.joined', { room: b.room, joined_at: sec(b.start - 8 * MIN), user_id: `specialist-${p.specialistId}`, owner: true, session_id: 's0' });
    const joinedAt = b.start - 2 * MIN;
    clock.set(joinedAt + 1000);
    const res = await send('participant.joined', { room: b.room, joined_at: sec(joinedAt), user_id: `visitor-${b.id}`, user_name: 'Vera', owner: false, session_id: 's1' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).result, 'applied');
    let row = await booking(b.id);
    assert.equal(row.visitor_joined_at?.getTime(), joinedAt);
    assert.equal(row.status, 'in_progress');

    clock.set(b.end + 2 * MIN);
    const ended = await send('meeting.ended', { room: b.room, start_ts: sec(b.start - 8 * MIN), end_ts: sec(b.end + MIN), meeting_id: 'm2' });
    assert.equal(ended.status, 200);
    row = await booking(b.id);
    assert.equal(row.status, 'completed');
    assert.equal(row.ended_at?.getTime(), b.end + MIN);
    assert.deepEqual(events.filter((e) => e.bookingId === b.id).map((e) => e.event), ['completed']);

    // Delivered again (at-least-once): nothing changes, nothing is announced twice.
    await send('meeting.ended', { room: b.room, start_ts: sec(b.start - 8 * MIN), end_ts: sec(b.end + MIN), meeting_id: 'm2' });
    assert.equal((await booking(b.id)).status, 'completed');
    assert.equal(events.filter((e) => e.bookingId === b.id).length, 1);
  });

  test('the specialist\'s participant event records the specialist side', async () => {
    const b = await callBooking();
    const at = b.start - 9 * MIN;
    await send('participant.joined', { room: b.room, joined_at: sec(at), user_id: `specialist-${p.specialistId}`, owner: true, session_id: 's' });
    const row = await booking(b.id);
    assert.equal(row.specialist_joined_at?.getTime(), at);
    assert.equal(row.status, 'in_progress');
    assert.equal(row.visitor_joined_at, null);
  });

  const specialistJoins = (b: { room: string; start: number }) =>
    send('participant.joined', { room: b.room, joined_at: sec(b.start - 8 * MIN), user_id: `specialist-${p.specialistId}`, owner: true, session_id: `sp-${b.room}` });

  test('the visitor never joined: meeting.ended after the start marks no_show, and the room closes two minutes later', async () => {
    const b = await callBooking();
    await specialistJoins(b);
    clock.set(b.start + 20 * MIN);
    await send('meeting.ended', { room: b.room, start_ts: sec(b.start - 8 * MIN), end_ts: sec(b.start + 19 * MIN), meeting_id: 'm3' });
    assert.equal((await booking(b.id)).status, 'no_show');
    assert.deepEqual(events.filter((e) => e.bookingId === b.id).map((e) => e.event), ['no_show']);
    assert.equal(fake.rooms.get(b.room)!.config.exp, sec(b.start + 21 * MIN), 'Daily ejects everyone at the new exp');
  });

  test('a visitor who stayed less than a minute did not attend: no_show; both there: completed', async () => {
    const brief = await callBooking();
    await specialistJoins(brief);
    await send('participant.joined', { room: brief.room, joined_at: sec(brief.start), user_id: `visitor-${brief.id}`, owner: false, session_id: 'v1' });
    await send('participant.left', { room: brief.room, joined_at: sec(brief.start), duration: 40, user_id: `visitor-${brief.id}`, owner: false, session_id: 'v1' });
    await send('meeting.ended', { room: brief.room, start_ts: sec(brief.start - 8 * MIN), end_ts: sec(brief.start + 15 * MIN), meeting_id: 'mb' });
    assert.equal((await booking(brief.id)).status, 'no_show');

    // Two connections (a drop and a return) add up; the left event may even come first.
    const both = await callBooking();
    await specialistJoins(both);
    await send('participant.left', { room: both.room, joined_at: sec(both.start), duration: 45, user_id: `visitor-${both.id}`, owner: false, session_id: 'v2' });
    await send('participant.joined', { room: both.room, joined_at: sec(both.start), user_id: `visitor-${both.id}`, owner: false, session_id: 'v2' });
    await send('participant.joined', { room: both.room, joined_at: sec(both.start + MIN), user_id: `visitor-${both.id}`, owner: false, session_id: 'v3' });
    await send('participant.left', { room: both.room, joined_at: sec(both.start + MIN), duration: 30, user_id: `visitor-${both.id}`, owner: false, session_id: 'v3' });
    await send('meeting.ended', { room: both.room, start_ts: sec(both.start - 8 * MIN), end_ts: sec(both.start + 15 * MIN), meeting_id: 'mc' });
    assert.equal((await booking(both.id)).status, 'completed');
  });

  test('the specialist never came: nothing is decided for the visitor', async () => {
    const b = await callBooking({ visitorJoins: true });
    await send('participant.joined', { room: b.room, joined_at: sec(b.start), user_id: `visitor-${b.id}`, owner: false, session_id: 'v' });
    await send('meeting.ended', { room: b.room, start_ts: sec(b.start), end_ts: sec(b.start + 20 * MIN), meeting_id: 'md' });
    assert.equal((await booking(b.id)).status, 'in_progress');
  });

  test('the specialist waited early and left before the start: nothing is decided yet', async () => {
    const b = await callBooking();
    await specialistJoins(b);
    await send('meeting.ended', { room: b.room, start_ts: sec(b.start - 8 * MIN), end_ts: sec(b.start - 6 * MIN), meeting_id: 'm4' });
    assert.equal((await booking(b.id)).status, 'in_progress');
  });

  test('events for rooms that are not ours are ignored', async () => {
    const res = await send('meeting.ended', { room: 'someone-elses-room', start_ts: 1, end_ts: 2 });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).result, 'ignored');
  });
});

describe('recordings', () => {
  test('recording.ready-to-download is stored; participants get a fresh access link', async () => {
    const b = await callBooking({ visitorJoins: true });
    const recordingId = fake.addRecording(b.room);
    const res = await send('recording.ready-to-download', { type: 'cloud', recording_id: recordingId, room_name: b.room, start_ts: sec(b.start), status: 'finished', max_participants: 2, duration: 1500, s3_key: `x/${b.room}/1` });
    assert.equal(res.status, 200);
    assert.equal((await booking(b.id)).recording_id, recordingId);

    for (const token of [b.manageToken, p.specialistToken]) {
      const link = await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(token) });
      assert.equal(link.statusCode, 200, link.body);
      assert.match(link.json().url, new RegExp(`${recordingId}\\.mp4\\?Expires=`));
      assert.ok(Date.parse(link.json().expiresAt) > 0);
    }
  });

  test('no one else gets the link: another visitor, the wrong specialist, the site owner', async () => {
    const b = await callBooking({ visitorJoins: true });
    const other = await createBooking(t.database.db, { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: nextStart(), email: 'else@example.test' });
    const recordingId = fake.addRecording(b.room);
    await send('recording.ready-to-download', { type: 'cloud', recording_id: recordingId, room_name: b.room });
    for (const token of [other.manageToken, p.otherSpecialistToken, ADMIN_TOKEN]) {
      const res = await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(token) });
      assert.equal(res.statusCode, 404, token);
    }
  });

  test('a booking without a recording answers 404', async () => {
    const b = await callBooking({ visitorJoins: true });
    const res = await t.app.inject({ url: `/api/bookings/${b.id}/recording`, headers: bearer(b.manageToken) });
    assert.equal(res.statusCode, 404);
  });
});
