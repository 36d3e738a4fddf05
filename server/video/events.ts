// What the provider told us about a call, in provider-neutral terms, applied to its booking.
// Daily (webhooks.ts) and LiveKit (livekit-webhooks.ts) each translate their deliveries into these.
import type { FastifyInstance } from 'fastify';
import { emitBookingChanged } from '../bookings/hooks.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import { bookingByRoom, recordJoin, recordMeetingEnd, recordRecording } from './calls.ts';
import type { JoinRole } from './policy.ts';

export type CallEvent =
  | { kind: 'joined'; room: string; role: JoinRole; at: Date | null }
  | { kind: 'ended'; room: string; startedAt: Date | null; endedAt: Date | null }
  | { kind: 'recorded'; room: string; recordingId: string };

/** Applies one verified event; answers what it did (for logs and tests). */
export async function applyCallEvent(app: FastifyInstance, event: CallEvent | null): Promise<'applied' | 'ignored'> {
  if (event === null) return 'ignored';
  const booking = await bookingByRoom(app.db, event.room);
  if (booking === undefined) return 'ignored'; // a room of another app on the same account
  const now = new Date(app.clock.now());
  switch (event.kind) {
    case 'joined':
      await recordJoin(app.db, booking.id, event.role, event.at ?? now, now);
      return 'applied';
    case 'ended': {
      // The status change and its outbox rows (booking.completed / booking.no_show webhooks, stale
      // reminders cancelled) commit together, as when the specialist marks the session by hand.
      const status = await app.db.transaction().execute(async (trx) => {
        const changed = await recordMeetingEnd(trx, booking.id, event.startedAt, event.endedAt ?? now, now);
        if (changed !== null) await writeBookingNotifications(trx, booking.id, changed, now.getTime());
        return changed;
      });
      if (status === null) return 'ignored';
      await emitBookingChanged(app, booking.id, status);
      return 'applied';
    }
    case 'recorded':
      await recordRecording(app.db, booking.id, event.recordingId, now);
      return 'applied';
  }
}
