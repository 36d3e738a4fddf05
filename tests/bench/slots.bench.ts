// Benchmark of the slots endpoint over real HTTP against a bare Fastify route, both measured in
// this run on this machine (a script, not a test). The app runs on a fresh test database seeded
// with one specialist: 15-minute step, 300 active bookings and 50 external busy rows over 62 days,
// and a team of 15 (each with its own hours, 60 bookings and 20 busy rows) offering one service
// that visitors book as `specialist=any`.
// Run: node tests/bench/slots.bench.ts    Reuse: `const figures = await main()`.
import os from 'node:os';
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
/** Each load runs in ROUNDS interleaved slices, so all three see the same machine (others share it). */
const ROUNDS = 5;
/** The targets: ratios to the bare route in the same run, p99 at 50 connections. */
const TARGET_RATIO = 0.30;
const TARGET_TEAM_RATIO = 0.15;
const TARGET_P99_MS = 50;
const TEAM_SIZE = 15;

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
  // The team: 15 specialists in three zones, staggered hours, bookings and busy time of their own.
  const team = await addService(db, {
    slug: 'bench-team', duration_min: 30, slot_step_min: 15, buffer_before_min: 0, buffer_after_min: 5,
    min_notice_min: 60, horizon_days: 90,
  });
  for (let m = 0; m < TEAM_SIZE; m++) {
    const member = await addSpecialist(db, { slug: `bench-team-${m}`, name: `Team ${m}`, timezone: ['Europe/Berlin', 'Europe/London', 'Europe/Paris'][m % 3]! });
    await link(db, member.id, team.id);
    const open = `${String(8 + (m % 4)).padStart(2, '0')}:00`, close = `${String(15 + (m % 4)).padStart(2, '0')}:00`;
    await addHours(db, member.id, [1, 2, 3, 4, 5].map((d): [number, string, string] => [d, open, close]));
    for (let i = 0; i < 60; i++) {
      const day = Math.floor((i * 62) / 60);
      await addBooking(db, {
        specialistId: member.id, serviceId: team.id, durationMin: 30, bufferBeforeMin: 0, bufferAfterMin: 5,
        start: FIRST_DAY + day * DAY + (9 + (m % 5)) * 60 * MIN + (i % 2) * 90 * MIN,
      });
    }
    await addBusy(db, member.id, Array.from({ length: 20 }, (_, i): [number, number] => {
      const start = FIRST_DAY + Math.floor((i * 62) / 20) * DAY + (12 + (m % 3)) * 60 * MIN;
      return [start, start + 45 * MIN];
    }));
  }
  return { specialist, service };
}

export interface LoadFigures {
  requestsPerSec: number; p50Ms: number; p99Ms: number; requests: number; errors: number;
  /** Share of the time the server's event loop was busy (the rest it waited, e.g. on PostgreSQL). */
  serverLoopBusy: number;
}

/** autocannon in a worker thread, so the load generator does not share the server's event loop. */
async function slice(url: string | string[], seconds: number): Promise<LoadFigures> {
  const elu = performance.eventLoopUtilization();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, workers: 1 });
  return {
    serverLoopBusy: performance.eventLoopUtilization(elu).utilization,
    requestsPerSec: r.requests.total / seconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Slices of one load combined: throughput over all of them, latency percentiles as the median slice's. */
function combine(slices: LoadFigures[]): LoadFigures {
  const requests = slices.reduce((n, f) => n + f.requests, 0);
  return {
    requestsPerSec: Math.round(requests / SECONDS),
    p50Ms: median(slices.map((f) => f.p50Ms)),
    p99Ms: median(slices.map((f) => f.p99Ms)),
    requests,
    errors: slices.reduce((n, f) => n + f.errors, 0),
    serverLoopBusy: Math.round(median(slices.map((f) => f.serverLoopBusy)) * 100) / 100,
  };
}

/** Runs the loads interleaved, ROUNDS slices each, SECONDS in total per load. */
async function interleaved(loads: (string | string[])[]): Promise<LoadFigures[]> {
  const slices: LoadFigures[][] = loads.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, url] of loads.entries()) slices[i]!.push(await slice(url, SECONDS / ROUNDS));
  }
  return slices.map(combine);
}

