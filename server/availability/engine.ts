// The pure slot engine: no clock, no env, no DB. Everything it needs is in EngineInput,
// so the same input always gives the same slots (and tests can pin `now`).

import { addDays, instantToZoned, isValidDate, localDayNumber, weekdayOf, zonedToInstant, isValidTimeZone } from './zone.ts';

/** 'HH:MM' wall-clock range; end may be '24:00' so a day can run to midnight. start < end. */
export interface TimeRange { start: string; end: string }

/** Recurring hours: ISO weekday 1 = Mon .. 7 = Sun; several ranges per weekday allowed. */
export interface WeeklyHours { weekday: number; start: string; end: string }

/** A date's own hours: empty intervals = blocked day; otherwise they REPLACE that date's weekly hours. */
export interface DateOverride { date: string; intervals: TimeRange[] }

export interface ServiceRules {
  serviceId: string;
  durationMin: number;
  stepMin: number;          // distance between candidate starts; the caller defaults it to the duration
  bufferBeforeMin: number;  // free time needed before a slot (prep), must not overlap anything blocked
  bufferAfterMin: number;   // free time needed after it (notes, travel)
  minNoticeMin: number;     // earliest start is now + this
  horizonDays: number;      // last bookable local date is today (specialist's zone) + this
  maxPerDay: number | null; // cap on this service's bookings per specialist-local date; null = none
}

/** An active booking, epoch ms. Blocked = the booking plus its own buffers (what the DB constraint uses). */
export interface BookedRange { start: number; blockedFrom: number; blockedUntil: number; serviceId: string }

/** External calendar busy time, epoch ms, half-open. */
export interface BusyRange { start: number; end: number }

export interface EngineInput {
  timezone: string;          // the specialist's IANA zone; weekly hours and overrides are wall-clock in it
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  service: ServiceRules;
  bookings: BookedRange[];
  busy: BusyRange[];
  now: number;               // epoch ms; an argument so the engine never reads a clock
  from: number;              // window of interest, epoch ms: slots whose start is in [from, until)
  until: number;
}

/** Epoch ms, half-open [start, end); end = start + duration. */
export interface Slot { start: number; end: number }

const MIN = 60_000;
const DAY = 86_400_000;
const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

type Minutes = [number, number]; // [start, end) minutes of the local day

function parseRange(start: string, end: string, what: string): Minutes {
  const a = parseHHMM(start, what), b = parseHHMM(end, what);
  if (a >= b) throw new RangeError(`${what}: start ${start} must be before end ${end}`);
  return [a, b];
}

function parseHHMM(s: string, what: string): number {
  const m = typeof s === 'string' ? HHMM.exec(s) : null;
  if (!m) throw new RangeError(`${what}: invalid time '${s}' (want HH:MM, 00:00..24:00)`);
  return m[3] ? 1440 : +m[1]! * 60 + +m[2]!;
}

function checkRules(s: ServiceRules): void {
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!int(s.durationMin, 1) || !int(s.stepMin, 1)) throw new RangeError('durationMin and stepMin must be positive integers');
  if (!int(s.bufferBeforeMin, 0) || !int(s.bufferAfterMin, 0) || !int(s.minNoticeMin, 0) || !int(s.horizonDays, 0)) {
    throw new RangeError('buffers, minNoticeMin and horizonDays must be non-negative integers');
  }
  if (s.maxPerDay !== null && !int(s.maxPerDay, 0)) throw new RangeError('maxPerDay must be null or a non-negative integer');
}

function finite(...xs: number[]): void {
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`not a finite epoch ms: ${x}`);
}

