// Booking queries. Each takes `db` first: the app's Kysely instance or a transaction of it.
import { sql, type Kysely } from 'kysely';
import { readerFor, type Db } from '../db/pool.ts';
import { connectionStatesSql } from '../calendar/busy.ts';
import { pipelinedTransaction, run, type Pipe, type Read } from '../db/pipeline.ts';
import { specialistVersionSql, type DbOrTrx, type SlotState } from '../availability/load.ts';
import { INACTIVE_STATUSES, type Actor, type Booking, type Database } from '../db/schema.ts';
import type { BookingView } from '../../shared/bookings.ts';
import { paymentsByBooking } from '../payments/store.ts';
import { bookingView, type ViewMove, type ViewSpecialist } from './view.ts';

/**
 * The exclusion constraint's own predicate, spelled with literals (not parameters) so the
 * planner can match it to the constraint's partial GiST index.
 */
export const holdsTime = sql<boolean>`status NOT IN (${sql.join(INACTIVE_STATUSES.map((s) => sql.lit(s)))})`;

/**
 * Booking transactions of this process holding a connection for one specialist, at most: half
 * the pool (bookingLockLimits). New bookings of a named specialist already come in at most two
 * transactions at a time (group commit, batches.ts); the cap bounds them together with team
 * bookings, holds and moves. The specialist's lock lets one of them work at a time, while the
 * next ones have their statements written (lockedPipeline) and wait in PostgreSQL behind the
 * lock, so each starts the moment the lock is free. Each one waits for the specialist's lock (up to
 * DATABASE_LOCK_TIMEOUT_MS) on a pooled connection, so without a cap a storm on one specialist,
 * or one stuck holder, would take every connection away from other specialists' bookings (reads
 * do not use the pool: db/readers.ts). Requests over the cap wait in memory (no connection) in
 * arrival order, for `LOCK_QUEUE_WAIT_FACTOR` lock timeouts at most, `LOCK_QUEUE_MAX` of them;
 * past either bound, and right after the lock was not granted in time (a stuck holder: waiting is
 * pointless), the answer is 503 `busy` at once.
 */
export function bookingLockLimits(config: { database: { lockTimeoutMs: number }; databasePoolSize: number }): LockLimits {
  return { lockTimeoutMs: config.database.lockTimeoutMs, perSpecialist: Math.max(1, Math.floor(config.databasePoolSize / 2)) };
}

/** `lockTimeoutMs`: the session's lock_timeout; `perSpecialist`: the cap above. */
export interface LockLimits { lockTimeoutMs: number; perSpecialist: number }

export const LOCK_QUEUE_MAX = 500;
const LOCK_QUEUE_WAIT_FACTOR = 5;

interface LockQueue { active: number; waiting: { resume: () => void; fail: () => void; timer: NodeJS.Timeout }[]; stuckUntil: number }
const lockQueues = new Map<string, LockQueue>();

export class LockQueueFull extends Error {
  override name = 'LockQueueFull';
}

function queueOf(id: string): LockQueue {
  let q = lockQueues.get(id);
  if (!q) lockQueues.set(id, q = { active: 0, waiting: [], stuckUntil: 0 });
  return q;
}

function enter(id: string, cap: number, waitMs: number): Promise<void> {
  const q = queueOf(id);
  if (Date.now() < q.stuckUntil) return Promise.reject(new LockQueueFull('this specialist\'s bookings are held up'));
  if (q.active < cap) { q.active++; return Promise.resolve(); }
  if (q.waiting.length >= LOCK_QUEUE_MAX) return Promise.reject(new LockQueueFull('too many bookings waiting for this specialist'));
  return new Promise((resolve, reject) => {
    const entry = {
      resume: () => { clearTimeout(entry.timer); resolve(); },
      fail: () => { clearTimeout(entry.timer); reject(new LockQueueFull('this specialist\'s bookings are held up')); },
      timer: setTimeout(() => {
        q.waiting.splice(q.waiting.indexOf(entry), 1);
        reject(new LockQueueFull('waited too long for this specialist'));
      }, waitMs),
    };
    q.waiting.push(entry);
  });
}