export interface SlotsBenchFigures {
  bare: LoadFigures;
  /** 50 connections asking the same question: identical concurrent requests share one computation. */
  slotsSameQuery: LoadFigures;
  /** 50 connections, each its own visitor zone, same dates: the database load is shared, the rest is not. */
  slotsZones: LoadFigures;
  /** 50 connections, each its own zone AND dates: every request is computed on its own. */
  slotsDistinct: LoadFigures;
  /** `specialist=any` over the team of 15: one URL for everyone, and one visitor zone per connection. */
  teamSameQuery: LoadFigures;
  teamZones: LoadFigures;
  ratioSameQuery: number;
  ratioZones: number;
  ratioDistinct: number;
  ratioTeamSameQuery: number;
  ratioTeamZones: number;
  responseBytes: number;
  teamResponseBytes: number;
  loadAverage: number[];
  slotCount: number;
  loaderMs: { median: number; p99: number };
  targets: {
    ratio: number; teamRatio: number; p99Ms: number;
    metSameQuery: boolean; metZones: boolean; metDistinct: boolean; metTeamSameQuery: boolean; metTeamZones: boolean;
  };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round2 = (x: number) => Math.round(x * 100) / 100;
const ratioOf = (a: LoadFigures, b: LoadFigures) => Math.round((a.requestsPerSec / b.requestsPerSec) * 1000) / 1000;
const meets = (f: LoadFigures, ratio: number, target = TARGET_RATIO) => ratio >= target && f.p99Ms < TARGET_P99_MS && f.errors === 0;
const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

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
    const query = (zone: string, from = '2027-03-02', to = '2027-04-01', who = 'bench', service = 'bench-consult') =>
      `${appUrl}/api/specialists/${who}/slots?service=${service}&from=${from}&to=${to}&timezone=${zone}`;
    const same = query('America/New_York');
    // One visitor zone per connection; then also one 31-day range per connection (starting on
    // consecutive days, all inside the seeded 62 days' reach), so no two requests are alike.
    const zones = Intl.supportedValuesOf('timeZone').filter((z) => z.includes('/')).slice(0, CONNECTIONS);
    const byZone = zones.map((z) => query(z));
    const day = (n: number) => new Date(Date.parse('2027-03-02T00:00:00Z') + n * DAY).toISOString().slice(0, 10);
    const distinct = zones.map((z, i) => query(z, day(i % 31), day((i % 31) + 30)));
    if (new Set(distinct).size !== CONNECTIONS) throw new Error('distinct URLs are not distinct');
    const teamQuery = (zone: string) => query(zone, '2027-03-02', '2027-04-01', 'any', 'bench-team');
    const teamSame = teamQuery('America/New_York');
    const teamByZone = zones.map(teamQuery);
    const teamProbe = await fetch(teamSame);
    if (teamProbe.status !== 200) throw new Error(`team slots answered ${teamProbe.status}: ${await teamProbe.text()}`);
    const teamText = await teamProbe.text();
    if ((JSON.parse(teamText) as { team: string[] }).team.length !== TEAM_SIZE) throw new Error('team listing does not name the whole team');

    const probe = await fetch(same);
    if (probe.status !== 200) throw new Error(`slots answered ${probe.status}: ${await probe.text()}`);
    const text = await probe.text();
    const body = JSON.parse(text) as { days: { slots: unknown[] }[] };
    const slotCount = body.days.reduce((n, d) => n + d.slots.length, 0);
    for (const url of [...byZone, ...distinct, ...teamByZone]) if ((await fetch(url)).status !== 200) throw new Error(`slots failed for ${url}`);

    // The loader and engine alone (one query round trip plus computeSlots), sequentially.
    const from = Date.parse('2027-03-02T05:00:00Z'), until = Date.parse('2027-04-02T04:00:00Z');
    const times: number[] = [];
    for (let i = 0; i < 220; i++) {
      const t0 = performance.now();
      await availableSlots(app.db, { specialistId: specialist.id, timezone: specialist.timezone, service, from, until, now: clock.now() });
      if (i >= 20) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);

    await slice(bareUrl + '/bare', 1); // warm-up
    await slice(distinct, 1);
    const loadBefore = loadAverage();
    const [bareFigures, distinctFigures, zonesFigures, sameFigures, teamSameFigures, teamZonesFigures] =
      await interleaved([bareUrl + '/bare', distinct, byZone, same, teamSame, teamByZone]);
    const loadAfter = loadAverage();

