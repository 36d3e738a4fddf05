// External busy time: fetched from each connected calendar, cached in external_busy (which the
// slot engine subtracts), refreshed in the background and on demand, and re-checked fresh
// inside the booking lock. A provider failure never fails a booking or a slot listing: the
// cache keeps serving, and a dead grant marks the connection broken.
import { sql, type RawBuilder } from 'kysely';
import type { Clock } from '../app.ts';
import type { CalendarConnection } from '../db/schema.ts';
import { CalendarAuthError } from './errors.ts';
import { clientFor, markBroken, type CalendarDeps } from './connections.ts';
import type { BusyInterval } from './types.ts';

/** A fetch younger than this is fresh enough for the re-check inside the booking lock. */
export const FRESH_TTL_MS = 30_000;
/** The background refresher refreshes connections whose busy time is older than this. */
export const BACKGROUND_TTL_MS = 5 * 60_000;
/** How far ahead busy time is cached (slot listings rarely look further). */
export const BUSY_HORIZON_MS = 60 * 86_400_000;
/** The booking path waits at most this long for a provider before using the cache. */
export const FRESH_TIMEOUT_MS = 2_500;

export interface BusyDeps extends CalendarDeps {
  clock: Clock;
}

/** The window to cache: from now to the horizon, stretched to cover what the caller asks about. */
export function busyWindow(now: number, from = now, until = now): { from: number; until: number } {
  return { from: Math.min(now, from), until: Math.max(now + BUSY_HORIZON_MS, until) };
}

/** Whether the cached busy time of a connection answers a question about [from, until) at `now`. */
export function cacheCovers(conn: Pick<CalendarConnection, 'busy_fetched_at' | 'busy_window_from' | 'busy_window_until'>,
  from: number, until: number, now: number, ttlMs: number): boolean {
  if (!conn.busy_fetched_at || !conn.busy_window_from || !conn.busy_window_until) return false;
  return now - conn.busy_fetched_at.getTime() < ttlMs
    && conn.busy_window_from.getTime() <= from && conn.busy_window_until.getTime() >= until;
}

/** Overlapping or touching intervals joined, sorted by start; empty ones dropped. */
export function mergeIntervals(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: BusyInterval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { controller.abort(); reject(new Error(`calendar provider did not answer within ${ms} ms`)); }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Fetches a connection's busy time over `window` and replaces its cached rows. The connection
 * row is locked so two instances refreshing at once cannot interleave their rows, and an older
 * fetch that finishes late never overwrites a newer one.
 */
export async function refreshConnection(deps: BusyDeps, conn: CalendarConnection, window: { from: number; until: number },
  options: { timeoutMs?: number } = {}): Promise<'refreshed' | 'unavailable' | 'broken' | 'failed'> {
  const client = await clientFor(deps, conn);
  if (client === null) return 'unavailable';
  const fetchedAt = deps.clock.now();
  const controller = new AbortController();
  let intervals: BusyInterval[];
  try {
    const pending = client.busy(conn.busy_calendar_ids, window.from, window.until, controller.signal);
    intervals = mergeIntervals(await withTimeout(pending, options.timeoutMs ?? 30_000, controller));
  } catch (err) {
    if (err instanceof CalendarAuthError) {
      await markBroken(deps, conn.id, err.message);
      return 'broken';
    }
    deps.log.warn({ err, connectionId: conn.id }, 'calendar busy time fetch failed; serving the cache');
    return 'failed';
  }
  await deps.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('calendar_connections').select(['busy_fetched_at'])
      .where('id', '=', conn.id).forUpdate().executeTakeFirst();
    if (!locked || (locked.busy_fetched_at && locked.busy_fetched_at.getTime() > fetchedAt)) return;
    await trx.deleteFrom('external_busy').where('connection_id', '=', conn.id).execute();
    if (intervals.length > 0) {
      await trx.insertInto('external_busy').values(intervals.map((i) => ({
        connection_id: conn.id, specialist_id: conn.specialist_id, starts_at: new Date(i.start), ends_at: new Date(i.end),
      }))).execute();
    }
    await trx.updateTable('calendar_connections').set({
      busy_fetched_at: new Date(fetchedAt),
      busy_window_from: new Date(window.from),
      busy_window_until: new Date(window.until),
    }).where('id', '=', conn.id).execute();
  });
  return 'refreshed';
}

function activeConnectionsOf(deps: Pick<BusyDeps, 'db'>, specialistId: string): Promise<CalendarConnection[]> {
  return deps.db.selectFrom('calendar_connections').selectAll()
    .where('specialist_id', '=', specialistId).where('status', '=', 'active').execute();
}

/** Cached busy rows of a specialist overlapping [from, until). */
export async function cachedBusy(deps: Pick<BusyDeps, 'db'>, specialistId: string, from: number, until: number): Promise<BusyInterval[]> {
  const rows = await deps.db.selectFrom('external_busy').select(['starts_at', 'ends_at'])
    .where('specialist_id', '=', specialistId)
    .where('starts_at', '<', new Date(until))
    .where('ends_at', '>', new Date(from))
    .orderBy('starts_at')
    .execute();
  return mergeIntervals(rows.map((r) => ({ start: r.starts_at.getTime(), end: r.ends_at.getTime() })));
}

