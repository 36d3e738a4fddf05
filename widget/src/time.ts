// Calendar-date arithmetic and zone-aware formatting, all through Intl so results never depend
// on the zone of the visitor's machine: a plain date "YYYY-MM-DD" is computed in UTC, an
// instant is shown in an explicit IANA zone.

/** "YYYY-MM-DD" -> epoch ms of that date at 00:00 UTC (a neutral carrier for date arithmetic). */
function utcOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(utcOf(date) + days * 86_400_000);
}

/** The same day-of-month `months` later, clamped to the target month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return isoDate(first.getTime());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(utcOf(date)).getUTCDay();
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function firstOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastOfMonth(month: string): string {
  return addDays(addMonths(firstOfMonth(month), 1), -1);
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function zoneParts(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    partsCache.set(zone, f);
  }
  return f;
}

/** The calendar date an instant falls on in `zone`. */
export function dateInZone(instant: number | string, zone: string): string {
  const parts = zoneParts(zone).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** All zones the browser knows, for the zone picker. */
export function allZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/** The first day of the week for a locale (0 = Sunday), from Intl where the browser has it. */
export function firstDayOfWeek(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    if (info) return info.firstDay % 7;
  } catch { /* fall through */ }
  return /^en(-US|-CA)?$/i.test(locale) ? 0 : 1;
}

// Formatting (locale decides 12/24-hour and word order; the zone is always explicit).

function fmt(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
}

export function formatTime(instant: string | number, locale: string, zone: string): string {
  return fmt(locale, zone, { timeStyle: 'short' }).format(new Date(instant));
}

/** A time with its UTC offset ("1:00 AM GMT-4"), to tell the two occurrences of a repeated hour apart. */
export function formatTimeOffset(instant: string | number, locale: string, zone: string, withDate = false): string {
  const date: Intl.DateTimeFormatOptions = withDate ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' } : {};
  return fmt(locale, zone, { ...date, hour: 'numeric', minute: '2-digit', timeZoneName: 'shortOffset' }).format(new Date(instant));
}

/** Full date and time, e.g. "Monday, 24 November 2026 at 14:30" (what a slot announces). */
export function formatDateTime(instant: string | number, locale: string, zone: string): string {
  return fmt(locale, zone, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(instant));
}

/** Like formatDateTime plus the zone's short name, for places where two zones appear. */
export function formatDateTimeZone(instant: string | number, locale: string, zone: string): string {
  return fmt(locale, zone, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' })
    .format(new Date(instant));
}

/** A booking's span with its zone, e.g. "Thursday, 3 December 2026, 09:00–09:50 CET" (the details step). */
export function formatSpan(start: string | number, end: string | number, locale: string, zone: string): string {
  return fmt(locale, zone, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' })
    .formatRange(new Date(start), new Date(end));
}

/** A plain calendar date, long form ("Monday, 24 November 2026"). */
export function formatDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(utcOf(date)));
}

export function formatMonth(month: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(utcOf(firstOfMonth(month))));
}

/** Weekday names starting at `first`: [short, long] pairs. */
export function weekdayNames(locale: string, first: number): [string, string][] {
  const short = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(Date.UTC(2023, 0, 1 + ((first + i) % 7)));
    return [short.format(d), long.format(d)];
  });
}

/** The zone with its current offset, e.g. "Europe/Berlin (GMT+1)". */
export function zoneLabel(zone: string, locale: string, at: number): string {
  const part = fmt(locale, zone, { timeZoneName: 'shortOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName');
  return `${zone.replaceAll('_', ' ')}${part ? ` (${part.value})` : ''}`;
}

/** A duration in seconds as "2 h 05 min" / "4:59"-style text via Intl where it helps. */
export function formatDuration(totalSeconds: number, locale: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const unit = (value: number, u: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (days > 0) return `${unit(days, 'day')} ${unit(hours, 'hour')}`;
  if (hours > 0) return `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
  if (minutes > 0) return `${unit(minutes, 'minute')} ${unit(seconds, 'second')}`;
  return unit(seconds, 'second');
}

export function formatMoney(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/** The offset of `zone` at an instant, in ms (local wall clock minus UTC). */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar date's wall-clock time (default midnight) begins in `zone`. */
export function zonedInstant(date: string, zone: string, time = '00:00'): number {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let guess = wall - offsetAt(wall, zone);
  const again = wall - offsetAt(guess, zone);
  // Near a DST change the second reading is the one that holds (a gap moves forward).
  if (again !== guess) guess = Math.max(again, guess);
  return guess;
}
