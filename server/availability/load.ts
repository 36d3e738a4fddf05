// From the database to the pure engine: looks up specialists and services and loads exactly the
// rows computeSlots needs for one window. Every function takes `db` first, so callers may pass a
// Kysely transaction (bookings check a requested start inside their locked transaction).
import { sql, type Kysely } from 'kysely';
import type { Database, Service, Specialist } from '../db/schema.ts';
import { computeSlots, type BusyRange, type ServiceRules, type Slot } from './engine.ts';
import { addDays, instantToZoned } from './zone.ts';

/** The app's Kysely instance or a transaction of it. */
export type DbOrTrx = Kysely<Database>;

const MIN = 60_000;
const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FindOptions {
  /** Admin and booking-management paths still need archived rows; public lookups never do. */
  includeArchived?: boolean;
}

/**
 * A uuid-shaped key may name an id or (since slugs are lowercase alphanumerics and dashes) a
 * slug; the id wins. Anything else can only be a slug, and is never cast to uuid (that would be
 * a 22P02 error instead of a clean "not found").
 */
function byIdOrSlug(idOrSlug: string) {
  const isUuid = UUID.test(idOrSlug);
  return { isUuid, key: isUuid ? idOrSlug.toLowerCase() : idOrSlug };
}

export async function findSpecialist(db: DbOrTrx, idOrSlug: string, options: FindOptions = {}): Promise<Specialist | null> {
  const { isUuid, key } = byIdOrSlug(idOrSlug);
  let q = db.selectFrom('specialists').selectAll();
  q = isUuid ? q.where((eb) => eb.or([eb('id', '=', key), eb('slug', '=', key)])) : q.where('slug', '=', key);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.limit(2).execute();
  return rows.find((r) => r.id === key) ?? rows[0] ?? null;
}

export async function findService(db: DbOrTrx, idOrSlug: string, options: FindOptions = {}): Promise<Service | null> {
  const { isUuid, key } = byIdOrSlug(idOrSlug);
  let q = db.selectFrom('services').selectAll();
  q = isUuid ? q.where((eb) => eb.or([eb('id', '=', key), eb('slug', '=', key)])) : q.where('slug', '=', key);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.limit(2).execute();
  return rows.find((r) => r.id === key) ?? rows[0] ?? null;
}