function leave(id: string): void {
  const q = queueOf(id);
  // A stuck holder fails the waiters at once; otherwise the place passes on to the next.
  for (let next = q.waiting.shift(); next; next = q.waiting.shift()) {
    if (Date.now() < q.stuckUntil) { next.fail(); continue; }
    next.resume();
    return;
  }
  q.active--;
  if (q.active === 0 && Date.now() >= q.stuckUntil) lockQueues.delete(id);
}

/**
 * Runs `fn` (the transaction that takes the specialists' locks) holding a place in each one's
 * queue (taken in id order, like the locks).
 */
export async function inLockQueue<T>(specialistIds: readonly string[], limits: LockLimits, fn: () => Promise<T>): Promise<T> {
  const { lockTimeoutMs } = limits;
  const ids = [...new Set(specialistIds)].sort();
  const held: string[] = [];
  try {
    for (const id of ids) { await enter(id, limits.perSpecialist, LOCK_QUEUE_WAIT_FACTOR * lockTimeoutMs); held.push(id); }
    return await fn();
  } catch (err) {
    // 55P03: the lock was not granted in time. Until one more timeout has passed, the others fail fast.
    if ((err as { code?: unknown } | null)?.code === '55P03') for (const id of ids) queueOf(id).stuckUntil = Date.now() + lockTimeoutMs;
    throw err;
  } finally {
    for (const id of held) leave(id);
  }
}

/** BEGIN and the specialists' booking locks (lockSpecialists' locks, same id order) as one parameterless text. */
function beginLocked(db: Kysely<Database>, specialistIds: readonly string[]): string {
  const locks = [...new Set(specialistIds)].sort().map(specialistLock);
  // No parameters: the simple query protocol, which takes several statements at once.
  return sql`BEGIN; ${sql.join(locks, sql`; `)}`.compile(db).sql;
}

/**
 * A transaction that begins holding the specialists' booking locks: BEGIN and the locks reach
 * PostgreSQL as one message, a round trip less for every booking write. `fn` runs on that one
 * connection; its result is committed, a throw rolls everything back. Nothing inside may open a
 * transaction of its own (none of the booking writes does).
 */
export async function lockedTransaction<T>(db: Kysely<Database>, specialistIds: readonly string[], fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const begin = beginLocked(db, specialistIds);
  return db.connection().execute(async (conn) => {
    try {
      await sql.raw(begin).execute(conn);
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw err;
    }
  });
}

/**
 * lockedTransaction with its statements pipelined (db/pipeline.ts): the locks, then what `fn`
 * sends, then the COMMIT, each group written at once. A new booking takes two round trips under
 * the lock this way: its reads, then its writes with the commit.
 */
export function lockedPipeline<T>(db: Db, specialistIds: readonly string[], fn: (pipe: Pipe) => Promise<T>): Promise<T> {
  return pipelinedTransaction(db, beginLocked(db, specialistIds), fn);
}

/**
 * Serialises every booking write of one specialist across all API instances until the
 * transaction ends. Several specialists are locked in id order, so two callers locking
 * overlapping sets can never wait on each other in a cycle. The wait is bounded by the session's
 * lock_timeout (55P03, answered 503 `busy`), so one stuck holder cannot hold everyone.
 */
export async function lockSpecialists(trx: DbOrTrx, specialistIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(specialistIds)].sort()) await specialistLock(id).execute(trx);
}

/** The statement taking one specialist's booking lock (a literal key: it also runs in a parameterless message). */
function specialistLock(specialistId: string) {
  return sql`SELECT pg_advisory_xact_lock(hashtextextended(${sql.lit(`booking:${specialistId}`)}, 0))`;
}

