// Visitor-local calendar days: the query window a date range stands for, and the grouping of
// slots under the visitor-local date each one starts on. Pure: zones are arguments.
import { addDays, compareDates, instantToZoned, isValidDate, localDayNumber, zonedToInstant } from './zone.ts';

export type RangeProblem = 'invalid_range' | 'range_too_long';

/**
 * Checks inclusive calendar dates `from`..`to`: both real 'YYYY-MM-DD' dates, `from` not after
 * `to`, and at most `maxDays` days. Days are counted on the calendar, never from instants (a
 * local day may last 23, 25 or even 0 hours).
 */
export function checkDateRange(from: string, to: string, maxDays: number): RangeProblem | null {
  if (!isValidDate(from) || !isValidDate(to) || compareDates(from, to) > 0) return 'invalid_range';
  if (compareDates(addDays(from, maxDays - 1), to) < 0) return 'range_too_long';
  return null;
}

/**
 * The instants [from, until) covered by the inclusive local dates `fromDate`..`toDate` in `zone`:
 * local midnight of the first date up to local midnight after the last. A midnight in a DST gap
 * (or a skipped day) moves forward to the first existing instant, like every wall-clock boundary.
 */
export function localDateWindow(fromDate: string, toDate: string, zone: string): { from: number; until: number } {
  return { from: zonedToInstant(fromDate, 0, zone), until: zonedToInstant(addDays(toDate, 1), 0, zone) };
}

export interface LocalDay<S extends { start: number }> {
  date: string;
  slots: S[];
}

/**
 * Groups slots (sorted by start) under the local date in `zone` on which each starts, dates
 * ascending; dates without slots do not appear. Keyed by local day number rather than by runs:
 * a fall-back across midnight can make a later instant start on an earlier local date.
 */
export function groupByLocalDate<S extends { start: number }>(slots: readonly S[], zone: string): LocalDay<S>[] {
  const byDay = new Map<number, LocalDay<S>>();
  let lastKey = NaN;
  let last: LocalDay<S> | undefined;
  for (const slot of slots) {
    const key = localDayNumber(slot.start, zone);
    if (key !== lastKey) {
      last = byDay.get(key);
      if (last === undefined) {
        last = { date: instantToZoned(slot.start, zone).date, slots: [] };
        byDay.set(key, last);
      }
      lastKey = key;
    }
    last!.slots.push(slot);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, day]) => day);
}

const DAY = 86_400_000;
const MAX_ISO = 253_402_300_800_000; // 10000-01-01: beyond it toISOString switches to ±YYYYYY
let prefixDay = NaN;
let prefix = '';

const two = (n: number) => (n < 10 ? '0' : '') + n;

/**
 * `new Date(ms).toISOString()`, byte for byte, without a Date per call: a 62-day listing
 * formats thousands of instants, most sharing a UTC date, so the 'YYYY-MM-DDT' prefix is reused.
 */
export function isoUtc(ms: number): string {
  if (!(ms >= 0 && ms < MAX_ISO) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY);
  if (day !== prefixDay) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    prefixDay = day;
  }
  let r = ms - day * DAY;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  const milli = r - s * 1000;
  return `${prefix}${two(h)}:${two(m)}:${two(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
