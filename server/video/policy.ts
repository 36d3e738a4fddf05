// When a consultation's room exists and who may enter it when: pure functions of the booking and
// `now`, so every boundary can be tested to the second.
import type { BookingStatus } from '../db/schema.ts';

export type JoinRole = 'visitor' | 'specialist';

/** The room opens 10 min before the start and closes (ejecting everyone) 30 min after the end. */
export const ROOM_OPENS_BEFORE_MS = 10 * 60_000;
export const ROOM_CLOSES_AFTER_MS = 30 * 60_000;
/** The specialist may enter as soon as the room opens; the visitor 5 min before the start. */
export const JOIN_LEAD_MS: Record<JoinRole, number> = { visitor: 5 * 60_000, specialist: 10 * 60_000 };
export const MAX_PARTICIPANTS = 2;

/** One room per booking, named after it: creating it twice finds the same room. */
export function roomName(bookingId: string): string {
  return `consult-${bookingId}`;
}

/** The room's window in Unix seconds (the unit Daily's nbf/exp use). */
export function roomWindow(startsAt: Date, endsAt: Date): { nbf: number; exp: number } {
  return {
    nbf: Math.floor((startsAt.getTime() - ROOM_OPENS_BEFORE_MS) / 1000),
    exp: Math.floor((endsAt.getTime() + ROOM_CLOSES_AFTER_MS) / 1000),
  };
}

export type JoinVerdict =
  | { ok: true }
  | { ok: false; status: 409; code: 'not_confirmed' | 'cancelled'; message: string }
  | { ok: false; status: 410; code: 'ended'; message: string }
  | { ok: false; status: 425; code: 'too_early'; message: string; secondsLeft: number; opensAt: Date };

export interface JoinSubject {
  status: BookingStatus;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Whether `role` may enter the booking's room at `now` (ms). A completed booking stays joinable
 * until the room closes: Daily ends a meeting when the last person leaves, and a dropped
 * connection must be able to come back.
 */
export function checkJoin(booking: JoinSubject, role: JoinRole, now: number): JoinVerdict {
  if (booking.status === 'pending') return { ok: false, status: 409, code: 'not_confirmed', message: 'This booking is not confirmed yet; the call opens once it is.' };
  if (booking.status === 'cancelled') return { ok: false, status: 409, code: 'cancelled', message: 'This booking was cancelled.' };
  const closesAt = roomWindow(booking.startsAt, booking.endsAt).exp * 1000;
  if (booking.status === 'no_show' || now >= closesAt) return { ok: false, status: 410, code: 'ended', message: 'This consultation has ended; its room is closed.' };
  const opensAt = booking.startsAt.getTime() - JOIN_LEAD_MS[role];
  if (now < opensAt) {
    const secondsLeft = Math.ceil((opensAt - now) / 1000);
    return { ok: false, status: 425, code: 'too_early', secondsLeft, opensAt: new Date(opensAt), message: `The call opens in ${secondsLeft} s.` };
  }
  return { ok: true };
}
