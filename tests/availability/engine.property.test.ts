// Property tests: the engine and zone math against a brute-force reference written here with
// nothing but Intl (no offsets, no caches, no shared code), over zones chosen for their
// oddities and random schedules around their transitions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { computeSlots, type EngineInput, type BookedRange, type BusyRange } from '../../server/availability/engine.ts';
import { instantToZoned, offsetMinutes, zonedToInstant } from '../../server/availability/zone.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------- brute-force reference ----------

const fmts = new Map<string, Intl.DateTimeFormat>();
/** The zone's wall clock at t, expressed as a UTC epoch ms (whole seconds). */
function wall(t: number, zone: string): number {
  let f = fmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    fmts.set(zone, f);
  }
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/.exec(f.format(t));
  if (!m) throw new Error(`unexpected format: ${f.format(t)}`);
  return Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!);
}

const refDate = (t: number, zone: string) => new Date(wall(t, zone)).toISOString().slice(0, 10);
const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Wall clock of every minute from 15 h before the date to 12 h after it (all offsets used here fit). */
const tables = new Map<string, { t0: number; walls: number[] }>();
function refZonedToInstant(date: string, minutes: number, zone: string): number {
  const key = `${zone} ${date}`;
  let tab = tables.get(key);
  if (!tab) {
    const t0 = Date.parse(`${date}T00:00:00Z`) - 15 * HOUR;
    const walls: number[] = [];
    for (let t = t0; t <= t0 + 51 * HOUR; t += MIN) walls.push(wall(t, zone));
    tab = { t0, walls };
    tables.set(key, tab);
  }
  // The first minute whose wall clock reaches the target: the earlier occurrence of a
  // repeated time, or the end of the gap for a skipped one.
  const target = Date.parse(`${date}T00:00:00Z`) + minutes * MIN;
  const i = tab.walls.findIndex((w) => w >= target);
  assert.ok(i > 0, `reference table too small for ${zone} ${date} ${minutes}`);
  return tab.t0 + i * MIN;
}

const hhmm = (s: string) => (s === '24:00' ? 1440 : +s.slice(0, 2) * 60 + +s.slice(3));

function intervalsOn(inp: EngineInput, date: string): [number, number][] {
  const o = inp.overrides.find((x) => x.date === date);
  if (o) return o.intervals.map((r) => [hhmm(r.start), hhmm(r.end)]);
  return inp.weekly.filter((w) => w.weekday === isoWeekday(date)).map((w) => [hhmm(w.start), hhmm(w.end)]);
}

/**
 * The rules read literally: every candidate of every nearby date, every check a linear scan.
 * A start lies on its own interval's grid; the session may run on into intervals that touch or
 * overlap it (the stretch of work, found here by repeating until nothing extends it).
 */
function refSlots(inp: EngineInput): number[] {
  const z = inp.timezone, s = inp.service;
  const dur = s.durationMin * MIN, step = s.stepMin * MIN;
  const lastDate = shiftDate(refDate(inp.now, z), s.horizonDays);
  const raw: [number, number][] = [];
  for (let date = shiftDate(refDate(inp.from, z), -3); date <= shiftDate(refDate(inp.until, z), 3); date = shiftDate(date, 1)) {
    for (const [a, b] of intervalsOn(inp, date)) raw.push([refZonedToInstant(date, a, z), refZonedToInstant(date, b, z)]);
  }
  const reachOf = (end: number) => {
    let reach = end, changed = true;
    while (changed) {
      changed = false;
      for (const [a, b] of raw) if (a < b && a <= reach && b > reach) { reach = b; changed = true; }
    }
    return reach;
  };
  const found = new Set<number>();
  for (const [start, end] of raw) {
    const reach = reachOf(end);
    for (let t = start; t < end && t + dur <= reach; t += step) {
      if (t < inp.from || t >= inp.until || t < inp.now + s.minNoticeMin * MIN) continue;
      const d = refDate(t, z);
      if (d > lastDate) continue;
      const qs = t - s.bufferBeforeMin * MIN, qe = t + dur + s.bufferAfterMin * MIN;
      if (inp.bookings.some((bk) => bk.blockedFrom < qe && qs < bk.blockedUntil)) continue;
      if (inp.busy.some((bz) => bz.start < qe && qs < bz.end)) continue;
      if (s.maxPerDay !== null && inp.bookings.filter((bk) => bk.serviceId === s.serviceId && refDate(bk.start, z) === d).length >= s.maxPerDay) continue;
      found.add(t);
    }
  }
  return [...found].sort((x, y) => x - y);
}

// ---------- generators ----------

