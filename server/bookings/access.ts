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

/** The booking and the caller's role, or 404 `not_found` for anyone without a right to it. */
export async function authorizeBooking(request: FastifyRequest, bookingId: string): Promise<BookingAccess> {
  const token = bearerToken(request.headers.authorization);
  const booking = token === null ? undefined : await findBooking(request.server.db, bookingId);
  if (token === null || booking === undefined) throw notFound('Booking');

  if (isAdminToken(request)) return { booking, actor: 'admin' };
  // Compare hashes in constant time: the stored value is a hash, and a timing difference must not
  // reveal how close a guess was. Checked before any session lookup: visitors need no more.
  if (safeEqual(hashToken(token), booking.manage_token_hash)) return { booking, actor: 'visitor' };
  const principal = await principalOf(request);
  if (principal?.kind === 'admin') return { booking, actor: 'admin' };
  if (principal?.kind === 'specialist' && principal.specialistId === booking.specialist_id) return { booking, actor: 'specialist' };
  throw notFound('Booking');
}
