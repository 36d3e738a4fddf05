// Joining a consultation through the real Daily client code against the local fake Daily: the
// room a booking gets, the token each side gets (claims decoded and checked), the join window at
// each boundary, the authorization matrix, and the room following cancel and reschedule.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { emitBookingChanged } from '../../server/bookings/hooks.ts';
import { BASE, MIN, bearer, createBooking, dailyStarts, seedPractice, type Practice } from './fixtures.ts';

const nextStart = dailyStarts();

let t: TestApp;
let fake: FakeDaily;
let p: Practice;
const clock = new TestClock(BASE);

before(async () => {
  fake = await new FakeDaily().start();
  t = await startTestApp({ clock, env: { DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
  p = await seedPractice(t.database.db);
});
after(async () => { await t.close(); await fake.stop(); });

const join = (id: string, token: string) => t.app.inject({ method: 'POST', url: `/api/bookings/${id}/join`, headers: bearer(token) });
const booking = (id: string) => t.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function newBooking(extra: Partial<Parameters<typeof createBooking>[1]> = {}) {
  const startsAt = nextStart();
  const b = await createBooking(t.database.db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt, ...extra });
  return { ...b, start: Date.parse(startsAt), end: Date.parse(startsAt) + 30 * MIN };
}

describe('rooms and tokens', () => {
  test('the visitor gets a private room for this booking and a non-owner token bound to it', async () => {
    const b = await newBooking({ name: 'Vera Visitor' });
    clock.set(b.start - 5 * MIN);
    const res = await join(b.id, b.manageToken);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.role, 'visitor');
    assert.equal(body.provider, 'daily');
    assert.equal(body.startsAt, new Date(b.start).toISOString());
    assert.equal(body.endsAt, new Date(b.end).toISOString());

    const room = fake.rooms.get(`consult-${b.id}`);
    assert.ok(room, 'room created at Daily');
    assert.equal(room.privacy, 'private');
    assert.equal(body.roomUrl, room.url);
    assert.deepEqual(room.config, {
      nbf: (b.start - 10 * MIN) / 1000,
      exp: (b.end + 30 * MIN) / 1000,
      max_participants: 2,
      eject_at_room_exp: true,
      enable_prejoin_ui: true,
    });

    // Signed with the API key, as Daily checks self-signed tokens; claims decoded one by one.
    const claims = fake.verifyToken(body.token);
    assert.equal(claims.r, room.name);
    assert.equal(claims.d, fake.domainId);
    assert.equal(claims.o, false);
    assert.equal(claims.u, 'Vera Visitor');
    assert.equal(claims.ud, `visitor-${b.id}`);
    assert.equal(claims.nbf, room.config.nbf);
    assert.equal(claims.exp, room.config.exp);

    const row = await booking(b.id);
    assert.equal(row.video_room_name, room.name);
    assert.equal(row.video_room_url, room.url);
  });

  test('the specialist\'s token is the owner\'s; both join the same room, created once', async () => {
    const b = await newBooking();
    clock.set(b.start - 2 * MIN);
    const creates = fake.count('POST', '/rooms');
    const visitor = await join(b.id, b.manageToken);
    const specialist = await join(b.id, p.specialistToken);
    const again = await join(b.id, b.manageToken);
    assert.equal(specialist.statusCode, 200, specialist.body);
    assert.equal(specialist.json().role, 'specialist');
    assert.equal(specialist.json().roomUrl, visitor.json().roomUrl);
    assert.equal(again.json().roomUrl, visitor.json().roomUrl);
    assert.equal(fake.count('POST', '/rooms') - creates, 1, 'one POST /rooms for three joins');
    const claims = fake.verifyToken(specialist.json().token);
    assert.equal(claims.o, true);
    assert.equal(claims.u, 'Dr Ada');
    assert.equal(claims.ud, `specialist-${p.specialistId}`);
    assert.equal(claims.r, `consult-${b.id}`);
  });

  test('GET / is asked once for the domain id, then cached', async () => {
    const b = await newBooking();
    clock.set(b.start);
    await join(b.id, b.manageToken);
    await join(b.id, p.specialistToken);
    assert.equal(fake.requests.filter((r) => r.method === 'GET' && r.path === '/').length, 1);
  });

  test('a service that records gets a recording room; others cannot record', async () => {
    const b = await newBooking({ serviceId: p.recordedServiceId });
    clock.set(b.start);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
    assert.equal(fake.rooms.get(`consult-${b.id}`)?.config.enable_recording, 'cloud');
  });

  test('a room whose window drifted is moved back on join (self-healing)', async () => {
    const b = await newBooking();
    clock.set(b.start);
    await join(b.id, b.manageToken);
    const room = fake.rooms.get(`consult-${b.id}`)!;
    room.config.exp = 1; // as if a reschedule had been missed
    const res = await join(b.id, p.specialistToken);
    assert.equal(res.statusCode, 200);
    assert.equal(room.config.exp, (b.end + 30 * MIN) / 1000);
  });
});

describe('the join window', () => {
  test('visitor: 5:00 before the start is in, 5:01 is too early with the seconds left', async () => {
    const b = await newBooking();
    clock.set(b.start - 5 * MIN - 1000);
    const early = await join(b.id, b.manageToken);
    assert.equal(early.statusCode, 425);
    assert.equal(early.json().error, 'too_early');
    assert.equal(early.json().details.secondsLeft, 1);
    assert.equal(early.json().details.opensAt, new Date(b.start - 5 * MIN).toISOString());
    assert.equal(early.headers['retry-after'], '1');
    assert.equal(fake.rooms.has(`consult-${b.id}`), false, 'no room before the window');

    clock.set(b.start - 5 * MIN);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
  });

  test('visitor 4:59 before is in; an hour early answers 3300 s', async () => {
    const b = await newBooking();
    clock.set(b.start - 60 * MIN);
    assert.equal((await join(b.id, b.manageToken)).json().details.secondsLeft, 55 * 60);
    clock.set(b.start - 4 * MIN - 59_000);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
  });

  test('specialist: 10:00 before is in, 10:01 is too early, and a part-second rounds up', async () => {
    const b = await newBooking();
    clock.set(b.start - 10 * MIN - 1000);
    const early = await join(b.id, p.specialistToken);
    assert.equal(early.statusCode, 425);
    assert.equal(early.json().details.secondsLeft, 1);
    clock.set(b.start - 10 * MIN - 1);
    assert.equal((await join(b.id, p.specialistToken)).json().details.secondsLeft, 1);
    clock.set(b.start - 10 * MIN);
    assert.equal((await join(b.id, p.specialistToken)).statusCode, 200);
    // Between 10 and 5 minutes: the specialist is in, the visitor still waits.
    clock.set(b.start - 7 * MIN);
    const visitor = await join(b.id, b.manageToken);
    assert.equal(visitor.statusCode, 425);
    assert.equal(visitor.json().details.secondsLeft, 120);
  });

  test('the room closes 30 min after the end: a second before is in, at exp is 410 ended', async () => {
    const b = await newBooking();
    clock.set(b.end + 30 * MIN - 1000);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
    clock.set(b.end + 30 * MIN);
    const late = await join(b.id, b.manageToken);
    assert.equal(late.statusCode, 410);
    assert.equal(late.json().error, 'ended');
    assert.equal((await join(b.id, p.specialistToken)).statusCode, 410);
  });
});

describe('a token is not presence', () => {
  test('handing out join tokens leaves the booking confirmed: only the provider\'s word that someone is in the room moves it', async () => {
    const b = await newBooking();
    clock.set(b.start - 8 * MIN);
    assert.equal((await join(b.id, p.specialistToken)).statusCode, 200);
    clock.set(b.start - 1 * MIN);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200);
    const row = await booking(b.id);
    assert.equal(row.status, 'confirmed');
    assert.equal(row.specialist_joined_at, null);
    assert.equal(row.visitor_joined_at, null);
    assert.equal(row.started_at, null);
  });

  test('a completed call can be rejoined until the room closes (dropped connections)', async () => {
    const b = await newBooking({ status: 'completed' });
    clock.set(b.start + 10 * MIN);
    const res = await join(b.id, b.manageToken);
    assert.equal(res.statusCode, 200);
    assert.equal((await booking(b.id)).status, 'completed');
  });

  test('a call that ended is closed shortly after: rejoinable for two minutes, then 410', async () => {
    const b = await newBooking({ status: 'completed' });
    await t.database.db.updateTable('bookings').set({ ended_at: new Date(b.start + 20 * MIN) }).where('id', '=', b.id).execute();
    clock.set(b.start + 21 * MIN);
    const res = await join(b.id, b.manageToken);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().closesAt, new Date(b.start + 22 * MIN).toISOString());
    clock.set(b.start + 22 * MIN);
    assert.equal((await join(b.id, b.manageToken)).statusCode, 410);
  });
});

