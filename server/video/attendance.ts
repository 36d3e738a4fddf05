// Who attended a Google Meet or Teams consultation, asked after the meeting from the specialist's
// calendar account (the meeting was created with their calendar event): Meet conference records
// and participant sessions, Teams attendance reports (server/calendar, CalendarClient
// meetingAttendance). Each attendee's connections become call_presence rows, as Daily's and
// LiveKit's webhooks make them, so the outcome pass decides completed / no_show with the same
// rules. Mapping to the booking's two people: the host is the meeting's organizer (Teams), an
// attendee with the specialist's or the connected account's address, or the connected account
// itself (Meet names no addresses, but its user id); everyone else in the meeting (which the host's
// lobby admits) is the visitor's side, who may join without any account.
// When the provider cannot answer, `attendance_check` says why and the specialist marks the
// session by hand (the console says so).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AttendanceCheck, Booking } from '../db/schema.ts';
import { clientFor } from '../calendar/connections.ts';
import { CalendarApiError, CalendarAuthError } from '../calendar/errors.ts';
import { providerFor } from '../calendar/providers.ts';
import type { MeetingAttendance } from '../calendar/types.ts';
import type { JoinRole } from './policy.ts';

/** Meet and Teams need a few minutes after a meeting before its records are complete. */
export const ATTENDANCE_DELAY_MS = 10 * 60_000;
/** Asked again after this long while the provider has no record or failed... */
export const ATTENDANCE_RETRY_MS = 20 * 60_000;
/** ...this many times at most; then the specialist marks it by hand. */
export const ATTENDANCE_MAX_ATTEMPTS = 6;
const LOOKBACK_MS = 7 * 86_400_000;
/** Answers that asking again cannot change. */
const SETTLED: AttendanceCheck[] = ['imported', 'scope_missing', 'not_connected'];
/** Meetings that started this far around the booked time count as the booking's. */
const MEETING_SLACK_MS = 60 * 60_000;

type Conference = 'google_meet' | 'teams';

/** The booking's side of each attendee, by the rules in the header. */
export function attendeeRole(a: MeetingAttendance['attendees'][number], hostEmails: ReadonlySet<string>, selfUserId: string | null): JoinRole {
  if (a.organizer) return 'specialist';
  if (a.email !== null && hostEmails.has(a.email.trim().toLowerCase())) return 'specialist';
  if (selfUserId !== null && a.userId === selfUserId) return 'specialist';
  return 'visitor';
}

/** Asks the provider about one booking; answers where that stands. */
async function checkOne(app: FastifyInstance, kind: Conference, booking: Booking): Promise<AttendanceCheck> {
  const name = kind === 'google_meet' ? 'google' : 'outlook';
  const conn = await app.db.selectFrom('calendar_connections').selectAll()
    .where('specialist_id', '=', booking.specialist_id).where('provider', '=', name).where('status', '=', 'active')
    .orderBy('created_at', 'desc').executeTakeFirst();
  const provider = conn ? await providerFor(app.config, name) : null;
  if (!conn || provider === null) return 'not_connected';
  if (!provider.readsAttendance(conn.scopes)) return 'scope_missing';
  const client = await clientFor({ db: app.db, config: app.config, log: app.log }, conn);
  if (client === null) return 'not_connected';

  let attendance: MeetingAttendance | null;
  try {
    attendance = await client.meetingAttendance(booking.video_room_url!, booking.starts_at.getTime() - MEETING_SLACK_MS, booking.ends_at.getTime() + MEETING_SLACK_MS);
  } catch (err) {
    if (err instanceof CalendarAuthError) return 'not_connected';
    if (err instanceof CalendarApiError && err.status === 403) return 'scope_missing';
    app.log.warn({ err: String(err), bookingId: booking.id }, `${kind} attendance could not be read`);
    return 'unavailable';
  }
  if (attendance === null) return 'no_data';

  const specialist = await app.db.selectFrom('specialists').select('email').where('id', '=', booking.specialist_id).executeTakeFirstOrThrow();
  const hostEmails = new Set([specialist.email, conn.account_email].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()));
  const rows = attendance.attendees.flatMap((a) => a.intervals.map((i, n) => ({
    booking_id: booking.id, session: `${kind}:${a.key}#${n}`, role: attendeeRole(a, hostEmails, attendance.selfUserId),
    joined_at: new Date(i.start), left_at: new Date(i.end),
  })));
  if (rows.length > 0) {
    // Asked again (a retry after a crash), the same rows: the provider's answer replaces ours.
    await app.db.insertInto('call_presence').values(rows)
      .onConflict((oc) => oc.columns(['booking_id', 'session']).doUpdateSet({
        role: sql`excluded.role`, joined_at: sql`excluded.joined_at`, left_at: sql`excluded.left_at`,
      }))
      .execute();
  }
  return 'imported';
}

/**
 * One round: claims the Meet/Teams bookings due for asking (a conditional claim, so each is asked
 * by one instance at a time) and records what their provider says. Answers how many were asked.
 */
export async function importAttendance(app: FastifyInstance, kind: Conference, now: number, batch = 20): Promise<number> {
  const claimed = await app.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('bookings').selectAll()
      .where('status', 'in', ['confirmed', 'in_progress'])
      .where(sql<boolean>`(service_terms->>'videoEnabled')::boolean`)
      .where('video_room_url', 'is not', null)
      .where('ends_at', '<=', new Date(now - ATTENDANCE_DELAY_MS))
      .where('ends_at', '>', new Date(now - LOOKBACK_MS))
      .where((eb) => eb.or([eb('attendance_check', 'is', null), eb('attendance_check', 'not in', SETTLED)]))
      .where('attendance_attempts', '<', ATTENDANCE_MAX_ATTEMPTS)
      .where((eb) => eb.or([eb('attendance_checked_at', 'is', null), eb('attendance_checked_at', '<=', new Date(now - ATTENDANCE_RETRY_MS))]))
      .orderBy('ends_at').limit(batch).forUpdate().skipLocked()
      .execute();
    if (rows.length > 0) {
      await trx.updateTable('bookings').set({ attendance_checked_at: new Date(now), attendance_attempts: sql<number>`attendance_attempts + 1` })
        .where('id', 'in', rows.map((r) => r.id)).execute();
    }
    return rows;
  });
  for (const booking of claimed) {
    const check = await checkOne(app, kind, booking).catch((err: unknown) => {
      app.log.warn({ err: String(err), bookingId: booking.id }, 'attendance check failed');
      return 'unavailable' as const;
    });
    await app.db.updateTable('bookings').set({ attendance_check: check }).where('id', '=', booking.id).execute();
  }
  return claimed.length;
}
