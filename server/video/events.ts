// What the provider told us about a call, in provider-neutral terms, applied to its booking.
// Daily (webhooks.ts) and LiveKit (livekit-webhooks.ts) each translate their deliveries into these,
// so both providers reach the same state and the same completed / no_show outcome.
import type { FastifyInstance } from 'fastify';
import { emitBookingChanged } from '../bookings/hooks.ts';
import type { Booking } from '../db/schema.ts';
import { writeOutcome } from '../bookings/manage.ts';
import { paymentOf } from '../payments/store.ts';
import { bookingByRoom, recordJoin, recordLeave, recordMeetingEnd } from './calls.ts';
import { recordRecording } from './recording.ts';
import type { CallOutcome, JoinRole } from './policy.ts';
import { roomSpecFor } from './rooms.ts';
import { videoProvider } from './select.ts';

export type CallEvent =
  | { kind: 'joined'; room: string; role: JoinRole; session: string; at: Date | null }
  | { kind: 'left'; room: string; role: JoinRole; session: string; joinedAt: Date | null; at: Date | null }
  | { kind: 'ended'; room: string; startedAt: Date | null; endedAt: Date | null }
  | { kind: 'recorded'; room: string; recordingId: string }
  | { kind: 'recording_failed'; room: string; session: string };

/** Moves the provider's room to the booking's window as it now stands (closing soon after an end). */
async function reshapeRoom(app: FastifyInstance, bookingId: string): Promise<void> {
  const provider = await videoProvider(app.config);
  const booking = await app.db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
  if (provider === null || booking === undefined) return;
  await provider.updateRoom(await roomSpecFor(app.db, booking)).catch((err: unknown) => {
    // The outcome is stored either way; the room still closes at its original time.
    app.log.warn({ err: String(err), bookingId }, 'moving the room\'s closing time failed');
  });
}

/**
 * The call is over: its outcome (policy.ts callOutcome), the outbox rows it causes (booking.completed
 * / booking.no_show webhooks, stale reminders cancelled, the visitor told when the specialist never
 * came) and, for a specialist's no-show, a full refund of what was paid online, all in one
 * transaction, as when the specialist marks the session by hand. Listeners hear of it after the commit.
 */
export async function settleCall(app: FastifyInstance, booking: Pick<Booking, 'id' | 'starts_at' | 'ends_at'>, startedAt: Date | null, endedAt: Date, roomClosed = false): Promise<CallOutcome | null> {
  const now = new Date(app.clock.now());
  const outcome = await app.db.transaction().execute(async (trx) => {
    // The payment row first, as the Stripe webhook locks it, so the two never wait on each other in turn.
    const payment = await paymentOf(trx, booking.id, true);
    const decided = await recordMeetingEnd(trx, booking, startedAt, endedAt, now, roomClosed);
    if (decided !== null) await writeOutcome(trx, booking.id, decided.status, decided.noShowParty, payment, now.getTime());
    return decided;
  });
  if (outcome !== null) await emitBookingChanged(app, booking.id, outcome.status);
  return outcome;
}

/** Applies one verified event; answers what it did (for logs and tests). */
export async function applyCallEvent(app: FastifyInstance, event: CallEvent | null): Promise<'applied' | 'ignored'> {
  if (event === null) return 'ignored';
  const booking = await bookingByRoom(app.db, event.room);
  if (booking === undefined) return 'ignored'; // a room of another app on the same account
  const now = new Date(app.clock.now());
  switch (event.kind) {
    case 'joined':
      await recordJoin(app.db, booking.id, event.role, event.session, event.at ?? now, now);
      // Back within the grace after the call ended: the room gets its full window again.
      if (booking.ended_at !== null) await reshapeRoom(app, booking.id);
      return 'applied';
    case 'left':
      await recordLeave(app.db, booking.id, event.role, event.session, event.joinedAt, event.at ?? now);
      return 'applied';
    case 'ended':
      await settleCall(app, booking, event.startedAt, event.endedAt ?? now);
      // Everyone left: the room closes shortly (a dropped connection can still come back).
      await reshapeRoom(app, booking.id);
      return 'applied';
    case 'recorded':
      await recordRecording(app, booking, event.recordingId, now);
      return 'applied';
    case 'recording_failed':
      await app.db.updateTable('bookings').set({ recording_status: null, recording_session: null, updated_at: now })
        .where('id', '=', booking.id).where('recording_session', '=', event.session).execute();
      return 'applied';
  }
}
