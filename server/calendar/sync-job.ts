// Writes bookings into the specialist's calendars. Runs from the notifications queue (outbox
// rows with channel `calendar`), never inside a booking request, so a provider failure can only
// delay the calendar, never the booking. Each run reconciles the calendar with the booking's
// current state, which makes retries and out-of-order jobs harmless.
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { Booking, CalendarConnection, Notification } from '../db/schema.ts';
import { PermanentDeliveryError } from '../notifications/errors.ts';
import { joinUrl, specialistUrl } from '../links.ts';
import { CalendarApiError, CalendarAuthError, isGone } from './errors.ts';
import { clientFor, markBroken, type CalendarDeps } from './connections.ts';
import { eventDraft, type EventLinks } from './event.ts';
import type { CalendarClient } from './types.ts';

/** Statuses whose booking belongs in the calendar. */
const SHOWN = new Set<Booking['status']>(['confirmed', 'in_progress', 'completed', 'no_show']);

const EVENT_COLUMN = { google: 'google_event_id', outlook: 'outlook_event_id' } as const;

/**
 * The specialist's own links: the event lives in their calendar (and in any calendar shared with
 * it), so it must not carry the visitor's manage token; the visitor gets theirs by email.
 */
function linksFor(config: Config, booking: Booking): EventLinks {
  const manage = specialistUrl(config.publicUrl, booking.id);
  return { manageUrl: manage, joinUrl: booking.service_terms.videoEnabled ? joinUrl(manage) : null };
}

/** Meet rides on Google events, Teams on Outlook ones: the configured provider's own calendar. */
function conferenceFor(config: Config, conn: CalendarConnection): 'google_meet' | 'teams' | null {
  if (config.videoProvider === 'google_meet' && conn.provider === 'google') return 'google_meet';
  if (config.videoProvider === 'teams' && conn.provider === 'outlook') return 'teams';
  return null;
}

/** The meeting's join URL becomes the booking's room (the join route hands it out after the waiting room). */
async function storeConference(db: Db, booking: Booking, url: string | null): Promise<void> {
  if (url === null || url === booking.video_room_url) return;
  await db.updateTable('bookings').set({ video_room_url: url, video_room_name: `conference-${booking.id}`, updated_at: new Date() })
    .where('id', '=', booking.id).where('status', '<>', 'cancelled').execute();
}

async function storeEventId(db: Db, booking: Booking, conn: CalendarConnection, eventId: string | null): Promise<boolean> {
  const column = EVENT_COLUMN[conn.provider];
  const query = db.updateTable('bookings').set({ [column]: eventId, updated_at: new Date() }).where('id', '=', booking.id);
  // A new id is kept only while the booking is still shown: a cancel that committed meanwhile wins.
  const row = await (eventId === null ? query : query.where('status', '<>', 'cancelled')).returning('id').executeTakeFirst();
  return row !== undefined;
}

async function removeEvent(db: Db, client: CalendarClient, booking: Booking, conn: CalendarConnection, eventId: string | null): Promise<void> {
  if (eventId !== null) await client.deleteEvent(conn.write_calendar_id, eventId, conn.send_updates);
  if (booking[EVENT_COLUMN[conn.provider]] !== null) await storeEventId(db, booking, conn, null);
}