/** Whether an active booking of the specialist blocks any of [from, until) (the constraint's own test). */
export async function isBlocked(db: DbOrTrx, specialistId: string, from: number, until: number, excludeBookingId?: string): Promise<boolean> {
  let q = db.selectFrom('bookings').select('id')
    .where('specialist_id', '=', specialistId)
    .where(holdsTime)
    .where(sql<boolean>`tstzrange(blocked_from, blocked_until, '[)') && tstzrange(${new Date(from)}::timestamptz, ${new Date(until)}::timestamptz, '[)')`);
  if (excludeBookingId !== undefined) q = q.where('id', '<>', excludeBookingId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/**
 * isBlocked for a booking attempt, with the rest of SlotState in the same snapshot: the
 * availability version (a loser's answer, the alternatives, can be reused while it holds) and the
 * calendar cache state.
 */
export async function blockedAt(db: DbOrTrx, specialistId: string, from: number, until: number): Promise<SlotState> {
  const { rows } = await sql<SlotState>`
    SELECT EXISTS (
      SELECT 1 FROM bookings WHERE specialist_id = ${specialistId} AND ${holdsTime}
         AND tstzrange(blocked_from, blocked_until, '[)') && tstzrange(${new Date(from)}::timestamptz, ${new Date(until)}::timestamptz, '[)')
    ) AS blocked, ${specialistVersionSql(specialistId)} AS version, ${connectionStatesSql(sql`${specialistId}::uuid`)} AS calendars`.execute(readerFor(db));
  return rows[0]!;
}

export async function findByIdempotencyKey(db: DbOrTrx, key: string): Promise<Booking | undefined> {
  return run(readerFor(db), idempotencyRead(db, key));
}

/** The booking created under an idempotency key, if any. */
export function idempotencyRead(db: DbOrTrx, key: string): Read<Booking | undefined> {
  return {
    query: db.selectFrom('bookings').selectAll().where('idempotency_key', '=', key).compile(),
    parse: (rows) => rows[0] as Booking | undefined,
  };
}

/** Active bookings (holds included) per specialist starting in [from, until): the load that "any" balances. */
export function bookingCountsRead(db: DbOrTrx, specialistIds: readonly string[], from: number, until: number): Read<Map<string, number>> {
  return {
    query: db.selectFrom('bookings')
      .select(['specialist_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('specialist_id', 'in', [...specialistIds])
      .where(holdsTime)
      .where('starts_at', '>=', new Date(from))
      .where('starts_at', '<', new Date(until))
      .groupBy('specialist_id')
      .compile(),
    parse: (rows) => new Map((rows as { specialist_id: string; n: number }[]).map((r) => [r.specialist_id, Number(r.n)])),
  };
}

async function specialistsById(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, ViewSpecialist>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('specialists').select(['id', 'slug', 'name', 'timezone']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function movesByBooking(db: DbOrTrx, bookingIds: readonly string[]): Promise<Map<string, ViewMove[]>> {
  const out = new Map<string, ViewMove[]>();
  if (bookingIds.length === 0) return out;
  const rows = await db.selectFrom('booking_moves')
    .select(['booking_id', 'from_starts_at', 'to_starts_at', 'moved_by', 'moved_at'])
    .where('booking_id', 'in', [...bookingIds])
    .orderBy('moved_at').orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.booking_id) ?? [];
    list.push(r);
    out.set(r.booking_id, list);
  }
  return out;
}

/** Views of several bookings with a few extra queries in all (specialists, moves, payments). */
export async function viewsOf(db: DbOrTrx, bookings: readonly Booking[], actor: Actor, now: number): Promise<BookingView[]> {
  const [specialists, moves, payments] = await Promise.all([
    specialistsById(db, bookings.map((b) => b.specialist_id)),
    movesByBooking(db, bookings.map((b) => b.id)),
    paymentsByBooking(db, bookings.map((b) => b.id)),
  ]);
  return bookings.map((b) => bookingView(b, specialists.get(b.specialist_id)!, moves.get(b.id) ?? [], actor, now, payments.get(b.id) ?? null));
}

export async function viewOf(db: DbOrTrx, booking: Booking, actor: Actor, now: number): Promise<BookingView> {
  return (await viewsOf(db, [booking], actor, now))[0]!;
}
