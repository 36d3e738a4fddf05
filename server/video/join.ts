// Joining a consultation: the caller's role comes from their credential (manage token: visitor;
// specialist credential: owner), the window from policy.ts, the room from the provider.
import type { FastifyRequest } from 'fastify';
import type { JoinResponse } from '../../shared/schemas.ts';
import { authorizeBooking } from '../bookings/access.ts';
import { HttpError } from '../http/errors.ts';
import { checkJoin, type JoinRole } from './policy.ts';
import { participantUserId } from './calls.ts';
import { ensureBookingRoom, roomSpecFor } from './rooms.ts';
import { requireVideoProvider } from './select.ts';
import { recordingState } from './recording-state.ts';

export async function joinConsultation(request: FastifyRequest, bookingId: string): Promise<JoinResponse> {
  const app = request.server;
  const { db } = app;
  const { booking, actor } = await authorizeBooking(request, bookingId);
  // The site owner can see any booking but is not one of the two people in the call.
  if (actor === 'admin') throw new HttpError(403, 'not_a_participant', 'Only the visitor and the specialist of this booking can join its call.');
  const role: JoinRole = actor;

  if (!booking.service_terms.videoEnabled) throw new HttpError(409, 'video_disabled', 'This consultation is not held by video.');
  const provider = await requireVideoProvider(app.config);

  const now = app.clock.now();
  const verdict = checkJoin({ status: booking.status, startsAt: booking.starts_at, endsAt: booking.ends_at, endedAt: booking.ended_at }, role, now);
  if (!verdict.ok) {
    if (verdict.status === 425) {
      throw new HttpError(425, 'too_early', verdict.message, {
        details: { secondsLeft: verdict.secondsLeft, opensAt: verdict.opensAt.toISOString() },
        headers: { 'retry-after': String(verdict.secondsLeft) },
      });
    }
    throw new HttpError(verdict.status, verdict.code, verdict.message);
  }

  const spec = await roomSpecFor(db, booking);
  const { nbf, exp } = spec;
  if (provider.kind === 'google_meet' || provider.kind === 'teams') {
    // The meeting came with the specialist's calendar event; after the waiting room, its link.
    if (booking.video_room_url === null) await provider.ensureRoom(spec); // 409 conference_pending
    return {
      roomUrl: booking.video_room_url!, token: '', startsAt: booking.starts_at.toISOString(), endsAt: booking.ends_at.toISOString(),
      role, provider: provider.kind, closesAt: new Date(exp * 1000).toISOString(),
    };
  }
  const room = await ensureBookingRoom(db, provider, booking, new Date(now));
  const userName = role === 'visitor' ? booking.visitor_name
    : (await db.selectFrom('specialists').select('name').where('id', '=', booking.specialist_id).executeTakeFirstOrThrow()).name;
  const token = await provider.issueToken({
    room: room.name,
    userId: participantUserId(role, booking),
    userName,
    owner: role === 'specialist',
    nbf,
    exp,
    now,
  });

  // A token is not presence: the booking moves to in_progress when the provider reports that
  // someone is actually in the room (its webhook, or a client's report it confirms).
  const recording = recordingState(booking);

  return {
    roomUrl: room.url,
    token,
    startsAt: booking.starts_at.toISOString(),
    endsAt: booking.ends_at.toISOString(),
    role,
    provider: provider.kind,
    closesAt: new Date(exp * 1000).toISOString(),
    // The specialist controls it; both see whether it runs and what the visitor answered.
    ...(role === 'specialist' && recording.offered && recording.consent === true ? { recording: true } : {}),
    recordingState: recording,
  };
}