/** Makes one connection's calendar match the booking. */
async function syncConnection(ctx: CalendarDeps, client: CalendarClient, conn: CalendarConnection, booking: Booking,
  kind: string): Promise<void> {
  const stored = booking[EVENT_COLUMN[conn.provider]];
  const sendUpdates = conn.send_updates;
  if (kind === 'calendar.delete' || booking.status === 'cancelled') {
    // Google event ids are derived from the booking, so even an id that was never stored is found.
    await removeEvent(ctx.db, client, booking, conn, stored ?? client.derivedEventId?.(booking.id) ?? null);
    return;
  }
  if (!SHOWN.has(booking.status)) return; // pending approval: not in the calendar yet
  const draft = eventDraft(booking, linksFor(ctx.config, booking), sendUpdates, conferenceFor(ctx.config, conn));
  if (stored !== null) {
    try {
      const { conferenceUrl } = await client.patchEvent(conn.write_calendar_id, stored, draft);
      await storeConference(ctx.db, booking, conferenceUrl);
      return;
    } catch (err) {
      if (!isGone(err)) throw err;
      ctx.log.info({ bookingId: booking.id, provider: conn.provider }, 'calendar event was deleted at the provider; inserting it again');
    }
  }
  const { id: eventId, conferenceUrl } = await client.insertEvent(conn.write_calendar_id, draft);
  await storeConference(ctx.db, booking, conferenceUrl);
  if (eventId !== stored && !(await storeEventId(ctx.db, booking, conn, eventId))) {
    // Cancelled while we were inserting: take the event out again.
    await client.deleteEvent(conn.write_calendar_id, eventId, sendUpdates);
  }
}

/**
 * Delivers one `calendar.upsert` / `calendar.delete` outbox row: to the connection named in its
 * payload (the outbox writes one row per connection), else to every active connection of the
 * booking's specialist. Throws CalendarRateLimitError (retryable, with retryAfterMs) or a
 * retryable CalendarApiError so the queue retries with backoff, and PermanentDeliveryError for
 * answers no retry can change. A dead grant marks the connection broken instead (retrying cannot
 * help; reconnecting re-syncs upcoming bookings).
 */
export async function deliverCalendarJob(ctx: CalendarDeps, row: Notification): Promise<void> {
  const payload = row.payload ?? {};
  const bookingId = typeof payload.bookingId === 'string' ? payload.bookingId : row.booking_id;
  if (!bookingId) throw new PermanentDeliveryError('calendar job without a booking id');
  const booking = await ctx.db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
  if (!booking) throw new PermanentDeliveryError(`booking ${bookingId} no longer exists`);
  const connectionId = typeof payload.connectionId === 'string' ? payload.connectionId : null;
  try {
    await syncBooking(ctx, booking, row.kind, connectionId);
  } catch (err) {
    if (err instanceof CalendarApiError && !err.retryable) throw new PermanentDeliveryError(err.message);
    throw err;
  }
}

/**
 * Syncs a booking to its specialist's active connections (or the one given). Every connection
 * is tried; the first failure is rethrown afterwards, and a retry repeats only harmless work.
 */
export async function syncBooking(ctx: CalendarDeps, booking: Booking, kind: string, connectionId: string | null = null): Promise<void> {
  let query = ctx.db.selectFrom('calendar_connections').selectAll()
    .where('specialist_id', '=', booking.specialist_id).where('status', '=', 'active');
  if (connectionId !== null) query = query.where('id', '=', connectionId);
  const connections = await query.execute();
  if (connections.length === 0) {
    ctx.log.info({ bookingId: booking.id, connectionId }, 'no active calendar connection for this booking; nothing to sync');
    return;
  }
  let failure: unknown = null;
  for (const conn of connections) {
    const client = await clientFor(ctx, conn);
    if (client === null) continue; // provider not configured on this server
    try {
      await syncConnection(ctx, client, conn, booking, kind);
      if (conn.last_error !== null) {
        // Writing works again: the earlier write problem is no longer news.
        await ctx.db.updateTable('calendar_connections').set({ last_error: null }).where('id', '=', conn.id).where('status', '=', 'active').execute();
      }
    } catch (err) {
      if (err instanceof CalendarAuthError) {
        await markBroken(ctx, conn.id, err.message);
        continue;
      }
      ctx.log.warn({ err, bookingId: booking.id, provider: conn.provider }, 'calendar sync failed');
      if (err instanceof CalendarApiError && !err.retryable) {
        // No retry will fix it (e.g. the write calendar was deleted): show the specialist why.
        await ctx.db.updateTable('calendar_connections').set({ last_error: `Could not write a booking: ${err.message}`.slice(0, 500) })
          .where('id', '=', conn.id).execute();
      }
      failure ??= err;
    }
  }
  if (failure !== null) throw failure;
}
