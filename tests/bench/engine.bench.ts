// Benchmark of the pure slot engine and the zone math (a script, not a test).
// Run: node tests/bench/engine.bench.ts    Reuse: `const figures = await main()`.
import { computeSlots, type BookedRange, type BusyRange, type EngineInput, type WeeklyHours } from '../../server/availability/engine.ts';
import { instantToZoned } from '../../server/availability/zone.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const TARGET_MS = 1;

/** Small seeded PRNG (mulberry32) so every run benchmarks the same data. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weekly: WeeklyHours[] = [
  ...[1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: '09:00', end: '12:00' },
    { weekday, start: '13:00', end: '18:00' },
  ]),
  { weekday: 6, start: '10:00', end: '14:00' },
];

/** Europe/Berlin, from Monday 2025-03-03 for `days` days (crosses the 2025-03-30 DST change). */
function scenario(days: number): EngineInput {
  const random = rng(days);
  const now = Date.parse('2025-03-03T07:30:00Z');
  const from = now, until = now + days * DAY;
  // 300 bookings of 30 minutes (blocked 40 with their buffers) on a 45-minute grid between
  // 07:00 and 18:00 UTC, chosen at random among all grid places, so none overlap (as in the DB).
  const places: number[] = [];
  for (let d = 0; d < days; d++) for (let k = 0; k < 15; k++) places.push(from - 30 * MIN + d * DAY + k * 45 * MIN);
  for (let i = places.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [places[i], places[j]] = [places[j]!, places[i]!];
  }
  const bookings: BookedRange[] = places.slice(0, 300).map((start) => ({
    start, blockedFrom: start - 5 * MIN, blockedUntil: start + 35 * MIN, serviceId: random() < 0.5 ? 'consult' : 'other',
  }));
  const busy: BusyRange[] = Array.from({ length: 50 }, () => {
    const start = from + Math.floor(random() * days * 96) * 15 * MIN;
    return { start, end: start + (2 + Math.floor(random() * 10)) * 15 * MIN };
  });
  return {
    timezone: 'Europe/Berlin', weekly, overrides: [{ date: '2025-03-14', intervals: [] }],
    service: {
      serviceId: 'consult', durationMin: 30, stepMin: 15, bufferBeforeMin: 5, bufferAfterMin: 5,
      minNoticeMin: 60, horizonDays: 90, maxPerDay: 40,
    },
    bookings, busy, now, from, until,
  };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function timeEngine(input: EngineInput, warmup: number, iterations: number): EngineFigures {
  let slots = 0;
  for (let i = 0; i < warmup; i++) slots = computeSlots(input).length;
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    computeSlots(input);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { medianMs: round(quantile(ms, 0.5)), p90Ms: round(quantile(ms, 0.9)), p99Ms: round(quantile(ms, 0.99)), iterations, slots };
}

/** Warm per-call cost over 1000 distinct instants (the slots API's load), averaged. */
function timeInstantToZoned(): { warmNsPerCall: number; coldUsPerCall: number } {
  const base = Date.parse('2025-03-03T00:00:00Z');
  const instants = Array.from({ length: 1000 }, (_, i) => base + i * 45 * MIN);
  // Cold: a zone nothing has touched yet, so every new day costs Intl calls.
  let t0 = performance.now();
  for (const t of instants) instantToZoned(t, 'America/Chicago');
  const coldUsPerCall = ((performance.now() - t0) * 1000) / instants.length;
  let sink = 0;
  for (let r = 0; r < 200; r++) for (const t of instants) sink += instantToZoned(t, 'Europe/Berlin').minutes;
  const rounds = 2000;
  t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of instants) sink += instantToZoned(t, 'Europe/Berlin').minutes;
  const warmNsPerCall = ((performance.now() - t0) * 1e6) / (rounds * instants.length);
  if (sink === -1) console.log(sink); // keep the loop observable
  return { warmNsPerCall: Math.round(warmNsPerCall), coldUsPerCall: Math.round(coldUsPerCall * 100) / 100 };
}

/** Wall-clock per call, so p99 includes GC and any time the OS gives to other processes. */
export interface EngineFigures { medianMs: number; p90Ms: number; p99Ms: number; iterations: number; slots: number }

export interface EngineBenchFigures {
  days31: EngineFigures;
  days62: EngineFigures;
  targetMs: number;
  ratioToTarget31: number; // median / target: below 1 meets it
  instantToZoned: { warmNsPerCall: number; coldUsPerCall: number };
}

export async function main(): Promise<EngineBenchFigures> {
  const days31 = timeEngine(scenario(31), 500, 5000);
  const days62 = timeEngine(scenario(62), 500, 3000);
  const figures: EngineBenchFigures = {
    days31, days62, targetMs: TARGET_MS,
    ratioToTarget31: Math.round((days31.medianMs / TARGET_MS) * 1000) / 1000,
    instantToZoned: timeInstantToZoned(),
  };
  console.log(`engine, Europe/Berlin, 300 bookings + 50 busy, 15-min step, 30-min slots (node ${process.version})`);
  for (const [label, f] of [['31 days', days31], ['62 days', days62]] as const) {
    console.log(`  ${label}: median ${f.medianMs} ms, p90 ${f.p90Ms} ms, p99 ${f.p99Ms} ms (${f.slots} slots, ${f.iterations} runs)`);
  }
  console.log(`  31-day median / ${TARGET_MS} ms target = ${figures.ratioToTarget31}`);
  console.log(`instantToZoned: ${figures.instantToZoned.warmNsPerCall} ns/call warm, ${figures.instantToZoned.coldUsPerCall} µs/call on a fresh zone`);
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
