// Time-zone math on epoch milliseconds and 'YYYY-MM-DD' strings.
// Never reads the process TZ: wall-clock data comes only from Intl with an explicit timeZone,
// and calendar arithmetic is plain integer math on days since 1970-01-01.

const MIN = 60_000;
const DAY = 86_400_000;

/** The offset cache assumes what tzdata shows: no zone changes its offset and back within
 * 24 h (changes are weeks apart). So a UTC day whose two ends share an offset has it
 * throughout; a day whose ends differ stores its segments, found by bisection to the second. */
type Bucket = number | number[]; // constant offset in ms, or flat [from, offset, from, offset, ...]

interface ZoneInfo {
  fmt: Intl.DateTimeFormat;
  buckets: Map<number, Bucket>; // key: UTC day number
  lastDay: number;              // hot loops hit the same day again and again: skip the Map
  lastBucket: Bucket;
}

const zones = new Map<string, ZoneInfo>();
const MAX_BUCKETS = 100_000; // ~270 years per zone; cleared wholesale when exceeded

function makeFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', era: 'short',
    year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
}

// Letters first: Intl also accepts offset strings like '+05:00', which are not IANA names.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

let lastZone = '';
let lastInfo: ZoneInfo | undefined;

function zoneInfo(zone: string): ZoneInfo {
  if (zone === lastZone && lastInfo) return lastInfo;
  let info = zones.get(zone);
  if (info) {
    lastZone = zone;
    lastInfo = info;
    return info;
  }
  if (typeof zone !== 'string' || !ZONE_NAME.test(zone)) throw new RangeError(`invalid time zone: ${zone}`);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = makeFormatter(zone);
  } catch {
    throw new RangeError(`invalid time zone: ${zone}`);
  }
  info = { fmt, buckets: new Map(), lastDay: NaN, lastBucket: 0 };
  zones.set(zone, info); // only valid names are cached, so garbage input cannot grow the map
  return info;
}

/** True for IANA zone names Intl knows (case-insensitive, links like 'US/Eastern' included). */
export function isValidTimeZone(zone: string): boolean {
  try {
    zoneInfo(zone);
    return true;
  } catch {
    return false;
  }
}

// ---- calendar arithmetic (proleptic Gregorian, H. Hinnant's days_from_civil) ----

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** 'YYYY-MM-DD' -> days since 1970-01-01; throws on anything else. */
function dayNumber(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m) {
    const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return daysFromCivil(y, mo, d);
  }
  throw new RangeError(`invalid date: ${date}`);
}

const dateStrings = new Map<number, string>(); // day number -> 'YYYY-MM-DD', bounded below

function dateOf(day: number): string {
  let s = dateStrings.get(day);
  if (s !== undefined) return s;
  const [y, m, d] = civilFromDays(day);
  if (y < 0 || y > 9999) throw new RangeError(`date out of range: year ${y}`);
  s = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  if (dateStrings.size >= 10_000) dateStrings.clear();
  dateStrings.set(day, s);
  return s;
}

// 1970-01-01 (day 0) was a Thursday (ISO 4).
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Strict 'YYYY-MM-DD' with a real calendar day (years 0000-9999). */
export function isValidDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  return dateOf(dayNumber(date) + days);
}

/** ISO weekday, 1 = Monday .. 7 = Sunday. */
export function weekdayOf(date: string): number {
  return isoWeekday(dayNumber(date));
}

