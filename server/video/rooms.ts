// A booking's room at the provider: created on demand (idempotent by name), deleted when the
// booking is cancelled or declined, moved when it is rescheduled. The listener is best effort:
// the join route self-heals a room whose window no longer matches the booking.
import type { FastifyInstance } from 'fastify';
import type { Booking } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { findBooking } from '../bookings/access.ts';
import type { BookingEvent } from '../bookings/hooks.ts';
import { MAX_PARTICIPANTS, roomName, roomWindow } from './policy.ts';
import type { Room, RoomSpec, VideoProvider } from './provider.ts';
import { videoProvider } from './select.ts';

type RoomBooking = Pick<Booking, 'id' | 'service_id' | 'starts_at' | 'ends_at' | 'status' | 'ended_at'>;

export async function roomSpecFor(db: Db, booking: RoomBooking): Promise<RoomSpec> {
  const service = await db.selectFrom('services').select('recording_enabled').where('id', '=', booking.service_id).executeTakeFirst();
  return {
    name: roomName(booking.id),
    // A call that is over keeps its room only for the rejoin grace.
    ...roomWindow(booking.starts_at, booking.ends_at, booking.status === 'completed' || booking.status === 'no_show' ? booking.ended_at : null),
    maxParticipants: MAX_PARTICIPANTS,
    recording: service?.recording_enabled ?? false,
  };
}

/** Makes sure the room exists with the booking's window and remembers its name and URL. */
export async function ensureBookingRoom(db: Db, provider: VideoProvider, booking: Booking, now: Date): Promise<Room> {
  const room = await provider.ensureRoom(await roomSpecFor(db, booking));
  if (booking.video_room_name !== room.name || booking.video_room_url !== room.url) {
    await db.updateTable('bookings').set({ video_room_name: room.name, video_room_url: room.url, updated_at: now })
      .where('id', '=', booking.id).execute();
  }
  return room;
}

/** The bookings module's after-commit listener: keeps the provider's room in step. */
export async function syncRoomWithBooking(app: FastifyInstance, bookingId: string, event: BookingEvent): Promise<void> {
  const provider = await videoProvider(app.config);
  // Meet and Teams meetings live on the calendar event, which the calendar sync keeps in step.
  if (provider === null || provider.kind === 'google_meet' || provider.kind === 'teams') return;
  const booking = await findBooking(app.db, bookingId);
  if (booking === undefined) return;
  const now = new Date(app.clock.now());
  switch (event) {
    case 'cancelled':
    case 'declined':
    case 'expired':
      // By name, not by the stored URL: a join racing the cancel may have created it meanwhile.
      await provider.deleteRoom(roomName(booking.id));
      await app.db.updateTable('bookings').set({ video_room_url: null, updated_at: now }).where('id', '=', booking.id).execute();
      return;
    case 'rescheduled':
      await provider.updateRoom(await roomSpecFor(app.db, booking));
      return;
    case 'created':
    case 'confirmed':
      // Ready before the reminders go out; pending bookings get theirs once confirmed.
      if (booking.status === 'confirmed' && booking.service_terms.videoEnabled) await ensureBookingRoom(app.db, provider, booking, now);
      return;
    default:
      return;
  }
}
