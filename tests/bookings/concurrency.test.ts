// The core promise over real HTTP against real PostgreSQL: no two active bookings of one
// specialist ever overlap, whatever arrives at the same moment, on one API instance or two.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../../server/app.ts';
import type { App } from '../../server/http/types.ts';
import { startTestApp, testConfig, TestClock, type TestApp } from '../helpers/app.ts';
import { addHours, addService, addSpecialist, link } from '../availability/fixtures.ts';
import { ALL_WEEK, HOUR, T0, addPractice, bookingBody, http, overlapCount, type Practice, type Reply } from './fixtures.ts';

const clock = new TestClock(T0);
const env = { RATE_LIMIT_WRITES_PER_MINUTE: '100000' };
let t: TestApp;
let base: string;

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

const tally = (replies: Reply[]) => {
  const out: Record<number, number> = {};
  for (const r of replies) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
};

before(async () => {
  t = await startTestApp({ clock, env });
  base = await listen(t.app);
});
after(() => t.close());

describe('one slot, many requests', () => {
  test('200 concurrent requests for one slot: exactly one 201, 199 409, no 5xx', async () => {
    const p = await addPractice(t.database.db);
    const body = (i: number) => bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-03T10:00:00Z',
      { visitor: { name: `Visitor ${i}`, email: `v${i}@example.com`, timezone: 'UTC' } });
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => http(base, 'POST', '/api/bookings', { body: body(i) })));
    assert.deepEqual(tally(replies), { 201: 1, 409: 199 });
    assert.ok(replies.filter((r) => r.status === 409).every((r) => r.body.error === 'slot_taken' && Array.isArray(r.body.details.alternatives)));
    const rows = await t.database.db.selectFrom('bookings').select('id').where('specialist_id', '=', p.specialist.id).execute();
    assert.equal(rows.length, 1);
  });

  test('concurrent overlapping bookings of different durations never both succeed', async () => {
    const db = t.database.db;
    const specialist = await addSpecialist(db, { timezone: 'UTC' });
    const services = await Promise.all([30, 60, 90, 120].map((d) => addService(db, { duration_min: d, slot_step_min: 15, buffer_after_min: d === 90 ? 15 : 0 })));
    for (const s of services) await link(db, specialist.id, s.id);
    await addHours(db, specialist.id, ALL_WEEK);
    // Every 15 minutes from 09:00 to 12:45, each service: 64 requests over a 5-hour window.
    const requests = [];
    for (let k = 0; k < 16; k++) {
      for (const s of services) {
        const start = Date.parse('2026-12-04T09:00:00Z') + k * 15 * 60_000;
        requests.push(http(base, 'POST', '/api/bookings', { body: bookingBody({ specialist: specialist.id, service: s.id }, start) }));
      }
    }
    const replies = await Promise.all(requests);
    const counts = tally(replies);
    assert.deepEqual(Object.keys(counts).sort(), ['201', '409'], JSON.stringify(counts));
    assert.ok(counts[201]! >= 2);
    assert.equal(await overlapCount(db), 0);
    // And the winners, read back, are pairwise disjoint (buffers included).
    const rows = await db.selectFrom('bookings').select(['blocked_from', 'blocked_until']).where('specialist_id', '=', specialist.id).orderBy('blocked_from').execute();
    assert.equal(rows.length, counts[201]);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.blocked_until <= rows[i]!.blocked_from);
    // Winners decided together in one transaction (bookings/batches.ts) each got their own
    // outbox rows, the same kinds for every one of them, and nothing for the refused.
    const kinds = await db.selectFrom('notifications').innerJoin('bookings', 'bookings.id', 'notifications.booking_id')
      .select(['notifications.booking_id', 'notifications.kind']).where('bookings.specialist_id', '=', specialist.id).execute();
    const perBooking = new Map<string, string[]>();
    for (const k of kinds) perBooking.set(k.booking_id!, [...(perBooking.get(k.booking_id!) ?? []), k.kind].sort());
    assert.equal(perBooking.size, counts[201]);
    assert.equal(new Set([...perBooking.values()].map((v) => v.join())).size, 1);
    assert.ok([...perBooking.values()][0]!.includes('visitor.confirmation'));
  });

  test('"any": concurrent requests fill each specialist once, never twice', async () => {
    const db = t.database.db;
    const service = await addService(db, { duration_min: 60 });
    const team = await Promise.all([0, 1, 2].map(() => addSpecialist(db, { timezone: 'UTC' })));
    for (const s of team) { await link(db, s.id, service.id); await addHours(db, s.id, ALL_WEEK); }
    const replies = await Promise.all(Array.from({ length: 30 }, () =>
      http(base, 'POST', '/api/bookings', { body: bookingBody({ specialist: 'any', service: service.id }, '2026-12-05T10:00:00Z') })));
    assert.deepEqual(tally(replies), { 201: 3, 409: 27 });
    const chosen = replies.filter((r) => r.status === 201).map((r) => r.body.specialist.id).sort();
    assert.deepEqual(chosen, team.map((s) => s.id).sort());
    assert.equal(await overlapCount(db), 0);
  });
});

