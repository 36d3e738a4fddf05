// Who may act on one booking: the visitor holding its manage token, its own specialist (by
// credential or console session), or the site owner (ADMIN_TOKEN or an owner session). Everything else is the same 404 as an unknown
// id, so a caller can never tell "exists but not yours" from "does not exist".
import type { FastifyRequest } from 'fastify';
import { isAdminToken, principalOf } from '../auth/guards.ts';
import { bearerToken, hashToken, safeEqual } from '../auth/tokens.ts';
import { notFound } from '../http/errors.ts';
import type { Actor, Booking } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { isUuid } from '../../shared/ids.ts';


export interface BookingAccess {
  booking: Booking;
  actor: Actor;
}

export async function findBooking(db: Db, bookingId: string): Promise<Booking | undefined> {
  if (!isUuid(bookingId)) return undefined; // a malformed id is just another unknown id
  return db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
}

/**
 * The booking and the caller's role, or 404 `not_found` for anyone without a right to it. An
 * unknown id and a known id with a wrong token do the same work (one booking lookup, one
 * credential lookup, one constant-time comparison), so the answer's timing does not tell them
 * apart either.
 */
export async function authorizeBooking(request: FastifyRequest, bookingId: string): Promise<BookingAccess> {
  const token = bearerToken(request.headers.authorization);
  if (token === null) throw notFound('Booking');
  const booking = await findBooking(request.server.db, bookingId);
  if (booking !== undefined && isAdminToken(request)) return { booking, actor: 'admin' };
  // Compared in constant time against the stored hash (or a stand-in when there is no booking), and
  // before any session lookup: visitors need no more.
  const matches = safeEqual(hashToken(token), booking?.manage_token_hash ?? NO_BOOKING_HASH);
  if (booking !== undefined && matches) return { booking, actor: 'visitor' };
  // Looked up whether or not the booking exists, so both cases cost the same.
  const principal = await principalOf(request);
  if (booking !== undefined && principal?.kind === 'admin') return { booking, actor: 'admin' };
  if (booking !== undefined && principal?.kind === 'specialist' && principal.specialistId === booking.specialist_id) return { booking, actor: 'specialist' };
  throw notFound('Booking');
}

/** A hash no token has: what an unknown id's token is compared with. */
const NO_BOOKING_HASH = '0'.repeat(64);