/**
 * Busy time over [from, until) as fresh as possible, for the re-check inside the booking lock:
 * each active connection not fetched within FRESH_TTL_MS is fetched now (bounded by
 * FRESH_TIMEOUT_MS). Never throws: on any failure the cached rows answer.
 */
export async function freshBusy(app: BusyDeps, specialistId: string, from: number, until: number): Promise<BusyInterval[]> {
  try {
    const now = app.clock.now();
    // One round trip when nothing needs a fetch (the common case): the cache state of each
    // active connection and the cached rows together.
    const { rows } = await sql<{ connections: ConnectionStates; busy: [number, number][] | null }>`
      SELECT ${connectionStatesSql(sql`${specialistId}::uuid`)} AS connections,
             (SELECT json_agg(json_build_array(round(date_part('epoch', starts_at) * 1000)::bigint, round(date_part('epoch', ends_at) * 1000)::bigint))
                FROM external_busy WHERE specialist_id = ${specialistId} AND starts_at < ${new Date(until)} AND ends_at > ${new Date(from)}) AS busy`.execute(app.db);
    const stale = staleConnections(rows[0]!.connections, from, until, now);
    if (stale.length === 0) return mergeIntervals((rows[0]!.busy ?? []).map(([start, end]) => ({ start: Number(start), end: Number(end) })));
    const connections = await app.db.selectFrom('calendar_connections').selectAll().where('id', 'in', stale).execute();
    await Promise.all(connections.map((c) => refreshConnection(app, c, busyWindow(now, from, until), { timeoutMs: FRESH_TIMEOUT_MS })));
    return await cachedBusy(app, specialistId, from, until);
  } catch (err) {
    app.log.error({ err, specialistId }, 'fresh busy check failed; using cached busy time');
    return cachedBusy(app, specialistId, from, until).catch(() => []);
  }
}

/** Each active calendar connection's cache state: [id, fetched at, window from, window until] (null: none). */
export type ConnectionStates = [string, string | null, string | null, string | null][] | null;

/** ConnectionStates of the specialist a SQL expression names, as a JSON sub-select (it rides along other reads). */
export function connectionStatesSql(specialistId: RawBuilder<unknown>) {
  return sql<ConnectionStates>`(SELECT json_agg(json_build_array(id, busy_fetched_at, busy_window_from, busy_window_until))
    FROM calendar_connections WHERE specialist_id = ${specialistId} AND status = 'active')`;
}

/** The connections whose cache does not cover [from, until) freshly enough for a booking (FRESH_TTL_MS): fetched first. */
export function staleConnections(states: ConnectionStates, from: number, until: number, now: number): string[] {
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return (states ?? [])
    .filter(([, fetched, windowFrom, windowUntil]) => !cacheCovers({ busy_fetched_at: date(fetched), busy_window_from: date(windowFrom), busy_window_until: date(windowUntil) }, from, until, now, FRESH_TTL_MS))
    .map(([id]) => id);
}

/** On demand: refresh one specialist's connections now (e.g. the specialist pressed "refresh"). */
export async function refreshSpecialistBusy(deps: BusyDeps, specialistId: string): Promise<void> {
  const now = deps.clock.now();
  const connections = await activeConnectionsOf(deps, specialistId);
  await Promise.all(connections.map((c) => refreshConnection(deps, c, busyWindow(now))));
}

/** How long a refresher's claim on a connection keeps other instances away. */
const CLAIM_MS = 2 * 60_000;

/**
 * One background pass: refreshes every active connection whose cache is stale, a few at a
 * time. Connections are claimed first (SKIP LOCKED, then a claim time), so the refreshers of
 * several API instances share the work instead of repeating it. Callable directly (tests, a
 * cron); the calendar plugin runs it periodically.
 */
export async function refreshStaleConnections(deps: BusyDeps, options: { ttlMs?: number; concurrency?: number } = {}): Promise<number> {
  const now = deps.clock.now();
  const ttl = options.ttlMs ?? BACKGROUND_TTL_MS;
  const at = new Date(now);
  const stale = await deps.db.updateTable('calendar_connections')
    .set({ busy_refresh_claimed_until: new Date(now + CLAIM_MS) })
    .where('id', 'in', (eb) => eb.selectFrom('calendar_connections').select('id')
      .where('status', '=', 'active')
      .where((w) => w.or([w('busy_fetched_at', 'is', null), w('busy_fetched_at', '<', new Date(now - ttl))]))
      .where((w) => w.or([w('busy_refresh_claimed_until', 'is', null), w('busy_refresh_claimed_until', '<', at)]))
      .orderBy('busy_fetched_at', (ob) => ob.asc().nullsFirst())
      .limit(500)
      .forUpdate().skipLocked())
    .returningAll()
    .execute();
  const queue = [...stale];
  let refreshed = 0;
  const worker = async () => {
    for (let conn = queue.shift(); conn; conn = queue.shift()) {
      try {
        if ((await refreshConnection(deps, conn, busyWindow(now))) === 'refreshed') refreshed += 1;
      } finally {
        await deps.db.updateTable('calendar_connections').set({ busy_refresh_claimed_until: null }).where('id', '=', conn.id).execute();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return refreshed;
}