describe('who may join', () => {
  test('another booking\'s manage token is a 404, as is an unknown or malformed id', async () => {
    const mine = await newBooking();
    const theirs = await newBooking({ email: 'other@example.test' });
    clock.set(mine.start);
    for (const [id, token] of [[mine.id, theirs.manageToken], [theirs.id, mine.manageToken], ['00000000-0000-4000-8000-000000000000', mine.manageToken], ['not-a-uuid', mine.manageToken]]) {
      const res = await join(id, token);
      assert.equal(res.statusCode, 404, `${id} with another token`);
      assert.equal(res.json().error, 'not_found');
    }
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/bookings/${mine.id}/join` })).statusCode, 404);
  });

  test('the wrong specialist is a 404', async () => {
    const b = await newBooking();
    clock.set(b.start);
    assert.equal((await join(b.id, p.otherSpecialistToken)).statusCode, 404);
  });

  test('the visitor can never get an owner token (no way to ask for one)', async () => {
    const b = await newBooking();
    clock.set(b.start);
    const res = await t.app.inject({
      method: 'POST', url: `/api/bookings/${b.id}/join?role=specialist&owner=true`,
      headers: { ...bearer(b.manageToken), 'content-type': 'application/json' }, payload: JSON.stringify({ role: 'specialist', owner: true }),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().role, 'visitor');
    assert.equal(fake.verifyToken(res.json().token).o, false);
  });

  test('the site owner is not a participant', async () => {
    const b = await newBooking();
    clock.set(b.start);
    const res = await join(b.id, ADMIN_TOKEN);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'not_a_participant');
  });

  test('cancelled and pending bookings are 409; no_show is 410', async () => {
    const cancelled = await newBooking({ status: 'cancelled' });
    clock.set(cancelled.start);
    const c = await join(cancelled.id, cancelled.manageToken);
    assert.equal(c.statusCode, 409);
    assert.equal(c.json().error, 'cancelled');
    assert.equal((await join(cancelled.id, p.specialistToken)).statusCode, 409);

    const pending = await newBooking({ status: 'pending' });
    clock.set(pending.start);
    const q = await join(pending.id, pending.manageToken);
    assert.equal(q.statusCode, 409);
    assert.equal(q.json().error, 'not_confirmed');

    const noShow = await newBooking({ status: 'no_show' });
    clock.set(noShow.start + 5 * MIN);
    assert.equal((await join(noShow.id, p.specialistToken)).statusCode, 410);
  });

  test('a service held in person answers 409 video_disabled', async () => {
    const b = await newBooking({ serviceId: p.inPersonServiceId });
    clock.set(b.start);
    const res = await join(b.id, b.manageToken);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'video_disabled');
  });
});

describe('the provider', () => {
  test('Daily failing is a 502 with Daily\'s error, not a 500', async () => {
    const b = await newBooking();
    clock.set(b.start);
    fake.failNext(500, 'server-error', 'something broke at Daily');
    const res = await join(b.id, b.manageToken);
    assert.equal(res.statusCode, 502);
    assert.equal(res.json().error, 'video_provider_error');
    assert.equal(res.json().details.error, 'server-error');
    assert.equal((await join(b.id, b.manageToken)).statusCode, 200, 'works again next time');
  });

  test('a wrong API key surfaces as a 502 carrying authentication-error', async () => {
    const other = await startTestApp({ clock, database: t.database, env: { DAILY_API_KEY: 'wrong-key', DAILY_API_URL: fake.url } });
    try {
      const b = await newBooking();
      clock.set(b.start);
      const res = await other.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(b.manageToken) });
      assert.equal(res.statusCode, 502);
      assert.equal(res.json().details.error, 'authentication-error');
    } finally {
      await other.app.close();
    }
  });

  test('without DAILY_API_KEY: 503 video_not_configured with a clear message', async () => {
    const bare = await startTestApp({ clock, database: t.database });
    try {
      const b = await newBooking();
      clock.set(b.start);
      const res = await bare.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: bearer(b.manageToken) });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'video_not_configured');
      assert.match(res.json().message, /DAILY_API_KEY/);
    } finally {
      await bare.app.close();
    }
  });
});

describe('the room follows the booking', () => {
  test('cancelled: the room is deleted at Daily', async () => {
    const b = await newBooking();
    clock.set(b.start);
    await join(b.id, b.manageToken);
    assert.ok(fake.rooms.has(`consult-${b.id}`));
    await t.database.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', b.id).execute();
    await emitBookingChanged(t.app, b.id, 'cancelled');
    assert.equal(fake.rooms.has(`consult-${b.id}`), false);
    assert.equal((await booking(b.id)).video_room_url, null);
  });

  test('rescheduled: the room\'s nbf/exp move with the booking', async () => {
    const b = await newBooking();
    clock.set(b.start);
    await join(b.id, b.manageToken);
    const moved = Date.parse(nextStart());
    await t.database.db.updateTable('bookings')
      .set({ starts_at: new Date(moved), ends_at: new Date(moved + 30 * MIN), blocked_from: new Date(moved), blocked_until: new Date(moved + 30 * MIN) })
      .where('id', '=', b.id).execute();
    await emitBookingChanged(t.app, b.id, 'rescheduled');
    const room = fake.rooms.get(`consult-${b.id}`)!;
    assert.equal(room.config.nbf, (moved - 10 * MIN) / 1000);
    assert.equal(room.config.exp, (moved + 60 * MIN) / 1000);
  });

  test('confirmed: the room is ready before anyone joins; declined removes it', async () => {
    const b = await newBooking();
    await emitBookingChanged(t.app, b.id, 'confirmed');
    assert.ok(fake.rooms.has(`consult-${b.id}`));
    assert.ok((await booking(b.id)).video_room_url);
    await emitBookingChanged(t.app, b.id, 'declined');
    assert.equal(fake.rooms.has(`consult-${b.id}`), false);
  });

  test('through the bookings API: a cancel deletes the room (after-commit listener)', async () => {
    const b = await newBooking();
    await emitBookingChanged(t.app, b.id, 'confirmed'); // the room exists ahead of the call
    assert.ok(fake.rooms.has(`consult-${b.id}`));
    clock.set(b.start - 60 * MIN);
    const res = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/cancel`, headers: { ...bearer(b.manageToken), 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(res.statusCode, 200, res.body);
    // The bookings module fires listeners after commit without waiting for them.
    for (let i = 0; i < 100 && fake.rooms.has(`consult-${b.id}`); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fake.rooms.has(`consult-${b.id}`), false);
  });
});