/** Union of all blocked time as sorted, disjoint [starts[i], ends[i]) so one cursor can sweep it. */
function blockedUnion(bookings: BookedRange[], busy: BusyRange[]): { starts: number[]; ends: number[] } {
  const ranges: Minutes[] = [];
  for (const b of bookings) {
    finite(b.start, b.blockedFrom, b.blockedUntil);
    if (b.blockedFrom < b.blockedUntil) ranges.push([b.blockedFrom, b.blockedUntil]);
  }
  for (const b of busy) {
    finite(b.start, b.end);
    if (b.start < b.end) ranges.push([b.start, b.end]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const starts: number[] = [], ends: number[] = [];
  for (const [s, e] of ranges) {
    const n = ends.length;
    if (n > 0 && s <= ends[n - 1]!) { // overlapping or touching: merging keeps overlap tests exact
      if (e > ends[n - 1]!) ends[n - 1] = e;
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

/**
 * Working intervals as instants, sorted by start, each with the end of the stretch of work it
 * belongs to: intervals that touch or overlap (also across midnight) form one stretch.
 */
function stretches(work: number[], ordered: boolean): { starts: number[]; ends: number[]; stretchEnds: number[] } {
  const n = work.length / 2;
  let order: number[] | null = null;
  if (!ordered) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((x, y) => work[2 * x]! - work[2 * y]!);
  }
  const starts = new Array<number>(n), ends = new Array<number>(n), stretchEnds = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k]!;
    starts[k] = work[2 * i]!;
    ends[k] = work[2 * i + 1]!;
  }
  // Sweep groups of touching intervals; every member gets the group's end.
  for (let k = 0; k < n;) {
    let reach = ends[k]!, m = k + 1;
    while (m < n && starts[m]! <= reach) { if (ends[m]! > reach) reach = ends[m]!; m++; }
    for (let i = k; i < m; i++) stretchEnds[i] = reach;
    k = m;
  }
  return { starts, ends, stretchEnds };
}

/** Sorted, de-duplicated slots whose start is in [from, until). Throws RangeError on malformed input. */
export function computeSlots(input: EngineInput): Slot[] {
  const { timezone: zone, service: s, now, from } = input;
  if (!isValidTimeZone(zone)) throw new RangeError(`invalid time zone: ${zone}`);
  checkRules(s);
  finite(now, from, input.until);

  const weekly: Minutes[][] = [[], [], [], [], [], [], [], []]; // index = ISO weekday
  for (const w of input.weekly) {
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) throw new RangeError(`invalid weekday: ${w.weekday}`);
    weekly[w.weekday]!.push(parseRange(w.start, w.end, `weekday ${w.weekday}`));
  }
  const overrides = new Map<string, Minutes[]>();
  for (const o of input.overrides) {
    if (!isValidDate(o.date)) throw new RangeError(`invalid override date: ${o.date}`);
    if (overrides.has(o.date)) throw new RangeError(`duplicate override for ${o.date}`);
    overrides.set(o.date, o.intervals.map((r) => parseRange(r.start, r.end, `override ${o.date}`)));
  }

  // Starts this far after now are past the horizon on any zone's calendar; cutting here keeps
  // an open-ended window cheap and within the dates Intl can format.
  const until = Math.min(input.until, now + (s.horizonDays + 3) * DAY);
  const earliest = Math.max(from, now + s.minNoticeMin * MIN);
  if (earliest >= until) return [];

  const durMs = s.durationMin * MIN, stepMs = s.stepMin * MIN;
  const beforeMs = s.bufferBeforeMin * MIN, afterMs = s.bufferAfterMin * MIN;
  const lastDay = localDayNumber(now, zone) + s.horizonDays;

  // Bookings of this service per specialist-local date, only when a cap applies.
  const perDay = new Map<number, number>();
  const cap = s.maxPerDay;
  if (cap !== null) {
    for (const b of input.bookings) {
      if (b.serviceId !== s.serviceId) continue;
      const d = localDayNumber(b.start, zone);
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
  }

  const { starts, ends } = blockedUnion(input.bookings, input.busy);
  const nBlocked = starts.length;
  let cur = 0; // first blocked range that may end after the query start

  // Walk local dates that can hold a slot start in [earliest, until): a wall-clock boundary
  // can land on a neighbouring date (gaps, skipped days, fall-back across midnight), so pad by one.
  const firstDay = localDayNumber(earliest, zone) - 1;
  // A slot may run into the next date's hours (a stretch across midnight): one more date.
  const endDay = Math.min(localDayNumber(until, zone) + 2, lastDay + 2);
  let date = addDays(instantToZoned(earliest, zone).date, -1);

  // Working time as instants; boundaries follow the wall clock. Intervals that touch or overlap
  // are one stretch of work: 09:00-12:00 + 12:00-17:00 offers an 11:30 start running past noon,
  // and 22:00-24:00 + the next day's 00:00-02:00 offers starts across midnight. Starts keep the
  // grid of the interval they fall in, so the grid never depends on the window asked about.
  const work: number[] = []; // flat [start, end, start, end, ...]
  let ordered = true;
  for (let day = firstDay; day <= endDay; day++, date = addDays(date, 1)) {
    const intervals = overrides.get(date) ?? weekly[weekdayOf(date)]!;
    for (const [a, b] of intervals) {
      const startI = zonedToInstant(date, a, zone);
      const endI = zonedToInstant(date, b, zone);
      if (startI >= endI) continue; // a wall-clock range swallowed by a DST gap
      if (work.length > 0 && startI < work[work.length - 2]!) ordered = false;
      work.push(startI, endI);
    }
  }
  const iv = stretches(work, ordered);

  const out: number[] = [];
  for (let k = 0; k < iv.starts.length; k++) {
    // Steps are real elapsed time from the interval's start.
    const startI = iv.starts[k]!, endI = iv.ends[k]!, reach = iv.stretchEnds[k]!;
    let t = startI < earliest ? startI + Math.ceil((earliest - startI) / stepMs) * stepMs : startI;
    while (t < endI && t < until && t + durMs <= reach) {
      const qs = t - beforeMs, qe = t + durMs + afterMs;
      // Move the cursor both ways so it stays right even when intervals overlap.
      while (cur < nBlocked && ends[cur]! <= qs) cur++;
      while (cur > 0 && ends[cur - 1]! > qs) cur--;
      if (cur < nBlocked && starts[cur]! < qe) {
        // Conflict: skip straight to the first step whose blocked range starts at its end.
        const next = ends[cur]! + beforeMs;
        t = startI + Math.ceil((next - startI) / stepMs) * stepMs;
        continue;
      }
      const ld = localDayNumber(t, zone);
      if (ld <= lastDay && (cap === null || (perDay.get(ld) ?? 0) < cap)) out.push(t);
      t += stepMs;
    }
  }

  // Each interval yields ascending starts; overlapping intervals may interleave or repeat.
  let sorted = true;
  for (let i = 1; i < out.length; i++) if (out[i]! <= out[i - 1]!) { sorted = false; break; }
  if (!sorted) out.sort((x, y) => x - y);
  const slots: Slot[] = [];
  for (let i = 0; i < out.length; i++) {
    if (i > 0 && out[i] === out[i - 1]) continue;
    slots.push({ start: out[i]!, end: out[i]! + durMs });
  }
  return slots;
}