/** -1, 0 or 1; validates both so a typo cannot silently compare as a string. */
export function compareDates(a: string, b: string): number {
  const x = dayNumber(a), y = dayNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- offsets ----

/** Offset straight from Intl (ms, whole seconds: LMT offsets have seconds). */
function rawOffset(info: ZoneInfo, t: number): number {
  const s = Math.floor(t / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, bc = false;
  for (const p of info.fmt.formatToParts(s)) {
    switch (p.type) {
      case 'year': y = +p.value; break;
      case 'month': mo = +p.value; break;
      case 'day': d = +p.value; break;
      case 'hour': h = +p.value; break;
      case 'minute': mi = +p.value; break;
      case 'second': sec = +p.value; break;
      case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
    }
  }
  if (bc) y = 1 - y;
  return daysFromCivil(y, mo, d) * DAY + h * 3_600_000 + mi * MIN + sec * 1000 - s;
}

function fillBucket(info: ZoneInfo, day: number): Bucket {
  const a = day * DAY, e = a + DAY;
  const oa = rawOffset(info, a), oe = rawOffset(info, e);
  let bucket: Bucket;
  if (oa === oe) {
    bucket = oa;
  } else {
    const segs = [a, oa];
    let lo = a, olo = oa;
    while (olo !== oe) {
      // raw(lo) === olo, raw(e) !== olo: bisect on whole seconds for the change.
      let hi = e;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (rawOffset(info, mid) === olo) lo = mid;
        else hi = mid;
      }
      lo = hi;
      olo = rawOffset(info, hi);
      segs.push(hi, olo);
    }
    bucket = segs;
  }
  if (info.buckets.size >= MAX_BUCKETS) info.buckets.clear(); // bounded memory; refills on demand
  info.buckets.set(day, bucket);
  return bucket;
}

function offsetMs(info: ZoneInfo, t: number): number {
  const day = Math.floor(t / DAY);
  let b = info.lastBucket;
  if (day !== info.lastDay) {
    b = info.buckets.get(day) ?? fillBucket(info, day);
    info.lastDay = day;
    info.lastBucket = b;
  }
  if (typeof b === 'number') return b;
  let off = b[1]!;
  for (let i = 2; i < b.length && t >= b[i]!; i += 2) off = b[i + 1]!;
  return off;
}

function checkInstant(epochMs: number): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`invalid instant: ${epochMs}`);
}

/** UTC offset of the zone at that instant, in minutes (east positive; fractional only for LMT). */
export function offsetMinutes(epochMs: number, zone: string): number {
  checkInstant(epochMs);
  return offsetMs(zoneInfo(zone), epochMs) / MIN;
}

export interface ZonedTime {
  date: string;    // 'YYYY-MM-DD' local calendar date
  minutes: number; // minutes since local midnight, 0..1439 (seconds dropped)
  weekday: number; // ISO 1 = Monday .. 7 = Sunday
}

export function instantToZoned(epochMs: number, zone: string): ZonedTime {
  checkInstant(epochMs);
  const local = epochMs + offsetMs(zoneInfo(zone), epochMs);
  const day = Math.floor(local / DAY);
  return { date: dateOf(day), minutes: Math.floor((local - day * DAY) / MIN), weekday: isoWeekday(day) };
}

/** Local date as days since 1970-01-01: a cheap integer for per-slot checks in hot loops. */
export function localDayNumber(epochMs: number, zone: string): number {
  checkInstant(epochMs);
  return Math.floor((epochMs + offsetMs(zoneInfo(zone), epochMs)) / DAY);
}

/**
 * Epoch ms of a wall-clock time. A time inside a DST gap (or a skipped day) moves forward to
 * the first instant after the gap; a time in a repeated hour takes the earlier occurrence.
 * minutesOfDay 1440 is midnight starting the next day.
 */
export function zonedToInstant(date: string, minutesOfDay: number, zone: string): number {
  const info = zoneInfo(zone);
  if (!Number.isInteger(minutesOfDay) || minutesOfDay < 0 || minutesOfDay > 1440) {
    throw new RangeError(`minutesOfDay must be an integer in 0..1440: ${minutesOfDay}`);
  }
  const local = dayNumber(date) * DAY + minutesOfDay * MIN;
  // Any transition relevant to this wall time lies within local -16 h .. +16 h (extreme
  // offsets), so the offsets one day either side are the ones before and after it.
  const before = offsetMs(info, local - DAY);
  const after = offsetMs(info, local + DAY);
  const t1 = local - before, t2 = local - after;
  const ok1 = offsetMs(info, t1) === before;
  const ok2 = after !== before && offsetMs(info, t2) === after;
  if (ok1 && ok2) return Math.min(t1, t2); // repeated wall time: earlier occurrence
  if (ok1) return t1;
  if (ok2) return t2;
  // Gap: the wall time is skipped. Return the transition instant, the first one after it.
  let lo = Math.min(t1, t2), hi = Math.max(t1, t2); // offset(lo) = before, offset(hi) = after
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetMs(info, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}
