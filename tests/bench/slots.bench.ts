// Benchmark of the slots endpoint over real HTTP against a bare Fastify route, both measured in
// this run on this machine (a script, not a test). The app runs on a fresh test database seeded
// with one specialist: 15-minute step, 300 active bookings and 50 external busy rows over 62 days.
// Run: node tests/bench/slots.bench.ts    Reuse: `const figures = await main()`.
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { buildApp } from '../../server/app.ts';
import { availableSlots } from '../../server/availability/load.ts';
import { testConfig, TestClock } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { addBooking, addBusy, addHours, addOverride, addService, addSpecialist, link } from '../availability/fixtures.ts';
import type { Db } from '../../server/db/pool.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const CONNECTIONS = 50;
const SECONDS = 10;
const TARGET_RATIO = 0.15;
const TARGET_P99_MS = 50;

/** Monday 2027-03-01; the 31-day query crosses Europe/Berlin's DST change on 2027-03-28. */
const NOW = '2027-03-01T07:30:00Z';
const FIRST_DAY = Date.parse('2027-03-01T00:00:00Z');

async function seed(db: Db) {
  const specialist = await addSpecialist(db, { slug: 'bench', name: 'Bench', timezone: 'Europe/Berlin' });
  const service = await addService(db, {
    slug: 'bench-consult', duration_min: 30, slot_step_min: 15, buffer_before_min: 5, buffer_after_min: 5,
    min_notice_min: 60, horizon_days: 90, max_per_day: 40,
  });
  await link(db, specialist.id, service.id);
  await addHours(db, specialist.id, [
    ...[1, 2, 3, 4, 5].flatMap((d): [number, string, string][] => [[d, '09:00', '12:00'], [d, '13:00', '18:00']]),
    [6, '10:00', '14:00'],
  ]);
  await addOverride(db, specialist.id, '2027-03-12', []);
  // 300 bookings, 4-5 a day, 150 minutes apart (never overlapping with their 5-minute buffers).
  for (let i = 0, perDay = 0, lastDay = -1; i < 300; i++) {
    const day = Math.floor((i * 62) / 300);
    perDay = day === lastDay ? perDay + 1 : 0;
    lastDay = day;
    await addBooking(db, {
      specialistId: specialist.id, serviceId: service.id, durationMin: 30, bufferBeforeMin: 5, bufferAfterMin: 5,
      start: FIRST_DAY + day * DAY + 8 * 60 * MIN + perDay * 150 * MIN,
    });
  }
  const busy: [number, number][] = Array.from({ length: 50 }, (_, i) => {
    const start = FIRST_DAY + Math.floor((i * 62) / 50) * DAY + 15 * 60 * MIN;
    return [start, start + 60 * MIN];
  });
  await addBusy(db, specialist.id, busy);
  return { specialist, service };
}

export interface LoadFigures {
  requestsPerSec: number; p50Ms: number; p99Ms: number; requests: number; errors: number;
  /** Share of the time the server's event loop was busy (the rest it waited, e.g. on PostgreSQL). */
  serverLoopBusy: number;
}

/** autocannon in a worker thread, so the load generator does not share the server's event loop. */
async function load(url: string, seconds: number): Promise<LoadFigures> {
  const elu = performance.eventLoopUtilization();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, workers: 1 });
  return {
    serverLoopBusy: Math.round(performance.eventLoopUtilization(elu).utilization * 100) / 100,
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

export interface SlotsBenchFigures {
  bare: LoadFigures;
  slots: LoadFigures;
  ratio: number;
  responseBytes: number;
  slotCount: number;
  loaderMs: { median: number; p99: number };
  targets: { ratio: number; p99Ms: number; met: boolean };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round2 = (x: number) => Math.round(x * 100) / 100;

export async function main(): Promise<SlotsBenchFigures> {
  const database = await createTestDatabase();
  const clock = new TestClock(NOW);
  const app = await buildApp(testConfig(database.url, { LOG_LEVEL: 'silent' }), { clock, poolSize: 10 });
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ hello: 'world', ok: true }));
  try {
    const { specialist, service } = await seed(database.db);
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    const path = `/api/specialists/bench/slots?service=bench-consult&from=2027-03-02&to=2027-04-01&timezone=America/New_York`;

    const probe = await fetch(appUrl + path);
    if (probe.status !== 200) throw new Error(`slots answered ${probe.status}: ${await probe.text()}`);
    const text = await probe.text();
    const body = JSON.parse(text) as { days: { slots: unknown[] }[] };
    const slotCount = body.days.reduce((n, d) => n + d.slots.length, 0);

    // The loader and engine alone (one query round trip plus computeSlots), sequentially.
    const from = Date.parse('2027-03-02T05:00:00Z'), until = Date.parse('2027-04-02T04:00:00Z');
    const times: number[] = [];
    for (let i = 0; i < 220; i++) {
      const t0 = performance.now();
      await availableSlots(app.db, { specialistId: specialist.id, timezone: specialist.timezone, service, from, until, now: clock.now() });
      if (i >= 20) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);

    await load(bareUrl + '/bare', 2); // warm-up
    const bareFigures = await load(bareUrl + '/bare', SECONDS);
    await load(appUrl + path, 2);
    const slotsFigures = await load(appUrl + path, SECONDS);

    const ratio = Math.round((slotsFigures.requestsPerSec / bareFigures.requestsPerSec) * 1000) / 1000;
    const figures: SlotsBenchFigures = {
      bare: bareFigures,
      slots: slotsFigures,
      ratio,
      responseBytes: Buffer.byteLength(text),
      slotCount,
      loaderMs: { median: round2(quantile(times, 0.5)), p99: round2(quantile(times, 0.99)) },
      targets: {
        ratio: TARGET_RATIO, p99Ms: TARGET_P99_MS,
        met: ratio >= TARGET_RATIO && slotsFigures.p99Ms < TARGET_P99_MS && slotsFigures.errors === 0,
      },
    };
    const row = (name: string, f: LoadFigures) =>
      `  ${name.padEnd(34)} ${String(f.requestsPerSec).padStart(7)} req/s   p50 ${String(f.p50Ms).padStart(4)} ms   p99 ${String(f.p99Ms).padStart(4)} ms   errors ${f.errors}   server loop busy ${Math.round(f.serverLoopBusy * 100)}%`;
    console.log(`slots endpoint vs bare Fastify, ${CONNECTIONS} connections, ${SECONDS} s each (node ${process.version})`);
    console.log(row('bare route {hello}', bareFigures));
    console.log(row(`slots, 31 days (${slotCount} slots)`, slotsFigures));
    console.log(`  response ${figures.responseBytes} bytes; availableSlots() alone: median ${figures.loaderMs.median} ms, p99 ${figures.loaderMs.p99} ms`);
    console.log(`  throughput ratio ${ratio} (target >= ${TARGET_RATIO}); p99 ${slotsFigures.p99Ms} ms (target < ${TARGET_P99_MS}): ${figures.targets.met ? 'MET' : 'MISSED'}`);
    return figures;
  } finally {
    await bare.close();
    await app.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