export async function offers(db: DbOrTrx, specialistId: string, serviceId: string): Promise<boolean> {
  const row = await db.selectFrom('specialist_services').select('service_id')
    .where('specialist_id', '=', specialistId).where('service_id', '=', serviceId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface Offering {
  service: Service;
  /** Active specialists offering it (one when a specialist key was given), ordered by id. */
  specialists: { id: string; timezone: string }[];
}

/**
 * The service and who offers it, in one query: the hot path of the slots listing. Null when the
 * service, the specialist or the link between them is missing or archived; callers that need to
 * say which use findSpecialist / findService / offers on that (rare) path.
 */
export async function findOffering(db: DbOrTrx, serviceKey: string, specialistKey: string | null): Promise<Offering | null> {
  const service = byIdOrSlug(serviceKey);
  const specialist = specialistKey === null ? null : byIdOrSlug(specialistKey);
  let q = db.selectFrom('services as s')
    .innerJoin('specialist_services as l', 'l.service_id', 's.id')
    .innerJoin('specialists as p', 'p.id', 'l.specialist_id')
    .selectAll('s')
    .select(['p.id as offered_by', 'p.timezone as offered_by_timezone'])
    .where('s.archived_at', 'is', null)
    .where('p.archived_at', 'is', null);
  q = service.isUuid ? q.where((eb) => eb.or([eb('s.id', '=', service.key), eb('s.slug', '=', service.key)])) : q.where('s.slug', '=', service.key);
  if (specialist) {
    q = specialist.isUuid ? q.where((eb) => eb.or([eb('p.id', '=', specialist.key), eb('p.slug', '=', specialist.key)])) : q.where('p.slug', '=', specialist.key);
  }
  let rows = await q.orderBy('p.id').execute();
  // A uuid-shaped key may match one row's id and another's slug: the id wins, as in findSpecialist.
  if (service.isUuid && rows.some((r) => r.id === service.key)) rows = rows.filter((r) => r.id === service.key);
  if (specialist?.isUuid && rows.some((r) => r.offered_by === specialist.key)) rows = rows.filter((r) => r.offered_by === specialist.key);
  if (rows.length === 0) return null;
  const { offered_by: _id, offered_by_timezone: _tz, ...first } = rows[0]!;
  const serviceId = first.id;
  return {
    service: first,
    specialists: rows.filter((r) => r.id === serviceId).map((r) => ({ id: r.offered_by, timezone: r.offered_by_timezone })),
  };
}

/** The engine's view of a service; the slot step defaults to the duration. */
export function serviceRules(service: Service): ServiceRules {
  return {
    serviceId: service.id,
    durationMin: service.duration_min,
    stepMin: service.slot_step_min ?? service.duration_min,
    bufferBeforeMin: service.buffer_before_min,
    bufferAfterMin: service.buffer_after_min,
    minNoticeMin: service.min_notice_min,
    horizonDays: service.horizon_days,
    maxPerDay: service.max_per_day,
  };
}

export interface AvailableSlotsQuery {
  specialistId: string;
  /** The specialist's IANA zone (weekly hours and overrides are wall-clock in it). */
  timezone: string;
  service: Service;
  /** Slots whose start lies in [from, until), epoch ms. */
  from: number;
  until: number;
  now: number;
  /** A booking whose own time is free for this query (a reschedule may move within it). */
  excludeBookingId?: string;
  /** Busy time not (yet) in external_busy, e.g. fetched from a calendar inside a booking transaction. */
  extraBusy?: BusyRange[];
}

/** 'HH:MM:SS' from a PostgreSQL time column -> the engine's 'HH:MM' ('24:00:00' -> '24:00'). */
function hhmm(time: string): string {
  return time.slice(0, 5);
}

// Positional tuples keep the one JSON document small (thousands of rows for long windows).
interface LoadedRows {
  weekly: [weekday: number, start: string, end: string][] | null;
  overrides: [date: string, intervals: { start: string; end: string }[]][] | null;
  bookings: [start: number, blockedFrom: number, blockedUntil: number, serviceId: string][] | null;
  busy: [start: number, end: number][] | null;
}

/**
 * Bookable slots of one specialist for one service. All rules live in computeSlots; this loads
 * its input in ONE round trip (a single statement of json sub-selects), so it costs one pooled
 * connection and holds no locks of its own.
 */
export async function availableSlots(db: DbOrTrx, q: AvailableSlotsQuery): Promise<Slot[]> {
  const rules = serviceRules(q.service);
  if (!(q.from < q.until)) return [];

  // Blocked ranges that can touch a candidate's [start - before, start + duration + after), plus
  // a day for the specialist-local day around the window (a daily cap counts whole local days)
  // and a day of margin for offsets.
  const padBefore = rules.bufferBeforeMin * MIN + 2 * DAY;
  const padAfter = (rules.durationMin + rules.bufferAfterMin) * MIN + 2 * DAY;
  const loadFrom = new Date(q.from - padBefore);
  const loadUntil = new Date(q.until + padAfter);
  // Override dates are specialist-local; a slot in the window starts on one of these dates
  // (the engine pads a day each side too).
  const firstDate = addDays(instantToZoned(q.from, q.timezone).date, -2);
  const lastDate = addDays(instantToZoned(q.until, q.timezone).date, 2);
  const exclude = q.excludeBookingId ?? null;

  // The range test on bookings is the exclusion constraint's own expression and predicate, so
  // PostgreSQL can answer it from that GiST index. Instants travel as epoch ms numbers: no Date
  // parsing on hundreds of rows.
  const { rows } = await sql<LoadedRows>`
    SELECT
      (SELECT json_agg(json_build_array(weekday, start_time, end_time))
         FROM weekly_hours WHERE specialist_id = ${q.specialistId}) AS weekly,
      (SELECT json_agg(json_build_array(date, intervals))
         FROM date_overrides
        WHERE specialist_id = ${q.specialistId} AND date BETWEEN ${firstDate}::date AND ${lastDate}::date) AS overrides,
      (SELECT json_agg(json_build_array(
                (extract(epoch FROM starts_at) * 1000)::bigint,
                (extract(epoch FROM blocked_from) * 1000)::bigint,
                (extract(epoch FROM blocked_until) * 1000)::bigint,
                service_id))
         FROM bookings
        WHERE specialist_id = ${q.specialistId}
          AND status <> 'cancelled'
          AND tstzrange(blocked_from, blocked_until, '[)') && tstzrange(${loadFrom}::timestamptz, ${loadUntil}::timestamptz, '[)')
          AND (${exclude}::uuid IS NULL OR id <> ${exclude}::uuid)) AS bookings,
      (SELECT json_agg(json_build_array(
                (extract(epoch FROM starts_at) * 1000)::bigint,
                (extract(epoch FROM ends_at) * 1000)::bigint))
         FROM external_busy
        WHERE specialist_id = ${q.specialistId} AND starts_at < ${loadUntil} AND ends_at > ${loadFrom}) AS busy
  `.execute(db);
  const r = rows[0]!;

  const busy: BusyRange[] = (r.busy ?? []).map(([start, end]) => ({ start, end }));
  if (q.extraBusy) busy.push(...q.extraBusy);

  return computeSlots({
    timezone: q.timezone,
    weekly: (r.weekly ?? []).map(([weekday, start, end]) => ({ weekday, start: hhmm(start), end: hhmm(end) })),
    overrides: (r.overrides ?? []).map(([date, intervals]) => ({ date, intervals })),
    service: rules,
    bookings: (r.bookings ?? []).map(([start, blockedFrom, blockedUntil, serviceId]) => ({ start, blockedFrom, blockedUntil, serviceId })),
    busy,
    now: q.now,
    from: q.from,
    until: q.until,
  });
}