/** Zones with their awkward dates: DST both ways, 30/45-minute offsets, midnight gaps, a skipped day. */
const ZONES: Record<string, string[]> = {
  'Europe/Berlin': ['2024-03-31', '2024-10-27'],
  'America/New_York': ['2024-03-10', '2024-11-03'],
  'America/St_Johns': ['2024-03-10', '2024-11-03'],
  'America/Santiago': ['2024-04-06', '2024-09-07'],
  'Asia/Kathmandu': ['1986-01-01', '2024-06-10'],
  'Australia/Lord_Howe': ['2024-04-07', '2024-10-06'],
  'Pacific/Apia': ['2011-12-30', '2011-09-24'],
  'Pacific/Kiritimati': ['1994-12-31', '2024-06-10'],
  'Pacific/Pago_Pago': ['2024-06-10'],
  'Africa/Casablanca': ['2024-03-10', '2024-04-14'],
  'UTC': ['2024-02-28'],
};
const zoneAndAnchor = fc.constantFrom(...Object.entries(ZONES).flatMap(([z, ds]) => ds.map((d) => [z, d] as const)));
const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const range = fc.tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 1, max: 96 }))
  .filter(([a, n]) => a + n <= 96).map(([a, n]) => ({ start: clock(a * 15), end: clock((a + n) * 15) }));

const arbInput: fc.Arbitrary<EngineInput> = zoneAndAnchor.chain(([timezone, anchor]) => {
  const base = Date.parse(`${anchor}T00:00:00Z`);
  const around = (minDays: number, maxDays: number) => fc.integer({ min: minDays * 288, max: maxDays * 288 }).map((k) => base + k * 5 * MIN);
  const booking: fc.Arbitrary<BookedRange> = fc.record({
    start: around(-3, 4), len: fc.integer({ min: 1, max: 24 }), pre: fc.constantFrom(0, 5, 15), post: fc.constantFrom(0, 10, 30),
    serviceId: fc.constantFrom('a', 'b'),
  }).map(({ start, len, pre, post, serviceId }) => ({ start, blockedFrom: start - pre * MIN, blockedUntil: start + len * 5 * MIN + post * MIN, serviceId }));
  const busy: fc.Arbitrary<BusyRange> = fc.tuple(around(-3, 4), fc.integer({ min: 1, max: 72 })).map(([start, n]) => ({ start, end: start + n * 5 * MIN }));
  return fc.record({
    timezone: fc.constant(timezone),
    weekly: fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), range).map(([weekday, r]) => ({ weekday, ...r })), { maxLength: 8 }),
    overrides: fc.uniqueArray(fc.record({ date: fc.integer({ min: -3, max: 3 }).map((k) => shiftDate(anchor, k)), intervals: fc.array(range, { maxLength: 2 }) }),
      { selector: (o) => o.date, maxLength: 3 }),
    service: fc.record({
      serviceId: fc.constantFrom('a', 'b'), durationMin: fc.constantFrom(15, 30, 45, 60, 90), stepMin: fc.constantFrom(5, 10, 15, 30, 60),
      bufferBeforeMin: fc.constantFrom(0, 5, 15, 30), bufferAfterMin: fc.constantFrom(0, 10, 30), minNoticeMin: fc.constantFrom(0, 30, 120, 1440),
      horizonDays: fc.integer({ min: 0, max: 6 }), maxPerDay: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
    bookings: fc.array(booking, { maxLength: 12 }),
    busy: fc.array(busy, { maxLength: 8 }),
    now: around(-5, 1),
    from: around(-2, 1),
    len: fc.integer({ min: 1, max: 4 * 24 }),
  }).map(({ len, ...inp }) => ({ ...inp, until: inp.from + len * HOUR }));
});

// ---------- properties ----------

