// Booking queries. Each takes `db` first: the app's Kysely instance or a transaction of it.
import { sql } from 'kysely';
import type { DbOrTrx } from '../availability/load.ts';
import { INACTIVE_STATUSES, type Actor, type Booking } from '../db/schema.ts';
import type { BookingView } from '../../shared/bookings.ts';
import { paymentsByBooking } from '../payments/store.ts';
import { bookingView, type ViewMove, type ViewSpecialist } from './view.ts';

/**
 * The exclusion constraint's own predicate, spelled with literals (not parameters) so the
 * planner can match it to the constraint's partial GiST index.
 */
export const holdsTime = sql<boolean>`status NOT IN (${sql.join(INACTIVE_STATUSES.map((s) => sql.lit(s)))})`;

/**
 * Booking transactions of this process waiting for (or holding) one specialist's lock, at most.
 * Each one holds a pooled connection while it waits (up to DATABASE_LOCK_TIMEOUT_MS): the cap keeps
 * a storm on one specialist, or one stuck holder, from taking every connection of the pool away
 * from slot reads and other specialists' bookings. Over it the request is answered 503 `busy` at
 * once, without a connection.
 */
export const LOCK_QUEUE_CAP = 4;
const lockQueue = new Map<string, number>();

export class LockQueueFull extends Error {
  override name = 'LockQueueFull';
}

/** Runs `fn` (the transaction that takes the specialists' locks) holding a place in their queues. */
export async function inLockQueue<T>(specialistIds: readonly string[], fn: () => Promise<T>): Promise<T> {
  const ids = [...new Set(specialistIds)];
  if (ids.some((id) => (lockQueue.get(id) ?? 0) >= LOCK_QUEUE_CAP)) throw new LockQueueFull('too many bookings waiting for this specialist');
  for (const id of ids) lockQueue.set(id, (lockQueue.get(id) ?? 0) + 1);
  try {
    return await fn();
  } finally {
    for (const id of ids) {
      const n = (lockQueue.get(id) ?? 1) - 1;
      if (n === 0) lockQueue.delete(id);
      else lockQueue.set(id, n);
    }
  }
}

/**
 * Serialises every booking write of one specialist across all API instances until the
 * transaction ends. Several specialists are locked in id order, so two callers locking
 * overlapping sets can never wait on each other in a cycle. The wait is bounded by the session's
 * lock_timeout (55P03, answered 503 `busy`), so one stuck holder cannot hold everyone.
 */
export async function lockSpecialists(trx: DbOrTrx, specialistIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(specialistIds)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`booking:${id}`}, 0))`.execute(trx);
  }
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

export async function findByIdempotencyKey(db: DbOrTrx, key: string): Promise<Booking | undefined> {
  return db.selectFrom('bookings').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** Active bookings (holds included) per specialist starting in [from, until): the load that "any" balances. */
export async function bookingCounts(db: DbOrTrx, specialistIds: readonly string[], from: number, until: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('bookings')
    .select(['specialist_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('specialist_id', 'in', [...specialistIds])
    .where(holdsTime)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(until))
    .groupBy('specialist_id')
    .execute();
  return new Map(rows.map((r) => [r.specialist_id, Number(r.n)]));
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
