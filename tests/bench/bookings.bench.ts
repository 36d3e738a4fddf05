// Booking benchmark: the real API (Fastify + PostgreSQL, over HTTP) under
//   1. 500 concurrent attempts on one slot, and
//   2. a mixed load over 50 specialists (two durations, so attempts overlap partially),
// (each twice: first on a process that has not seen that load yet, then warm, on another day),
// each beside the same load against a naive check-then-insert server written here, on a table
// without the exclusion constraint — the way most booking systems do it. Overlapping active
// bookings are counted afterwards by SQL: the API must show 0; the naive variant shows what the
// protection prevents.
//
// The load comes from a worker thread (http-load.ts), as the slots benchmark's autocannon does.
//   node tests/bench/bookings.bench.ts        (needs PostgreSQL at TEST_DATABASE_URL / DATABASE_URL / 127.0.0.1:5432)
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import type { Db } from '../../server/db/pool.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { testConfig, TestClock } from '../helpers/app.ts';
import { addHours, addService, addSpecialist, link } from '../availability/fixtures.ts';
import { ALL_WEEK, T0, bookingBody } from '../bookings/fixtures.ts';
import { postFromWorker } from './http-load.ts';

const MIN = 60_000;
const ONE_SLOT_ATTEMPTS = 500;
const MIXED_SPECIALISTS = 50;
const MIXED_REQUESTS = 3000;
const MIXED_CONCURRENCY = 100;
const DAY_START = Date.parse('2026-12-03T08:00:00Z');
/** The targets. */
const ONE_SLOT_P99_TARGET_MS = 1000;
const MIXED_P99_TARGET_MS = 300;
const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

