// The outcome pass after a booking's call (run by the maintenance job): calls that ended without a
// decided outcome are decided once nobody can come any more, with the same rules for every
// provider (policy.ts callOutcome, applied by events.ts settleCall).
//  - Daily and LiveKit: the room closed (ROOM_CLOSES_AFTER_MS after the end) with someone's
//    presence recorded but no outcome: the visitor who waited for a specialist who never came
//    (their meeting ended before the booked end), or a meeting end the provider never delivered.
//  - Google Meet and Teams: nothing reports the call while it runs, so after the meeting the
//    provider is asked who attended (attendance.ts); its answer becomes presence rows, then the
//    same decision. When the provider cannot answer, the booking stays for the specialist to mark
//    by hand, and `attendance_check` says why (the console shows it).
// Each booking is looked at once (`outcome_pass_at`), claimed with SKIP LOCKED, so several
// instances never take the same one and an undecidable call (nobody came) is not retried forever.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Booking } from '../db/schema.ts';
import { settleCall } from './events.ts';
import { ROOM_CLOSES_AFTER_MS } from './policy.ts';
import { videoProvider } from './select.ts';
import { importAttendance } from './attendance.ts';

/** Calls older than this are left alone (a server that was down for a week does not settle last month). */
export const OUTCOME_LOOKBACK_MS = 7 * 86_400_000;
const OPEN = ['confirmed', 'in_progress'] as const;

/** When the booking's room closed: ROOM_CLOSES_AFTER_MS after its end. */
const closesAt = (b: Pick<Booking, 'ends_at'>) => new Date(b.ends_at.getTime() + ROOM_CLOSES_AFTER_MS);

/**
 * Decides a booking whose call is over from its presence rows: the call ended when the last
 * connection left (a connection whose departure never arrived counts until the room closed).
 */
export async function settleFromPresence(app: FastifyInstance, booking: Booking, closed: Date) {
  const span = await app.db.selectFrom('call_presence')
    .select([
      sql<Date | null>`MIN(joined_at)`.as('first'),
      sql<Date | null>`MAX(COALESCE(left_at, ${closed}))`.as('last'),
    ])
    .where('booking_id', '=', booking.id).where('joined_at', 'is not', null)
    .executeTakeFirst();
  if (!span?.last) return null; // nobody came: the specialist marks it by hand
  const last = new Date(Math.min(new Date(span.last).getTime(), closed.getTime()));
  return settleCall(app, booking, span.first ? new Date(span.first) : null, last, true);
}

/** One round: what it decided (for logs and tests). */
export async function settleFinishedCalls(app: FastifyInstance, now: number, batch = 50): Promise<{ settled: number; checked: number }> {
  const provider = await videoProvider(app.config);
  if (provider === null) return { settled: 0, checked: 0 };
  const conference = provider.kind === 'google_meet' || provider.kind === 'teams';
  let checked = 0;
  if (conference) checked = await importAttendance(app, provider.kind as 'google_meet' | 'teams', now, batch);

  // Rooms that closed with presence recorded and no outcome (for Meet/Teams: the attendance just imported).
  const due = await app.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('bookings').selectAll()
      .where('status', 'in', OPEN)
      .where(sql<boolean>`(service_terms->>'videoEnabled')::boolean`)
      .where('outcome_pass_at', 'is', null)
      .where('ends_at', '<=', new Date(now - ROOM_CLOSES_AFTER_MS))
      .where('ends_at', '>', new Date(now - OUTCOME_LOOKBACK_MS))
      .where((eb) => eb.exists(eb.selectFrom('call_presence').select('booking_id').whereRef('call_presence.booking_id', '=', 'bookings.id')))
      .orderBy('ends_at').limit(batch).forUpdate().skipLocked()
      .execute();
    if (rows.length > 0) await trx.updateTable('bookings').set({ outcome_pass_at: new Date(now) }).where('id', 'in', rows.map((r) => r.id)).execute();
    return rows;
  });
  let settled = 0;
  for (const booking of due) {
    if (await settleFromPresence(app, booking, closesAt(booking)) !== null) settled++;
  }
  return { settled, checked };
}