describe('the exclusion constraint', () => {
  test('is the last line of defence: a writer that skips the lock still cannot make an overlap', async () => {
    const p = await addPractice(t.database.db);
    const rogue = new pg.Client({ connectionString: t.database.url });
    await rogue.connect();
    try {
      // Another writer (a script, a bug) inserts an overlapping booking without the advisory lock
      // and has not committed yet: the API's check cannot see it, so only the constraint can stop it.
      await rogue.query('BEGIN');
      await rogue.query(`INSERT INTO bookings (specialist_id, service_id, status, starts_at, ends_at, blocked_from, blocked_until,
          visitor_name, visitor_email, visitor_timezone, service_terms, manage_token_hash)
        VALUES ($1, $2, 'confirmed', $3, $4, $3, $4, 'Rogue', 'rogue@example.com', 'UTC', '{}', 'rogue-hash')`,
      [p.specialist.id, p.service.id, new Date('2026-12-22T10:00:00Z'), new Date('2026-12-22T11:00:00Z')]);
      let settled = false;
      const pending = http(base, 'POST', '/api/bookings', { body: bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-22T10:30:00Z') })
        .finally(() => { settled = true; });
      // Commit only once the API is past its own checks: its INSERT waits on the rogue row, or the
      // constraint already refused it. (Watched from another connection: pg_stat_activity is a
      // snapshot per transaction, so the rogue transaction would see a frozen picture.)
      let waiting = false;
      for (let i = 0; i < 400 && !waiting && !settled; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const { rows } = await sql<{ query: string }>`SELECT query FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.database.db);
        waiting = rows.some((r) => /^insert into "bookings"/i.test(r.query));
      }
      assert.ok(waiting || settled, 'the API reached its INSERT before the rogue row was committed');
      await rogue.query('COMMIT');
      const res = await pending;
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error, 'slot_taken');
      assert.ok(Array.isArray(res.body.details.alternatives));
      assert.equal(await overlapCount(t.database.db), 0);
    } finally {
      await rogue.end();
    }
  });
});

describe('two API instances on one database', () => {
  let second: App;
  let base2: string;
  before(async () => {
    second = await buildApp(testConfig(t.database.url, env), { clock, poolSize: 5 });
    base2 = await listen(second);
  });
  after(() => second.close());

  test('requests split across both instances still give exactly one booking', async () => {
    const p = await addPractice(t.database.db);
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      http(i % 2 ? base : base2, 'POST', '/api/bookings', { body: bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-06T10:00:00Z') })));
    assert.deepEqual(tally(replies), { 201: 1, 409: 99 });
    assert.equal(await overlapCount(t.database.db), 0);
  });

  test('overlapping durations across both instances never both succeed', async () => {
    const db = t.database.db;
    const specialist = await addSpecialist(db, { timezone: 'UTC' });
    const services = await Promise.all([45, 75].map((d) => addService(db, { duration_min: d, slot_step_min: 15 })));
    for (const s of services) await link(db, specialist.id, s.id);
    await addHours(db, specialist.id, ALL_WEEK);
    const requests = [];
    for (let k = 0; k < 12; k++) {
      for (const [j, s] of services.entries()) {
        const start = Date.parse('2026-12-06T13:00:00Z') + k * 15 * 60_000;
        requests.push(http((k + j) % 2 ? base : base2, 'POST', '/api/bookings', { body: bookingBody({ specialist: specialist.id, service: s.id }, start) }));
      }
    }
    const counts = tally(await Promise.all(requests));
    assert.deepEqual(Object.keys(counts).sort(), ['201', '409'], JSON.stringify(counts));
    assert.equal(await overlapCount(db), 0);
  });
});

describe('reschedule and idempotency under concurrency', () => {
  test('a reschedule racing a new booking for the target time: exactly one wins, every round', async () => {
    const p: Practice = await addPractice(t.database.db);
    const s = { specialist: p.specialist.id, service: p.service.id };
    const winners = { move: 0, create: 0 };
    for (let round = 0; round < 10; round++) {
      const from = Date.parse('2026-12-07T08:00:00Z') + round * 24 * HOUR;
      const target = from + 6 * HOUR;
      const created = await http(base, 'POST', '/api/bookings', { body: bookingBody(s, from) });
      assert.equal(created.status, 201);
      const [move, other] = await Promise.all([
        http(base, 'POST', `/api/bookings/${created.body.id}/reschedule`, { token: created.body.manageToken, body: { start: new Date(target).toISOString() } }),
        http(base, 'POST', '/api/bookings', { body: bookingBody(s, target) }),
      ]);
      // Either may win, never both: the move (200) or the new booking (201), the other 409.
      assert.ok(move.status === 200 ? other.status === 409 : move.status === 409 && other.status === 201, `round ${round}: ${move.status} ${other.status}`);
      if (move.status === 409) assert.equal(move.body.error, 'slot_taken');
      const atTarget = await t.database.db.selectFrom('bookings').select('id').where('specialist_id', '=', p.specialist.id)
        .where('starts_at', '=', new Date(target)).where('status', '<>', 'cancelled').execute();
      assert.equal(atTarget.length, 1);
      // The loser of the move left the booking where it was, with no history entry.
      const moves = await t.database.db.selectFrom('booking_moves').select('id').where('booking_id', '=', created.body.id).execute();
      assert.equal(moves.length, move.status === 200 ? 1 : 0);
      winners[move.status === 200 ? 'move' : 'create'] += 1;
    }
    assert.equal(winners.move + winners.create, 10);
    assert.equal(await overlapCount(t.database.db), 0);
  });

  test('concurrent retries with one idempotency key make one booking; the rest replay it', async () => {
    const p = await addPractice(t.database.db);
    const body = bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-20T10:00:00Z');
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      http(base, 'POST', '/api/bookings', { body, headers: { 'idempotency-key': 'retry-key-concurrent-1' } })));
    assert.deepEqual(tally(replies), { 200: 19, 201: 1 });
    assert.equal(new Set(replies.map((r) => r.body.id)).size, 1);
    const rows = await t.database.db.selectFrom('bookings').select('id').where('specialist_id', '=', p.specialist.id).execute();
    assert.equal(rows.length, 1);
  });

  test('the same key sent concurrently with two different requests: one booking, the other 422', async () => {
    const p = await addPractice(t.database.db);
    const q = await addPractice(t.database.db);
    const key = { 'idempotency-key': 'retry-key-conflict-1' };
    const [a, b] = await Promise.all([
      http(base, 'POST', '/api/bookings', { body: bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-21T10:00:00Z'), headers: key }),
      http(base, 'POST', '/api/bookings', { body: bookingBody({ specialist: q.specialist.id, service: q.service.id }, '2026-12-21T10:00:00Z'), headers: key }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [201, 422]);
    const loser = a.status === 422 ? a : b;
    assert.equal(loser.body.error, 'idempotency_key_reused');
  });
});
