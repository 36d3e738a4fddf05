// What happened in a booking's call, written onto the booking: who joined when, when it ended
// and how (completed or no_show), and its recording. Each write is a single guarded UPDATE, so
// repeated or reordered webhook deliveries and concurrent joins settle on the same result.
import { sql, type Transaction } from 'kysely';
import type { Booking, BookingStatus, Database } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { canTransition } from '../bookings/lifecycle.ts';
import type { JoinRole } from './policy.ts';

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

/** Keeps the earliest join per side and moves a confirmed booking to in_progress. */
export async function recordJoin(db: Db, bookingId: string, role: JoinRole, at: Date, now: Date): Promise<void> {
  // LEAST ignores NULL: the first join sets the time, later ones only move it earlier.
  const earliest = (column: 'visitor_joined_at' | 'specialist_joined_at' | 'started_at') => sql<Date>`LEAST(${sql.ref(column)}, ${at})`;
  await db.updateTable('bookings')
    .set({
      ...(role === 'visitor' ? { visitor_joined_at: earliest('visitor_joined_at') } : { specialist_joined_at: earliest('specialist_joined_at') }),
      started_at: earliest('started_at'),
      status: STARTABLE.length > 0 ? sql<BookingStatus>`CASE WHEN status IN (${sql.join(STARTABLE)}) THEN 'in_progress' ELSE status END` : sql<BookingStatus>`status`,
      updated_at: now,
    })
    .where('id', '=', bookingId)
    .execute();
}

/**
 * The meeting is over: completed when the visitor came, no_show when they never did. A meeting
 * that ended before the booking's start without the visitor (the specialist waited early and
 * stepped out) decides nothing yet. Returns the new status, or null when nothing changed.
 */
export async function recordMeetingEnd(db: Db | Transaction<Database>, bookingId: string, startedAt: Date | null, endedAt: Date, now: Date): Promise<'completed' | 'no_show' | null> {
  if (ENDABLE.length === 0) return null;
  const row = await db.updateTable('bookings')
    .set({
      status: sql<BookingStatus>`CASE WHEN visitor_joined_at IS NULL THEN 'no_show' ELSE 'completed' END`,
      started_at: startedAt ? sql<Date>`COALESCE(started_at, ${startedAt})` : sql<Date>`started_at`,
      ended_at: endedAt,
      updated_at: now,
    })
    .where('id', '=', bookingId)
    .where('status', 'in', ENDABLE)
    .where((eb) => eb.or([eb('visitor_joined_at', 'is not', null), eb('starts_at', '<=', endedAt)]))
    .returning('status')
    .executeTakeFirst();
  return (row?.status as 'completed' | 'no_show' | undefined) ?? null;
}

export async function recordRecording(db: Db, bookingId: string, recordingId: string, now: Date): Promise<void> {
  await db.updateTable('bookings').set({ recording_id: recordingId, updated_at: now }).where('id', '=', bookingId).execute();
}
