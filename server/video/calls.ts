// What happened in a booking's call, written onto the booking: who joined when, when it ended
// and how (completed or no_show), and its recording. Each write is a single guarded UPDATE, so
// repeated or reordered webhook deliveries and concurrent joins settle on the same result.
import { sql, type Transaction } from 'kysely';
import type { Booking, BookingStatus, Database } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { canTransition } from '../bookings/lifecycle.ts';
import { callOutcome, type Attendance, type CallOutcome, type JoinRole } from './policy.ts';

const STATUSES: BookingStatus[] = ['pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'];
/** From the shared lifecycle, not a local copy: where a first join and a call's end may lead. */
const STARTABLE = STATUSES.filter((s) => canTransition(s, 'in_progress'));
const ENDABLE = STATUSES.filter((s) => canTransition(s, 'completed') && canTransition(s, 'no_show'));

/** The user id put in a participant's token; the provider echoes it in participant events. */
export function participantUserId(role: JoinRole, booking: Pick<Booking, 'id' | 'specialist_id'>): string {
  return role === 'visitor' ? `visitor-${booking.id}` : `specialist-${booking.specialist_id}`;
}

export function roleOfParticipant(userId: unknown, owner: unknown): JoinRole {
  if (typeof userId === 'string') return userId.startsWith('specialist-') ? 'specialist' : 'visitor';
  return owner === true ? 'specialist' : 'visitor';
}

export async function bookingByRoom(db: Db, room: string): Promise<Booking | undefined> {
  return db.selectFrom('bookings').selectAll().where('video_room_name', '=', room).executeTakeFirst();
}

/**
 * Someone is in the room (the provider says so): their connection is noted, the earliest join per
 * side kept, and a confirmed booking moves to in_progress. Someone back after the call ended
 * (a dropped connection, within the grace) reopens it: ended_at is cleared until the next end.
 */
export async function recordJoin(db: Db, bookingId: string, role: JoinRole, session: string, at: Date, now: Date): Promise<void> {
  await db.insertInto('call_presence').values({ booking_id: bookingId, session, role, joined_at: at })
    .onConflict((oc) => oc.columns(['booking_id', 'session']).doUpdateSet({ joined_at: sql<Date>`LEAST(call_presence.joined_at, ${at})` }))
    .execute();
  // LEAST ignores NULL: the first join sets the time, later ones only move it earlier.
  const earliest = (column: 'visitor_joined_at' | 'specialist_joined_at' | 'started_at') => sql<Date>`LEAST(${sql.ref(column)}, ${at})`;
  await db.updateTable('bookings')
    .set({
      ...(role === 'visitor' ? { visitor_joined_at: earliest('visitor_joined_at') } : { specialist_joined_at: earliest('specialist_joined_at') }),
      started_at: earliest('started_at'),
      status: STARTABLE.length > 0 ? sql<BookingStatus>`CASE WHEN status IN (${sql.join(STARTABLE)}) THEN 'in_progress' ELSE status END` : sql<BookingStatus>`status`,
      ended_at: sql<Date | null>`CASE WHEN ended_at IS NOT NULL AND ended_at <= ${at} THEN NULL ELSE ended_at END`,
      updated_at: now,
    })
    .where('id', '=', bookingId)
    .execute();
}

/** Someone left the room: their connection gets its end (and its start, should the join event be late or lost). */
export async function recordLeave(db: Db, bookingId: string, role: JoinRole, session: string, joinedAt: Date | null, at: Date): Promise<void> {
  await db.insertInto('call_presence').values({ booking_id: bookingId, session, role, joined_at: joinedAt, left_at: at })
    .onConflict((oc) => oc.columns(['booking_id', 'session']).doUpdateSet({
      left_at: sql<Date>`GREATEST(call_presence.left_at, ${at})`,
      joined_at: joinedAt ? sql<Date>`LEAST(call_presence.joined_at, ${joinedAt})` : sql<Date>`call_presence.joined_at`,
    }))
    .execute();
}

/** Who was in the call and for how long, with connections still open counted up to `until`. */
export async function attendance(db: Db | Transaction<Database>, bookingId: string, until: Date, startsAt: Date): Promise<Attendance> {
  const rows = await db.selectFrom('call_presence')
    .select([
      'role',
      sql<number>`COALESCE(SUM(EXTRACT(EPOCH FROM (LEAST(COALESCE(left_at, ${until}), ${until}) - joined_at))), 0)`.as('seconds'),
      sql<boolean>`bool_or(LEAST(COALESCE(left_at, ${until}), ${until}) >= ${startsAt})`.as('at_start'),
    ])
    .where('booking_id', '=', bookingId).where('joined_at', 'is not', null)
    .groupBy('role')
    .execute();
  const of = (role: JoinRole) => rows.find((r) => r.role === role);
  return {
    visitorS: Math.max(0, Number(of('visitor')?.seconds ?? 0)),
    specialistS: Math.max(0, Number(of('specialist')?.seconds ?? 0)),
    visitorCame: of('visitor') !== undefined,
    specialistCame: of('specialist') !== undefined,
    visitorAtStart: of('visitor')?.at_start === true,
  };
}

/**
 * The meeting is over (everyone left; the provider says so, or the outcome pass after the room
 * closed). The outcome comes from who was there and for how long (policy.ts callOutcome), the
 * same for every provider. A rejoined call that ends again only gets its new end. Returns the
 * outcome written, or null when nothing changed.
 */
export async function recordMeetingEnd(db: Db | Transaction<Database>, booking: Pick<Booking, 'id' | 'starts_at' | 'ends_at'>, startedAt: Date | null, endedAt: Date, now: Date, roomClosed = false): Promise<CallOutcome | null> {
  const outcome = callOutcome(await attendance(db, booking.id, endedAt, booking.starts_at), booking.starts_at, booking.ends_at, endedAt, roomClosed);
  const started = startedAt ? sql<Date>`COALESCE(started_at, ${startedAt})` : sql<Date>`started_at`;
  if (outcome !== null && ENDABLE.length > 0) {
    const row = await db.updateTable('bookings')
      .set({ status: outcome.status, no_show_party: outcome.noShowParty, started_at: started, ended_at: endedAt, updated_at: now })
      .where('id', '=', booking.id)
      .where('status', 'in', ENDABLE)
      .returning('status')
      .executeTakeFirst();
    if (row) return outcome;
  }
  // Back after the end and gone again: the decided outcome stands, the room closes from this end.
  await db.updateTable('bookings').set({ ended_at: endedAt, updated_at: now })
    .where('id', '=', booking.id).where('status', 'in', ['completed', 'no_show']).where('ended_at', 'is', null)
    .execute();
  return null;
}
