// Booking queries. Each takes `db` first: the app's Kysely instance or a transaction of it.
import { sql } from 'kysely';
import { specialistVersionSql, type DbOrTrx } from '../availability/load.ts';
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
 * Serialises every booking write of one specialist across all API instances until the
 * transaction ends. Several specialists are locked in id order, so two callers locking
 * overlapping sets can never wait on each other in a cycle.
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

/**
 * isBlocked for a booking attempt, with the specialist's availability version read in the same
 * snapshot: a loser's answer (the alternatives) can be reused while that version holds.
 */
export async function blockedAt(db: DbOrTrx, specialistId: string, from: number, until: number): Promise<{ blocked: boolean; version: string }> {
  const { rows } = await sql<{ blocked: boolean; version: string }>`
    SELECT EXISTS (
      SELECT 1 FROM bookings WHERE specialist_id = ${specialistId} AND ${holdsTime}
         AND tstzrange(blocked_from, blocked_until, '[)') && tstzrange(${new Date(from)}::timestamptz, ${new Date(until)}::timestamptz, '[)')
    ) AS blocked, ${specialistVersionSql(specialistId)} AS version`.execute(db);
  return rows[0]!;
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