    const ratioSameQuery = ratioOf(sameFigures, bareFigures);
    const ratioZones = ratioOf(zonesFigures, bareFigures);
    const ratioDistinct = ratioOf(distinctFigures, bareFigures);
    const ratioTeamSameQuery = ratioOf(teamSameFigures, bareFigures);
    const ratioTeamZones = ratioOf(teamZonesFigures, bareFigures);
    const figures: SlotsBenchFigures = {
      bare: bareFigures,
      slotsSameQuery: sameFigures,
      slotsZones: zonesFigures,
      slotsDistinct: distinctFigures,
      teamSameQuery: teamSameFigures,
      teamZones: teamZonesFigures,
      ratioSameQuery,
      ratioZones,
      ratioDistinct,
      ratioTeamSameQuery,
      ratioTeamZones,
      responseBytes: Buffer.byteLength(text),
      teamResponseBytes: Buffer.byteLength(teamText),
      loadAverage: [...loadBefore, ...loadAfter],
      slotCount,
      loaderMs: { median: round2(quantile(times, 0.5)), p99: round2(quantile(times, 0.99)) },
      targets: {
        ratio: TARGET_RATIO, teamRatio: TARGET_TEAM_RATIO, p99Ms: TARGET_P99_MS,
        metSameQuery: meets(sameFigures, ratioSameQuery),
        metZones: meets(zonesFigures, ratioZones),
        metDistinct: meets(distinctFigures, ratioDistinct),
        metTeamSameQuery: meets(teamSameFigures, ratioTeamSameQuery, TARGET_TEAM_RATIO),
        metTeamZones: meets(teamZonesFigures, ratioTeamZones, TARGET_TEAM_RATIO),
      },
    };
    const row = (name: string, f: LoadFigures) =>
      `  ${name.padEnd(40)} ${String(f.requestsPerSec).padStart(7)} req/s   p50 ${String(f.p50Ms).padStart(4)} ms   p99 ${String(f.p99Ms).padStart(4)} ms   errors ${f.errors}   server loop busy ${Math.round(f.serverLoopBusy * 100)}%`;
    const verdict = (ratio: number, f: LoadFigures, met: boolean, target = TARGET_RATIO) =>
      `ratio ${ratio} (target >= ${target}), p99 ${f.p99Ms} ms (target < ${TARGET_P99_MS}): ${met ? 'MET' : 'MISSED'}`;
    console.log(`slots endpoint vs bare Fastify, ${CONNECTIONS} connections, ${SECONDS} s each in ${ROUNDS} interleaved slices (node ${process.version})`);
    console.log(`  load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${os.cpus().length} cores, shared)`);
    console.log('  (req/s over all slices; p50/p99 of the median slice)');
    console.log(row('bare route {hello}', bareFigures));
    console.log(row('slots 31 days, all 50 different', distinctFigures));
    console.log(row('slots 31 days, 50 zones, same dates', zonesFigures));
    console.log(row('slots 31 days, one query for all', sameFigures));
    console.log(row(`team of ${TEAM_SIZE} (any), one query for all`, teamSameFigures));
    console.log(row(`team of ${TEAM_SIZE} (any), 50 zones`, teamZonesFigures));
    console.log(`  response ${figures.responseBytes} bytes, ${slotCount} slots; team response ${figures.teamResponseBytes} bytes; availableSlots() alone: median ${figures.loaderMs.median} ms, p99 ${figures.loaderMs.p99} ms`);
    console.log(`  all different:       ${verdict(ratioDistinct, distinctFigures, figures.targets.metDistinct)}`);
    console.log(`  zones, same dates:   ${verdict(ratioZones, zonesFigures, figures.targets.metZones)}`);
    console.log(`  one query for all:   ${verdict(ratioSameQuery, sameFigures, figures.targets.metSameQuery)}`);
    console.log(`  team, one query:     ${verdict(ratioTeamSameQuery, teamSameFigures, figures.targets.metTeamSameQuery, TARGET_TEAM_RATIO)}`);
    console.log(`  team, 50 zones:      ${verdict(ratioTeamZones, teamZonesFigures, figures.targets.metTeamZones, TARGET_TEAM_RATIO)}`);
    return figures;
  } finally {
    await bare.close();
    await app.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
