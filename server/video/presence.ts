// A call view's "I am in the call" report (POST /api/bookings/:id/presence), confirmed with the
// provider before anything is written. The report proves nothing by itself: it carries the join
// token the reporter was given (which names the room and the person, signed by this server), and
// the server then asks the provider who is in that room (Daily room presence, LiveKit
// ListParticipants). Only connections the provider shows are recorded, as `joined` call events
// keyed by the provider's own connection id, so a report and the provider's webhook for the same
// join write one call_presence row and reach the same booking state in either order.
import type { FastifyInstance } from 'fastify';
import type { Booking, BookingStatus } from '../db/schema.ts';
import { findBooking } from '../bookings/access.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { participantUserId, roleOfParticipant } from './calls.ts';
import { applyCallEvent } from './events.ts';
import { roomName, type JoinRole } from './policy.ts';
import { requireVideoProvider } from './select.ts';

export interface PresenceAnswer {
  role: JoinRole;
  joinedAt: string;
  status: BookingStatus;
}

/** The booking's two people as the provider knows them (the user ids put in their tokens). */
function roleOfUser(booking: Booking, userId: string): JoinRole | null {
  const role = roleOfParticipant(userId, undefined);
  return participantUserId(role, booking) === userId ? role : null;
}

export async function confirmPresence(app: FastifyInstance, bookingId: string, token: string): Promise<PresenceAnswer> {
  const provider = await requireVideoProvider(app.config);
  if (provider.kind === 'google_meet' || provider.kind === 'teams') {
    throw new HttpError(409, 'presence_unconfirmable', 'Google Meet and Teams meetings report who attended after the meeting; there is nothing to confirm now.');
  }
  const booking = await findBooking(app.db, bookingId);
  if (booking === undefined) throw notFound('Booking');
  const now = app.clock.now();
  const credential = await provider.readToken(token, now);
  // A token for another booking's room, or for someone other than this booking's two people, is no credential here.
  const role = credential && credential.room === roomName(booking.id) ? roleOfUser(booking, credential.userId) : null;
  if (credential === null || role === null) throw new HttpError(401, 'invalid_join_token', 'This is not a current join token for this booking\'s call.');

  const present = await provider.presence(credential.room);
  const mine = present.filter((p) => p.userId === credential.userId);
  if (mine.length === 0) {
    // Daily's presence may lag the call by up to 15 s: the call view tries again a few times.
    throw new HttpError(409, 'not_in_room', 'The video provider does not show you in the call (yet); nothing was recorded.', { headers: { 'retry-after': '5' } });
  }
  // Everyone the provider shows of this booking is recorded (the other person may be there already).
  for (const p of present) {
    const who = roleOfUser(booking, p.userId);
    if (who !== null) await applyCallEvent(app, { kind: 'joined', room: credential.room, role: who, session: p.session, at: p.joinedAt });
  }
  const after = (await findBooking(app.db, booking.id))!;
  const joinedAt = mine.map((p) => p.joinedAt?.getTime() ?? now).reduce((a, b) => Math.min(a, b));
  return { role, joinedAt: new Date(joinedAt).toISOString(), status: after.status };
}
