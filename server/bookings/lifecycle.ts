// The booking lifecycle as data: which status may follow which, and what each role may do now.
// Pure: the moment is an argument.
import type { Actor, BookingStatus } from '../db/schema.ts';
import type { BookingAction } from '../../shared/bookings.ts';

const NEXT: Record<BookingStatus, readonly BookingStatus[]> = {
  // A hold becomes a booking only through a verified payment (pending when it needs approval).
  awaiting_payment: ['confirmed', 'pending', 'cancelled', 'expired'],
  pending: ['confirmed', 'cancelled'],
  confirmed: ['in_progress', 'cancelled', 'completed', 'no_show'],
  in_progress: ['completed', 'no_show'],
  completed: [],
  cancelled: [],
  no_show: [],
  // A payment that arrives after the hold lapsed confirms it while the time is still free.
  expired: ['confirmed', 'pending'],
};

/**
 * Whether a booking may go from one status to another. `confirmed -> completed | no_show` is
 * allowed directly: an in-person session never passes through `in_progress` (no call to join).
 */
export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * When a request awaiting approval lapses unanswered: `expiryHours` after it was made, at the
 * latest at its start (a request must not hold its time for ever, nor outlive it).
 */
export function pendingExpiresAt(now: number, startsAt: number, expiryHours: number): Date {
  return new Date(Math.min(now + expiryHours * 3_600_000, startsAt));
}

/** The status each action leads to (decline is a cancellation by the specialist). */
export const ACTION_TARGET: Record<Exclude<BookingAction, 'reschedule'>, BookingStatus> = {
  approve: 'confirmed',
  decline: 'cancelled',
  cancel: 'cancelled',
  complete: 'completed',
  no_show: 'no_show',
};

export interface ActionSubject {
  status: BookingStatus;
  startsAt: number;
}

/** Why an action is not allowed now, or null when it is. */
export function actionBlocker(action: BookingAction, b: ActionSubject, actor: Actor, now: number): string | null {
  const started = now >= b.startsAt;
  switch (action) {
    case 'cancel':
      if (!canTransition(b.status, 'cancelled')) return `A ${b.status} booking cannot be cancelled.`;
      // The practice may still cancel a session that never happened; the visitor only beforehand.
      if (actor === 'visitor' && started) return 'The session has already started.';
      return null;
    case 'reschedule':
      if (b.status !== 'pending' && b.status !== 'confirmed') return `A ${b.status} booking cannot be rescheduled.`;
      if (started) return 'The session has already started.';
      return null;
    case 'approve':
    case 'decline':
      // Decisions belong to the specialist (their routes); the site owner may still cancel.
      if (actor !== 'specialist') return 'Only the specialist decides on a request.';
      if (b.status !== 'pending') return `Only a pending booking can be ${action === 'approve' ? 'approved' : 'declined'}; this one is ${b.status}.`;
      return null;
    case 'complete':
    case 'no_show': {
      if (actor !== 'specialist') return 'Only the specialist records how a session went.';
      if (!canTransition(b.status, ACTION_TARGET[action])) return `A ${b.status} booking cannot be marked ${action === 'complete' ? 'completed' : 'no-show'}.`;
      if (!started) return 'The session has not started yet.';
      return null;
    }
  }
}

const ALL_ACTIONS: readonly BookingAction[] = ['cancel', 'reschedule', 'approve', 'decline', 'complete', 'no_show'];

export function allowedActions(b: ActionSubject, actor: Actor, now: number): BookingAction[] {
  return ALL_ACTIONS.filter((a) => actionBlocker(a, b, actor, now) === null);
}
