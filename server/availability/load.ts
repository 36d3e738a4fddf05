// From the database to the pure engine: looks up specialists and services and loads exactly the
// rows computeSlots needs for one window. Every function takes `db` first, so callers may pass a
// Kysely transaction (bookings check a requested start inside their locked transaction).
import { sql, type CompiledQuery, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { INACTIVE_STATUSES, type Database, type Service, type Specialist } from '../db/schema.ts';
import { computeSlots, type BusyRange, type ServiceRules, type Slot } from './engine.ts';
import { isUuid } from '../../shared/ids.ts';
import { run, type Read } from '../db/pipeline.ts';
import { named } from '../db/prepared.ts';
import { readerFor } from '../db/pool.ts';
import { connectionStatesSql, type ConnectionStates } from '../calendar/busy.ts';

/** The app's Kysely instance or a transaction of it. */
export type DbOrTrx = Kysely<Database>;

const DAY = 86_400_000;

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
  const isId = isUuid(idOrSlug);
  return { isId, key: isId ? idOrSlug.toLowerCase() : idOrSlug };
}

/** Looks a specialist or service up by id or slug (see byIdOrSlug); archived rows only when asked. */
async function findByKey<T extends 'specialists' | 'services'>(db: DbOrTrx, table: T, idOrSlug: string, options: FindOptions): Promise<Selectable<Database[T]> | null> {
  const { isId, key } = byIdOrSlug(idOrSlug);
  // Kysely types a query over the table union by the columns both share (id, slug, archived_at);
  // the row is cast back to the one table's type below.
  let q = db.selectFrom(table as 'specialists' | 'services').selectAll();
  q = isId ? q.where((eb) => eb.or([eb('id', '=', key), eb('slug', '=', key)])) : q.where('slug', '=', key);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.limit(2).execute();
  return (rows.find((r) => r.id === key) ?? rows[0] ?? null) as Selectable<Database[T]> | null;
}

export function findSpecialist(db: DbOrTrx, idOrSlug: string, options: FindOptions = {}): Promise<Specialist | null> {
  return findByKey(db, 'specialists', idOrSlug, options);
}

export function findService(db: DbOrTrx, idOrSlug: string, options: FindOptions = {}): Promise<Service | null> {
  return findByKey(db, 'services', idOrSlug, options);
}