interface Attempt { specialist: number; service: number; start: number }
interface Figures {
  attempts: number; successes: number; conflicts: number; errors: number;
  seconds: number; bookingsPerSecond: number; requestsPerSecond: number; p50ms: number; p99ms: number; overlaps: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sends the same load. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Sends every attempt from a worker thread (http-load.ts), at most `concurrency` in flight; classifies statuses and times. */
async function drive(url: string, bodies: string[], concurrency: number): Promise<Omit<Figures, 'overlaps'>> {
  const { statuses, latenciesMs, seconds } = await postFromWorker(url, bodies, concurrency);
  const successes = statuses.filter((s) => s === 201).length;
  const conflicts = statuses.filter((s) => s === 409).length;
  const latencies = [...latenciesMs].sort((x, y) => x - y);
  return {
    attempts: bodies.length, successes, conflicts, errors: bodies.length - successes - conflicts,
    seconds: round(seconds, 2),
    bookingsPerSecond: round(successes / seconds, 1),
    requestsPerSecond: round(bodies.length / seconds, 1),
    p50ms: round(percentile(latencies, 50), 1),
    p99ms: round(percentile(latencies, 99), 1),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Pairs of non-cancelled bookings of one specialist whose blocked ranges overlap. */
async function overlaps(db: Db, table: 'bookings' | 'naive_bookings'): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} a JOIN ${sql.table(table)} b
      ON a.specialist_id = b.specialist_id AND a.id < b.id
     AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`.execute(db);
  return rows[0]!.n;
}

/**
 * The naive variant: check for an overlap, then insert, in one READ COMMITTED transaction and
 * with no lock and no constraint (what Easy!Appointments and friends do). Same HTTP, same JSON.
 */
async function startNaive(url: string, durations: Map<string, number>): Promise<{ base: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', async () => {
      const reply = (status: number) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end('{}'); };
      const client = await pool.connect();
      try {
        const body = JSON.parse(raw) as { specialist: string; service: string; start: string };
        const start = new Date(body.start);
        const end = new Date(start.getTime() + durations.get(body.service)! * MIN);
        await client.query('BEGIN');
        const taken = await client.query(
          `SELECT 1 FROM naive_bookings WHERE specialist_id = $1 AND status <> 'cancelled'
             AND tstzrange(blocked_from, blocked_until) && tstzrange($2, $3) LIMIT 1`, [body.specialist, start, end]);
        if (taken.rowCount) { await client.query('ROLLBACK'); return reply(409); }
        await client.query(`INSERT INTO naive_bookings (specialist_id, status, blocked_from, blocked_until) VALUES ($1, 'confirmed', $2, $3)`,
          [body.specialist, start, end]);
        await client.query('COMMIT');
        reply(201);
      } catch {
        await client.query('ROLLBACK').catch(() => {});
        reply(500);
      } finally {
        client.release();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() { await new Promise((r) => server.close(r)); await pool.end(); },
  };
}

function row(label: string, f: Figures): string {
  const cells = [label.padEnd(34), f.attempts, f.successes, f.conflicts, f.errors, f.bookingsPerSecond, f.requestsPerSecond, f.p50ms, f.p99ms, f.overlaps];
  return cells.map((c, i) => (i === 0 ? String(c) : String(c).padStart(9))).join('');
}

export async function main() {
  const database = await createTestDatabase();
  const db = database.db;
  const clock = new TestClock(T0);
  // The server as `npm start` builds it (default pool), with the write limit out of the way.
  const app = await buildApp(testConfig(database.url, { RATE_LIMIT_WRITES_PER_MINUTE: '100000' }), { clock });
  let naive: Awaited<ReturnType<typeof startNaive>> | null = null;
  try {
    const loadBefore = loadAverage();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    // The practice: 50 specialists open 08:00-20:00 UTC every day, two services (30 and 60 min).
    const services = [await addService(db, { duration_min: 30, slot_step_min: 30 }), await addService(db, { duration_min: 60, slot_step_min: 30 })];
    const specialists: { id: string }[] = [];
    for (let i = 0; i < MIXED_SPECIALISTS; i++) {
      const s = await addSpecialist(db, { timezone: 'UTC' });
      for (const svc of services) await link(db, s.id, svc.id);
      await addHours(db, s.id, ALL_WEEK);
      specialists.push(s);
    }
    await sql`CREATE TABLE naive_bookings (
      id bigserial PRIMARY KEY, specialist_id uuid NOT NULL, status text NOT NULL,
      blocked_from timestamptz NOT NULL, blocked_until timestamptz NOT NULL)`.execute(db);
    await sql`CREATE INDEX ON naive_bookings (specialist_id, blocked_from)`.execute(db);
    naive = await startNaive(database.url, new Map(services.map((s) => [s.id, s.duration_min])));

    const bodyOf = (a: Attempt, i: number) => bookingBody({ specialist: specialists[a.specialist]!.id, service: services[a.service]!.id }, a.start,
      { visitor: { name: `Visitor ${i}`, email: `v${i}@bench.example`, timezone: 'Europe/Berlin' } });
    let seq = 0;
    const bodies = (attempts: Attempt[]) => attempts.map((a) => JSON.stringify(bodyOf(a, seq++)));
    const api = `${base}/api/bookings`, naiveUrl = `${naive.base}/api/bookings`;

    // 1. One slot, everyone at once: first on a freshly started server (cold: no compiled code,
    // no open connections), then on the next day's slot once the process is warm.
    const storm = (day: number): Attempt[] => Array.from({ length: ONE_SLOT_ATTEMPTS }, () => ({ specialist: 0, service: 1, start: DAY_START + day * 1440 * MIN + 2 * 60 * MIN }));
    const apiCold: Figures = { ...(await drive(api, bodies(storm(1)), ONE_SLOT_ATTEMPTS)), overlaps: await overlaps(db, 'bookings') };
    const oneSlot = storm(0);
    const apiOne: Figures = { ...(await drive(api, bodies(oneSlot), ONE_SLOT_ATTEMPTS)), overlaps: await overlaps(db, 'bookings') };
    const naiveOne: Figures = { ...(await drive(naiveUrl, bodies(oneSlot), ONE_SLOT_ATTEMPTS)), overlaps: await overlaps(db, 'naive_bookings') };

    // 2. Mixed: random specialist (1..49, specialist 0 kept for the single slot), service and
    // half-hour start on one day, so 30- and 60-minute attempts collide partially as well as exactly.
    // Like the one-slot storm, first on a process that has not seen this load yet (its pool opens
    // most of its connections, PostgreSQL's new backends load their caches, the booking path is
    // not compiled yet), then, judged, the same storm on another day once it has.
    const rnd = random(42);
    const mixedOn = (day: number): Attempt[] => mixedPattern.map((m) => ({ ...m, start: m.start + day * 1440 * MIN }));
    const mixedPattern: Attempt[] = Array.from({ length: MIXED_REQUESTS }, () => ({
      specialist: 1 + Math.floor(rnd() * (MIXED_SPECIALISTS - 1)),
      service: Math.floor(rnd() * 2),
      start: DAY_START + Math.floor(rnd() * 23) * 30 * MIN,
    }));
    const apiMixedCold: Figures = { ...(await drive(api, bodies(mixedOn(2)), MIXED_CONCURRENCY)), overlaps: 0 };
    const mixed = mixedOn(0);
    const apiMixed: Figures = { ...(await drive(api, bodies(mixed), MIXED_CONCURRENCY)), overlaps: 0 };
    apiMixed.overlaps = apiMixedCold.overlaps = await overlaps(db, 'bookings');
    const naiveMixed: Figures = { ...(await drive(naiveUrl, bodies(mixed), MIXED_CONCURRENCY)), overlaps: 0 };
    naiveMixed.overlaps = await overlaps(db, 'naive_bookings') - naiveOne.overlaps;

    const header = ['scenario'.padEnd(34), 'attempts', 'success', 'conflict', 'errors', 'book/s', 'req/s', 'p50 ms', 'p99 ms', 'overlaps']
      .map((c, i) => (i === 0 ? c : c.padStart(9))).join('');
    const lines = [
      `load average ${loadBefore.join(' ')} before, ${loadAverage().join(' ')} after (${os.cpus().length} cores, shared); pool ${app.config.databasePoolSize}`,
      header,
      row(`one slot x${ONE_SLOT_ATTEMPTS}, cold: API`, apiCold),
      row(`one slot x${ONE_SLOT_ATTEMPTS}: API`, apiOne),
      row(`one slot x${ONE_SLOT_ATTEMPTS}: naive check+insert`, naiveOne),
      row(`mixed ${MIXED_SPECIALISTS} specialists, cold: API`, apiMixedCold),
      row(`mixed ${MIXED_SPECIALISTS} specialists: API`, apiMixed),
      row(`mixed ${MIXED_SPECIALISTS} specialists: naive`, naiveMixed),
    ];
    const met = {
      oneSlotP99: apiOne.p99ms < ONE_SLOT_P99_TARGET_MS,
      mixedP99: apiMixed.p99ms < MIXED_P99_TARGET_MS,
      noOverlapsNo5xx: apiOne.overlaps + apiMixed.overlaps + apiCold.overlaps === 0 && apiOne.errors + apiMixed.errors + apiMixedCold.errors + apiCold.errors === 0
        && apiOne.successes === 1 && apiCold.successes === 1,
    };
    lines.push(
      `targets: one slot p99 ${apiOne.p99ms} ms (< ${ONE_SLOT_P99_TARGET_MS}, cold ${apiCold.p99ms} ms): ${met.oneSlotP99 ? 'MET' : 'MISSED'}; `
      + `mixed p99 ${apiMixed.p99ms} ms (< ${MIXED_P99_TARGET_MS}, cold ${apiMixedCold.p99ms} ms): ${met.mixedP99 ? 'MET' : 'MISSED'}; `
      + `0 overlaps, 0 errors, one booking per storm: ${met.noOverlapsNo5xx ? 'MET' : 'MISSED'}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`naive variant: ${naiveOne.successes} "successful" bookings of one slot (API: ${apiOne.successes}); `
      + `${naiveOne.overlaps + naiveMixed.overlaps} overlapping pairs in all (API: ${apiOne.overlaps + apiMixed.overlaps}); `
      + `API mixed p99 / naive p99 = ${round(apiMixed.p99ms / Math.max(naiveMixed.p99ms, 0.001), 2)}\n`);
    return { oneSlot: { api: apiOne, apiCold, naive: naiveOne }, mixed: { api: apiMixed, apiCold: apiMixedCold, naive: naiveMixed }, loadAverage: loadBefore, met };
  } finally {
    await naive?.close();
    await app.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
