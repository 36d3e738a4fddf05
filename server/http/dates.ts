// The one strict reading of dates and instants that cross the API boundary. Every route's schema
// uses `format: 'date-time'` / `format: 'date'`, and the validator's formats are these functions
// (registerStrictFormats), so no handler ever sees a string its own Date.parse or calendar math
// cannot take: calendar-valid days, years within a sane window, UTC offsets with minutes
// (`Z`, `+01:00`), no leap seconds (23:59:60 is not an instant JavaScript can represent).
import type { Ajv } from 'ajv';

/** Years the API accepts, for instants (in UTC and as written) and for calendar dates. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2200;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Fractions beyond milliseconds are accepted and truncated (clients may send micro- or nanoseconds).
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const MIN_MS = Date.UTC(MIN_YEAR, 0, 1);
const MAX_MS = Date.UTC(MAX_YEAR + 1, 0, 1); // exclusive

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

function validDay(y: number, m: number, d: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** 'YYYY-MM-DD' of a real day between MIN_YEAR and MAX_YEAR, else null. */
export function parseCalendarDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DATE.exec(value);
  return m && validDay(+m[1]!, +m[2]!, +m[3]!) ? value : null;
}

/** Epoch ms of an RFC 3339 instant with an explicit offset, within the year bounds; else null. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = INSTANT.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = +m[10]!, om = +m[11]!;
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] === undefined ? 0 : +m[7].padEnd(3, '0').slice(0, 3);
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  return t >= MIN_MS && t < MAX_MS ? t : null;
}

/** Like parseInstant for a value the route's schema has already checked (the format is this parser). */
export function instantOf(value: string): number {
  const t = parseInstant(value);
  if (t === null) throw new RangeError(`not a validated instant: ${value.slice(0, 40)}`);
  return t;
}

/**
 * Replaces the validator's 'date-time' and 'date' formats with the strict ones above. Runs after
 * ajv-formats (Fastify's `ajv.onCreate`), whose RFC 3339 check admits leap seconds, offsets
 * without minutes in some versions and any year.
 */
export function registerStrictFormats(ajv: Ajv): void {
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => parseInstant(s) !== null });
  ajv.addFormat('date', { type: 'string', validate: (s: string) => parseCalendarDate(s) !== null });
}