describe('engine vs brute-force reference', () => {
  test('identical slots, and every invariant holds on its own', () => {
    fc.assert(fc.property(arbInput, (inp) => {
      const got = computeSlots(inp);
      assert.deepEqual(got.map((s) => s.start), refSlots(inp));
      const dur = inp.service.durationMin * MIN;
      for (const [i, s] of got.entries()) {
        assert.equal(s.end, s.start + dur);
        if (i > 0) assert.ok(s.start > got[i - 1]!.start, 'sorted, no duplicates');
        assert.ok(s.start >= inp.from && s.start < inp.until && s.start >= inp.now + inp.service.minNoticeMin * MIN);
        const qs = s.start - inp.service.bufferBeforeMin * MIN, qe = s.end + inp.service.bufferAfterMin * MIN;
        for (const b of inp.bookings) assert.ok(!(b.blockedFrom < qe && qs < b.blockedUntil), 'overlaps a booking');
        for (const b of inp.busy) assert.ok(!(b.start < qe && qs < b.end), 'overlaps busy time');
        // Starts inside a working interval of some nearby local date, on its step grid; boundaries
        // re-derived from the wall clock by the reference. Every minute of it is working time.
        const d0 = refDate(s.start, inp.timezone);
        const nearby = [-2, -1, 0, 1, 2].flatMap((k) => intervalsOn(inp, shiftDate(d0, k)).map(([a, b]) =>
          [refZonedToInstant(shiftDate(d0, k), a, inp.timezone), refZonedToInstant(shiftDate(d0, k), b, inp.timezone)] as const));
        const onGrid = nearby.some(([ia, ib]) => ia <= s.start && s.start < ib && (s.start - ia) % (inp.service.stepMin * MIN) === 0);
        assert.ok(onGrid, `slot ${new Date(s.start).toISOString()} not on an interval's grid`);
        for (let m = s.start; m < s.end; m += 5 * MIN) {
          assert.ok(nearby.some(([ia, ib]) => ia <= m && m < ib), `slot ${new Date(s.start).toISOString()} runs outside working time`);
        }
      }
    }), { numRuns: 200, seed: Number(process.env.FC_SEED ?? 1), endOnFailure: true });
  });

  test('same results in child processes with TZ=UTC, Asia/Tokyo, America/Los_Angeles', () => {
    const inputs = fc.sample(arbInput, { numRuns: 40, seed: 7 });
    const probes = Object.entries(ZONES).flatMap(([z, ds]) => ds.flatMap((d) => [0, 90, 150, 600, 1440].map((m) => [d, m, z] as const)));
    const here = JSON.stringify({ slots: inputs.map(computeSlots), zoned: probes.map(([d, m, z]) => zonedToInstant(d, m, z)) });
    const engineUrl = new URL('../../server/availability/engine.ts', import.meta.url).href;
    const zoneUrl = new URL('../../server/availability/zone.ts', import.meta.url).href;
    const script = `
      const { computeSlots } = await import(${JSON.stringify(engineUrl)});
      const { zonedToInstant } = await import(${JSON.stringify(zoneUrl)});
      let s = ''; for await (const c of process.stdin) s += c;
      const { inputs, probes } = JSON.parse(s);
      process.stdout.write(JSON.stringify({ slots: inputs.map(computeSlots), zoned: probes.map(([d, m, z]) => zonedToInstant(d, m, z)) }));`;
    for (const TZ of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        input: JSON.stringify({ inputs, probes }), env: { ...process.env, TZ }, encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, here, `TZ=${TZ}`);
    }
  });
});

describe('zone math vs Intl', () => {
  const allZones = Intl.supportedValuesOf('timeZone');
  const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) });

  test('offsetMinutes and instantToZoned match Intl for any zone and instant', () => {
    fc.assert(fc.property(fc.constantFrom(...allZones), instant, (zone, t) => {
      const w = wall(t, zone);
      assert.equal(offsetMinutes(t, zone), (w - Math.floor(t / 1000) * 1000) / MIN);
      const d = new Date(w);
      assert.deepEqual(instantToZoned(t, zone), {
        date: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes(), weekday: ((d.getUTCDay() + 6) % 7) + 1,
      });
    }), { numRuns: 3000, seed: 2 });
  });

  test('instants right at a transition: the cache agrees with Intl second by second', () => {
    fc.assert(fc.property(zoneAndAnchor, fc.integer({ min: -40 * 3600, max: 40 * 3600 }), ([zone, anchor], sec) => {
      const t = Date.parse(`${anchor}T00:00:00Z`) + sec * 1000;
      assert.equal(offsetMinutes(t, zone), (wall(t, zone) - t) / MIN);
    }), { numRuns: 3000, seed: 3 });
  });

  test('zonedToInstant matches the minute-by-minute reference near transitions', () => {
    fc.assert(fc.property(zoneAndAnchor, fc.integer({ min: -1, max: 1 }), fc.integer({ min: 0, max: 1440 }), ([zone, anchor], k, m) => {
      const date = shiftDate(anchor, k);
      assert.equal(zonedToInstant(date, m, zone), refZonedToInstant(date, m, zone));
    }), { numRuns: 2000, seed: 4 });
  });

  test('zonedToInstant matches the reference for any zone, 1980-2037', () => {
    const date = fc.integer({ min: Date.UTC(1980, 0, 1) / DAY, max: Date.UTC(2037, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
    fc.assert(fc.property(fc.constantFrom(...allZones), date, fc.integer({ min: 0, max: 1440 }), (zone, d, m) => {
      assert.equal(zonedToInstant(d, m, zone), refZonedToInstant(d, m, zone));
    }), { numRuns: 100, seed: 5 });
  });
});