export async function offers(db: DbOrTrx, specialistId: string, serviceId: string): Promise<boolean> {
  const row = await db.selectFrom('specialist_services').select('service_id')
    .where('specialist_id', '=', specialistId).where('service_id', '=', serviceId)
    .executeTakeFirst();
  return row !== undefined;
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

/** 'HH:MM:SS' from a PostgreSQL time column -> the engine's 'HH:MM' ('24:00:00' -> '24:00'). */
function hhmm(time: string): string {
  return time.slice(0, 5);
}

/** One specialist's rows for the engine, as positional tuples (small JSON for long windows). */
export type InputRows = [
  weekly: [weekday: number, start: string, end: string][] | null,
  overrides: [date: string, intervals: { start: string; end: string }[]][] | null,
  bookings: [start: number, blockedFrom: number, blockedUntil: number, serviceId: string][] | null,
  busy: [start: number, end: number][] | null,
];

/**
 * Rows are loaded for [from - 3 days, until + 4 days): enough for any service (buffers and
 * duration are at most a day each), for whole specialist-local days around the window (a daily
 * cap counts them), and for every zone offset, so one load also serves a window whose zone is
 * only known afterwards. Override dates are taken over the same span in UTC dates, which covers
 * the specialist-local dates the engine visits (it pads a day each side).
 */
const PAD_BEFORE = 3 * DAY;
const PAD_AFTER = 4 * DAY;

/**
 * A JSON tuple of one specialist's engine input as a SQL expression, for a specialist id given
 * as a SQL expression (a parameter, or a column of an outer query). The range test on bookings
 * is the exclusion constraint's own expression and predicate, so PostgreSQL answers it from that
 * GiST index. Instants travel as epoch ms numbers: no Date parsing on hundreds of rows.
 */
function inputRowsSql(specialistId: RawBuilder<unknown>, from: number, until: number, excludeBookingId: string | null) {
  const loadFrom = new Date(from - PAD_BEFORE);
  const loadUntil = new Date(until + PAD_AFTER);
  const firstDate = loadFrom.toISOString().slice(0, 10);
  const lastDate = loadUntil.toISOString().slice(0, 10);
  return sql`json_build_array(
    (SELECT json_agg(json_build_array(weekday, start_time, end_time))
       FROM weekly_hours WHERE specialist_id = ${specialistId}),
    (SELECT json_agg(json_build_array(date, intervals))
       FROM date_overrides
      WHERE specialist_id = ${specialistId} AND date BETWEEN ${firstDate}::date AND ${lastDate}::date),
    (SELECT json_agg(json_build_array(
              round(date_part('epoch', starts_at) * 1000)::bigint,
              round(date_part('epoch', blocked_from) * 1000)::bigint,
              round(date_part('epoch', blocked_until) * 1000)::bigint,
              service_id))
       FROM bookings
      WHERE specialist_id = ${specialistId}
        AND status NOT IN ('cancelled', 'expired')
        AND tstzrange(blocked_from, blocked_until, '[)') && tstzrange(${loadFrom}::timestamptz, ${loadUntil}::timestamptz, '[)')
        AND (${excludeBookingId}::uuid IS NULL OR id <> ${excludeBookingId}::uuid)),
    (SELECT json_agg(json_build_array(
              round(date_part('epoch', starts_at) * 1000)::bigint,
              round(date_part('epoch', ends_at) * 1000)::bigint))
       FROM external_busy
      WHERE specialist_id = ${specialistId} AND starts_at < ${loadUntil} AND ends_at > ${loadFrom})
  )`;
}

/** Runs `query` as a named prepared statement (db/prepared.ts) on the shared readers (or the transaction). */
async function executePrepared<R>(db: DbOrTrx, query: RawBuilder<R>): Promise<R[]> {
  return (await readerFor(db).executeQuery(prepared(db, query))).rows;
}

/** The query compiled as a named prepared statement, to run or to pipeline. */
function prepared<R>(db: DbOrTrx, query: RawBuilder<R>): CompiledQuery<R> {
  return named(query.compile(db));
}

export interface SlotsWindow {
  /** The specialist's IANA zone (weekly hours and overrides are wall-clock in it). */
  timezone: string;
  service: Service;
  /** Slots whose start lies in [from, until), epoch ms. */
  from: number;
  until: number;
  now: number;
  /** Busy time not (yet) in external_busy, e.g. fetched from a calendar inside a booking transaction. */
  extraBusy?: BusyRange[];
}

/** Runs the engine on loaded rows; the rows must have been loaded for a span covering [from, until). */
export function slotsFromRows(rows: InputRows, w: SlotsWindow): Slot[] {
  if (!(w.from < w.until)) return [];
  // Index access, not array destructuring: destructuring walks an iterator per row, and these
  // maps run over hundreds of rows per request.
  const [weekly, overrides, bookings, busyRows] = rows;
  const busy: BusyRange[] = (busyRows ?? []).map((b) => ({ start: b[0], end: b[1] }));
  if (w.extraBusy) busy.push(...w.extraBusy);
  return computeSlots({
    timezone: w.timezone,
    weekly: (weekly ?? []).map((h) => ({ weekday: h[0], start: hhmm(h[1]), end: hhmm(h[2]) })),
    overrides: (overrides ?? []).map((o) => ({ date: o[0], intervals: o[1] })),
    service: serviceRules(w.service),
    bookings: (bookings ?? []).map((b) => ({ start: b[0], blockedFrom: b[1], blockedUntil: b[2], serviceId: b[3] })),
    busy,
    now: w.now,
    from: w.from,
    until: w.until,
  });
}

export interface AvailableSlotsQuery extends SlotsWindow {
  specialistId: string;
  /** A booking whose own time is free for this query (a reschedule may move within it). */
  excludeBookingId?: string;
}

/**
 * Bookable slots of one specialist for one service. All rules live in computeSlots; this loads
 * its input in ONE round trip (a single statement of json sub-selects), so it costs one pooled
 * connection and holds no locks of its own.
 */
export async function availableSlots(db: DbOrTrx, q: AvailableSlotsQuery): Promise<Slot[]> {
  if (!(q.from < q.until)) return [];
  return slotsFromRows(await loadInputRows(db, q.specialistId, q.from, q.until, q.excludeBookingId), q);
}

/** One specialist's engine rows for [from, until) (padded, see PAD_BEFORE), in one statement. */
async function loadInputRows(db: DbOrTrx, specialistId: string, from: number, until: number, excludeBookingId?: string): Promise<InputRows> {
  return run(readerFor(db), inputRowsRead(db, specialistId, from, until, excludeBookingId));
}

/** loadInputRows as a Read (to pipeline it). */
export function inputRowsRead(db: DbOrTrx, specialistId: string, from: number, until: number, excludeBookingId?: string): Read<InputRows> {
  const id = sql`${specialistId}::uuid`;
  return {
    query: prepared(db, sql<{ input: InputRows }>`SELECT ${inputRowsSql(id, from, until, excludeBookingId ?? null)} AS input`),
    parse: (rows) => (rows[0] as { input: InputRows }).input,
  };
}

export interface Offering {
  service: Service;
  /** Active specialists offering it (one when a specialist key was given), ordered by id, with their rows. */
  specialists: { id: string; timezone: string; rows: InputRows }[];
  /** availabilityVersion of the same keys, read in the same snapshot as the rows. */
  version: string;
}

type Key = ReturnType<typeof byIdOrSlug>;

/** `alias` names the row the key stands for: by slug, or (uuid-shaped) by id or slug. */
function matches(alias: string, k: Key) {
  return k.isId
    ? sql`(${sql.ref(`${alias}.slug`)} = ${k.key} OR ${sql.ref(`${alias}.id`)} = ${k.key}::uuid)`
    : sql`${sql.ref(`${alias}.slug`)} = ${k.key}`;
}

/** A uuid-shaped key may match one row's id and another's slug: the id wins, as in findSpecialist. */
function idFirst(alias: string, k: Key) {
  return k.isId ? sql`${sql.ref(`${alias}.id`)} = ${k.key}::uuid DESC,` : sql``;
}

/** The catalogue's scope in availability_versions (see the 1900_19 migration). */
const CATALOGUE_SCOPE = '00000000-0000-0000-0000-000000000000';

/**
 * A text that changes whenever anything a slots answer for these keys depends on changes: the
 * catalogue counter and the sum of the counters of every specialist the keys can name (counters
 * only grow, so the sum grows with any of them; who offers what is part of the catalogue). The
 * database bumps the counters in the writing transaction itself (triggers).
 */
function versionSql(service: Key, specialist: Key | null) {
  return versionOf(specialist === null
    ? sql`SELECT vl.specialist_id FROM specialist_services vl JOIN services vs ON vs.id = vl.service_id WHERE ${matches('vs', service)}`
    : sql`SELECT vp.id FROM specialists vp WHERE ${matches('vp', specialist)}`);
}

/** The version formula itself, over the specialists `members` selects (one id column). */
function versionOf(members: RawBuilder<unknown>) {
  return sql<string>`(
    (SELECT coalesce(max(version), 0) FROM availability_versions WHERE scope = ${sql.lit(CATALOGUE_SCOPE)}::uuid) || '.' ||
    (SELECT coalesce(sum(version), 0) FROM availability_versions WHERE scope IN (${members})))`;
}

/** The same version for one specialist named by id (what a booking attempt at them depends on). */
export function specialistVersionSql(specialistId: string) {
  return versionOf(sql`SELECT ${specialistId}::uuid`);
}

/**
 * The availability version of a slots question (see versionSql): one small indexed statement,
 * the per-request freshness check of the slots cache.
 */
export async function availabilityVersion(db: DbOrTrx, serviceKey: string, specialistKey: string | null): Promise<string> {
  const specialist = specialistKey === null ? null : byIdOrSlug(specialistKey);
  const rows = await executePrepared(db, sql<{ v: string }>`SELECT ${versionSql(byIdOrSlug(serviceKey), specialist)} AS v`);
  return rows[0]!.v;
}

/**
 * The hot path of the slots listing in ONE statement: the service, the active specialists
 * offering it (all, or the one named), each one's engine rows for [from, until) (see
 * PAD_BEFORE: a window in any zone computed later from the same dates is covered when
 * [from, until) spans the dates in UTC widened by a day each side), and their availability
 * version in the same snapshot. Null when the service, the specialist or the link between them
 * is missing or archived; callers that must say which use findSpecialist / findService on that
 * rare path.
 *
 * Each shape (team or one specialist, keys by slug or uuid) is its own statement text with no
 * "parameter IS NULL OR ..." branches: a prepared statement turns generic after five runs, and a
 * generic plan of such a branch cannot use the slug index (it scanned the whole table).
 */
export async function loadOffering(db: DbOrTrx, serviceKey: string, specialistKey: string | null, from: number, until: number): Promise<Offering | null> {
  const service = byIdOrSlug(serviceKey);
  const specialist = specialistKey === null ? null : byIdOrSlug(specialistKey);
  const who = specialist === null
    ? sql`ORDER BY p.id`
    : sql`AND ${matches('p', specialist)} ORDER BY ${idFirst('p', specialist)} p.id LIMIT 1`;
  const rows = await executePrepared(db, sql<{ service: ServiceJson | null; specialists: [string, string, InputRows][] | null; version: string }>`
    WITH s AS (
      SELECT * FROM services s WHERE s.archived_at IS NULL AND ${matches('s', service)}
       ORDER BY ${idFirst('s', service)} s.id LIMIT 1
    ), p AS (
      SELECT p.id, p.timezone FROM specialists p
        JOIN specialist_services l ON l.specialist_id = p.id
        JOIN s ON s.id = l.service_id
       WHERE p.archived_at IS NULL ${who}
    )
    SELECT (SELECT to_json(s) FROM s) AS service,
           (SELECT json_agg(json_build_array(p.id, p.timezone, ${inputRowsSql(sql`p.id`, from, until, null)}) ORDER BY p.id) FROM p) AS specialists,
           ${versionSql(service, specialist)} AS version
  `);
  const r = rows[0]!;
  if (r.service === null || r.specialists === null) return null;
  return {
    service: serviceFromJson(r.service),
    specialists: r.specialists.map(([id, timezone, input]) => ({ id, timezone, rows: input })),
    version: r.version,
  };
}

/** What a booking attempt at one specialist and start reads before the lock (BookingTarget.slot, bookings/store.ts blockedAt). */
export interface SlotState {
  blocked: boolean;
  version: string;
  calendars: ConnectionStates;
}

export interface BookingTarget {
  /** Null: no active service by that key. */
  service: Service | null;
  /** The named active specialist (null: none by that key), or for "any" every active one offering the service, by id. */
  candidates: Specialist[] | null;
  /** Whether the named specialist offers the service (always true for "any"). */
  offered: boolean;
  /**
   * Asked with a start and a named specialist that exists: whether an active booking blocks the
   * time the service would take there (buffers included, the exclusion constraint's own test),
   * and the specialist's availability version, in the same snapshot; and the cache state of
   * their calendar connections (whether a booking must fetch busy time first).
   */
  slot: SlotState | null;
}

/**
 * What a booking request names, in ONE statement (instead of a look-up per key and one for the
 * link): the service, the specialist or (null key) the candidates for "any", and whether the
 * named specialist offers the service. Same key rules as findService / findSpecialist.
 */
export async function resolveBookingTarget(db: DbOrTrx, serviceKey: string, specialistKey: string | null, start?: number): Promise<BookingTarget> {
  const service = byIdOrSlug(serviceKey);
  const specialist = specialistKey === null ? null : byIdOrSlug(specialistKey);
  const candidates = specialist === null
    ? sql`SELECT p.* FROM specialists p JOIN specialist_services l ON l.specialist_id = p.id JOIN s ON s.id = l.service_id
           WHERE p.archived_at IS NULL`
    : sql`SELECT p.* FROM specialists p WHERE p.archived_at IS NULL AND ${matches('p', specialist)}
           ORDER BY ${idFirst('p', specialist)} p.id LIMIT 1`;
  // A booking attempt's pre-check rides along (one round trip instead of two): the blocked range
  // is blockedRange's (bookings/slots.ts), worked out from the service row in SQL.
  const at = start === undefined ? null : new Date(start);
  const slot = specialist === null || at === null ? sql`NULL::boolean AS blocked, NULL::text AS version, NULL::json AS calendars` : sql`
    EXISTS (SELECT 1 FROM bookings b, s, p WHERE b.specialist_id = p.id
               AND b.status NOT IN (${sql.join(INACTIVE_STATUSES.map((x) => sql.lit(x)))})
               AND tstzrange(b.blocked_from, b.blocked_until, '[)') && tstzrange(
                     ${at}::timestamptz - make_interval(mins => s.buffer_before_min),
                     ${at}::timestamptz + make_interval(mins => s.duration_min + s.buffer_after_min), '[)')) AS blocked,
    ${versionOf(sql`SELECT id FROM p`)} AS version,
    ${connectionStatesSql(sql`(SELECT id FROM p)`)} AS calendars`;
  const rows = await executePrepared(db, sql<{ service: ServiceJson | null; candidates: SpecialistJson[] | null; offered: boolean; blocked: boolean | null; version: string | null; calendars: ConnectionStates }>`
    WITH s AS (
      SELECT * FROM services s WHERE s.archived_at IS NULL AND ${matches('s', service)}
       ORDER BY ${idFirst('s', service)} s.id LIMIT 1
    ), p AS (${candidates})
    SELECT (SELECT to_json(s) FROM s) AS service,
           (SELECT json_agg(to_json(p) ORDER BY p.id) FROM p) AS candidates,
           EXISTS (SELECT 1 FROM specialist_services l JOIN s ON s.id = l.service_id JOIN p ON p.id = l.specialist_id) AS offered,
           ${slot}
  `);
  const r = rows[0]!;
  return {
    service: r.service === null ? null : serviceFromJson(r.service),
    candidates: r.candidates === null ? null : r.candidates.map(specialistFromJson),
    offered: specialist === null || r.offered,
    slot: r.blocked === null || r.version === null || r.candidates === null ? null : { blocked: r.blocked, version: r.version, calendars: r.calendars },
  };
}

/** A specialists or services row as to_json renders it: its timestamps arrive as strings. */
type RowJson<T extends { archived_at: Date | null; created_at: Date; updated_at: Date }> =
  Omit<T, 'archived_at' | 'created_at' | 'updated_at'> & { archived_at: string | null; created_at: string; updated_at: string };
type SpecialistJson = RowJson<Specialist>;
type ServiceJson = RowJson<Service>;

function fromJson<T extends { archived_at: Date | null; created_at: Date; updated_at: Date }>(j: RowJson<T>): T {
  return {
    ...j,
    archived_at: j.archived_at === null ? null : new Date(j.archived_at),
    created_at: new Date(j.created_at),
    updated_at: new Date(j.updated_at),
  } as T;
}

const specialistFromJson = (j: SpecialistJson) => fromJson<Specialist>(j);
const serviceFromJson = (j: ServiceJson) => fromJson<Service>(j);
