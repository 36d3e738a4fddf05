// The second provider: with VIDEO_PROVIDER=livekit the same join route answers a LiveKit room
// and a livekit-server-sdk token (grants decoded and checked), against a local fake RoomService.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeLiveKit } from '../fakes/livekit.ts';
import { emitBookingChanged } from '../../server/bookings/hooks.ts';
import { bearer, createBooking, seedPractice, type Practice } from './fixtures.ts';

const START = Date.parse('2026-12-01T10:00:00.000Z');
const MIN = 60_000;
let t: TestApp;
let lk: FakeLiveKit;
let p: Practice;
const clock = new TestClock(START - 5 * MIN);

let hook: string;

before(async () => {
  lk = await new FakeLiveKit().start();
  t = await startTestApp({ clock, env: { VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  hook = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/webhooks/livekit`;
  p = await seedPractice(t.database.db);
});
after(async () => { await t.close(); await lk.stop(); });

const join = (id: string, token: string) => t.app.inject({ method: 'POST', url: `/api/bookings/${id}/join`, headers: bearer(token) });

test('both sides join one LiveKit room; only the specialist is room admin', async () => {
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(START).toISOString() });
  const visitor = await join(b.id, b.manageToken);
  const specialist = await join(b.id, p.specialistToken);
  assert.equal(visitor.statusCode, 200, visitor.body);
  assert.equal(specialist.statusCode, 200, specialist.body);
  assert.equal(visitor.json().provider, 'livekit');
  assert.equal(visitor.json().roomUrl, lk.url);

  const room = lk.rooms.get(`consult-${b.id}`);
  assert.ok(room);
  assert.equal(room.maxParticipants, 2);
  // Closes two minutes after the last one left; a room made ahead and never entered lapses.
  assert.equal(room.departureTimeout, 120);
  assert.equal(room.emptyTimeout, 300);
  assert.deepEqual(JSON.parse(room.metadata), { nbf: (START - 10 * MIN) / 1000, exp: (START + 60 * MIN) / 1000, recording: false });

  const v = lk.verify(visitor.json().token);
  const s = lk.verify(specialist.json().token);
  assert.ok(v && s, 'signed with the API secret, issued by the API key');
  assert.equal(v.sub, `visitor-${b.id}`);
  assert.equal(s.sub, `specialist-${p.specialistId}`);
  const vg = v.video as Record<string, unknown>;
  const sg = s.video as Record<string, unknown>;
  assert.equal(vg.room, `consult-${b.id}`);
  assert.equal(vg.roomJoin, true);
  assert.equal(vg.roomAdmin, false);
  assert.equal(sg.room, `consult-${b.id}`);
  assert.equal(sg.roomAdmin, true);
});

test('the window is enforced the same way: 425 before it', async () => {
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(START + 24 * 60 * MIN).toISOString() });
  const res = await join(b.id, b.manageToken);
  assert.equal(res.statusCode, 425);
});

test('reschedule moves the room\'s window; cancel deletes the room', async () => {
  const start = START + 2 * 24 * 60 * MIN;
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(start).toISOString() });
  clock.set(start);
  assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
  const moved = start + 60 * MIN;
  await t.database.db.updateTable('bookings')
    .set({ starts_at: new Date(moved), ends_at: new Date(moved + 30 * MIN), blocked_from: new Date(moved), blocked_until: new Date(moved + 30 * MIN) })
    .where('id', '=', b.id).execute();
  await emitBookingChanged(t.app, b.id, 'rescheduled');
  assert.equal(JSON.parse(lk.rooms.get(`consult-${b.id}`)!.metadata).nbf, (moved - 10 * MIN) / 1000);
  await emitBookingChanged(t.app, b.id, 'cancelled');
  assert.equal(lk.rooms.has(`consult-${b.id}`), false);
  await emitBookingChanged(t.app, b.id, 'cancelled'); // deleting twice is harmless
});

test('VIDEO_PROVIDER=livekit without its keys: 503 naming them', async () => {
  const bare = await startTestApp({ clock, database: t.database, env: { VIDEO_PROVIDER: 'livekit' } });
  try {
    const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(START + 3 * 24 * 60 * MIN).toISOString() });
    clock.set(START + 3 * 24 * 60 * MIN);
    const res = await bare.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(b.manageToken) });
    assert.equal(res.statusCode, 503);
    assert.match(res.json().message, /LIVEKIT_URL/);
  } finally {
    await bare.app.close();
  }
});

test('LiveKit webhooks: participant_joined and room_finished drive the booking; forgeries are refused', async () => {
  const start = START + 4 * 24 * 60 * MIN;
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(start).toISOString() });
  clock.set(start - 9 * MIN);
  assert.equal((await join(b.id, p.specialistToken)).statusCode, 200);
  const room = { sid: 'RM_x', name: `consult-${b.id}` };
  const joinedAt = String(Math.floor((start - MIN) / 1000));
  const joined = { event: 'participant_joined', room, participant: { sid: 'PA_x', identity: `visitor-${b.id}`, joinedAt } };

  assert.equal((await lk.sendWebhook(hook, joined, { secret: 'not-the-secret' })).status, 401);
  assert.equal((await lk.sendWebhook(hook, joined, { tamper: true })).status, 401);
  const unsigned = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/webhook+json' }, body: JSON.stringify(joined) });
  assert.equal(unsigned.status, 401);

  const res = await lk.sendWebhook(hook, joined);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).result, 'applied');
  // The exact delivery again, within its token's lifetime: acknowledged, not processed again.
  const replay = await lk.replayLast();
  assert.equal(replay.status, 200);
  assert.equal((await replay.json()).result, 'ignored');
  let row = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
  assert.equal(row.visitor_joined_at?.getTime(), start - MIN);

  assert.equal(row.status, 'in_progress', 'someone is in the room');
  await lk.sendWebhook(hook, { event: 'participant_joined', room, participant: { sid: 'PA_s', identity: `specialist-${p.specialistId}`, joinedAt: String(Math.floor((start - 8 * MIN) / 1000)) } });
  clock.set(start + 31 * MIN);
  await lk.sendWebhook(hook, { event: 'room_finished', room, createdAt: String(Math.floor((start + 31 * MIN) / 1000)) });
  row = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'completed');
  assert.equal(row.ended_at?.getTime(), start + 31 * MIN);
});

test('the pages\' CSP lets our LiveKit view reach the LiveKit server and frames nothing from Daily', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/console' });
  const csp = String(res.headers['content-security-policy']);
  const host = new URL(lk.url).host;
  assert.match(csp, new RegExp(`connect-src 'self' ws://${host} http://${host}`));
  assert.doesNotMatch(csp, /daily\.co/);
});

test('the same outcome as Daily: a visitor who stayed 40 seconds is a no_show, participant_left before room_finished', async () => {
  const start = START + 5 * 24 * 60 * MIN;
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: new Date(start).toISOString() });
  clock.set(start);
  assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
  const room = { sid: 'RM_y', name: `consult-${b.id}` };
  const sec = (ms: number) => String(Math.floor(ms / 1000));
  await lk.sendWebhook(hook, { event: 'participant_joined', room, participant: { sid: 'PA_s', identity: `specialist-${p.specialistId}`, joinedAt: sec(start - 5 * MIN) } });
  await lk.sendWebhook(hook, { event: 'participant_joined', room, participant: { sid: 'PA_v', identity: `visitor-${b.id}`, joinedAt: sec(start) } });
  await lk.sendWebhook(hook, { event: 'participant_left', room, participant: { sid: 'PA_v', identity: `visitor-${b.id}`, joinedAt: sec(start) }, createdAt: sec(start + 40_000) });
  await lk.sendWebhook(hook, { event: 'participant_left', room, participant: { sid: 'PA_s', identity: `specialist-${p.specialistId}`, joinedAt: sec(start - 5 * MIN) }, createdAt: sec(start + 15 * MIN) });
  await lk.sendWebhook(hook, { event: 'room_finished', room, createdAt: sec(start + 17 * MIN) });
  const row = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'no_show');
  const presence = await t.database.db.selectFrom('call_presence').selectAll().where('booking_id', '=', b.id).orderBy('session').execute();
  assert.deepEqual(presence.map((r) => [r.session, r.role, (r.left_at!.getTime() - r.joined_at!.getTime()) / 1000]), [['PA_s', 'specialist', 20 * 60], ['PA_v', 'visitor', 40]]);
});
