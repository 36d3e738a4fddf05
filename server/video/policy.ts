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

/** Once the call is over (everyone left), the room stays open this long for someone who dropped. */
export const REJOIN_GRACE_MS = 2 * 60_000;
/** A connection shorter than this is not attending (a mis-click, a join that never got media). */
export const MIN_ATTENDANCE_S = 60;

/**
 * The room's window in Unix seconds (the unit Daily's nbf/exp use): from 10 min before the start
 * to 30 min after the end, or to REJOIN_GRACE_MS after the call ended when that is sooner.
 */
export function roomWindow(startsAt: Date, endsAt: Date, endedAt: Date | null = null): { nbf: number; exp: number } {
  const closes = endsAt.getTime() + ROOM_CLOSES_AFTER_MS;
  return {
    nbf: Math.floor((startsAt.getTime() - ROOM_OPENS_BEFORE_MS) / 1000),
    exp: Math.floor(Math.min(closes, endedAt === null ? closes : Math.max(endedAt.getTime(), startsAt.getTime()) + REJOIN_GRACE_MS) / 1000),
  };
}

export interface Attendance {
  /** Seconds each side was connected (summed over connections). */
  visitorS: number;
  specialistS: number;
  /** Whether each side connected at all. */
  visitorCame: boolean;
  specialistCame: boolean;
  /** The visitor was still (or already) there at the booked start: not only early and gone before it. */
  visitorAtStart: boolean;
}

/** What a call decided: completed, or a no-show naming who did not come. */
export type CallOutcome = { status: 'completed'; noShowParty: null } | { status: 'no_show'; noShowParty: 'visitor' | 'specialist' };

/**
 * What a call that ended decides, the same for every provider (Daily, LiveKit, Meet, Teams):
 * - completed when both came and the visitor stayed at least MIN_ATTENDANCE_S;
 * - the visitor's no_show when the specialist came and the visitor did not (or only for a moment),
 *   once the booking had started;
 * - the specialist's no_show when the visitor was there at the start (or joined later) and the
 *   specialist never came at all, once the booked time is over (`endedAt` at or after `endsAt`)
 *   or the room has closed (`roomClosed`: the outcome pass, outcomes.ts): before that the
 *   specialist may still come, so a visitor who waited and stepped out decides nothing yet.
 * Nothing is decided when nobody came, or either side only before the start (the specialist
 * waited early and stepped out; the visitor looked in early and left): that is marked by hand.
 */
export function callOutcome(a: Attendance, startsAt: Date, endsAt: Date, endedAt: Date, roomClosed = false): CallOutcome | null {
  if (!a.specialistCame) {
    return a.visitorAtStart && (roomClosed || endedAt.getTime() >= endsAt.getTime()) ? { status: 'no_show', noShowParty: 'specialist' } : null;
  }
  if (a.visitorCame && a.visitorS >= MIN_ATTENDANCE_S) return { status: 'completed', noShowParty: null };
  return endedAt.getTime() >= startsAt.getTime() ? { status: 'no_show', noShowParty: 'visitor' } : null;
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
  /** When the call ended (everyone left); the room closes REJOIN_GRACE_MS later. */
  endedAt?: Date | null;
}

/**
 * Whether `role` may enter the booking's room at `now` (ms). A completed booking stays joinable
 * until the room closes (REJOIN_GRACE_MS after the call ended): a dropped connection must be able
 * to come back.
 */
export function checkJoin(booking: JoinSubject, role: JoinRole, now: number): JoinVerdict {
  if (booking.status === 'pending') return { ok: false, status: 409, code: 'not_confirmed', message: 'This booking is not confirmed yet; the call opens once it is.' };
  if (booking.status === 'cancelled') return { ok: false, status: 409, code: 'cancelled', message: 'This booking was cancelled.' };
  const closesAt = roomWindow(booking.startsAt, booking.endsAt, booking.status === 'completed' ? booking.endedAt ?? null : null).exp * 1000;
  if (booking.status === 'no_show' || now >= closesAt) return { ok: false, status: 410, code: 'ended', message: 'This consultation has ended; its room is closed.' };
  const opensAt = booking.startsAt.getTime() - JOIN_LEAD_MS[role];
  if (now < opensAt) {
    const secondsLeft = Math.ceil((opensAt - now) / 1000);
    return { ok: false, status: 425, code: 'too_early', secondsLeft, opensAt: new Date(opensAt), message: `The call opens in ${secondsLeft} s.` };
  }
  return { ok: true };
}
