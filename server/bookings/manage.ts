// Changes to an existing booking: status transitions (cancel, approve, decline, complete,
// no-show) and reschedule. Each is one transaction whose UPDATE is conditional on the status it
// was checked against, so two concurrent changes can never both apply.
import type { FastifyInstance } from 'fastify';
import { findService, findSpecialist } from '../availability/load.ts';
import type { Booking, BookingUpdate, NoShowParty, Payment, RefundReason, Service } from '../db/schema.ts';
import { instantOf } from '../http/dates.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import { closeHoldSoon } from '../payments/hold.ts';
import { queueRefund, refundInFull, refundOwed } from '../payments/refunds.ts';
import { paymentOf } from '../payments/store.ts';
import type { DbOrTrx } from '../availability/load.ts';
import type { BookingAction } from '../../shared/bookings.ts';
import type { BookingAccess } from './access.ts';
import { emitBookingChanged, type BookingEvent } from './hooks.ts';
import { ACTION_TARGET, actionBlocker } from './lifecycle.ts';
import { bookingLockLimits, inLockQueue, lockedTransaction } from './store.ts';
import { SlotRefused, blockedRange, checkSlot, externalBusy, nearestAlternatives, refusalKind, slotError } from './slots.ts';

export type StatusAction = Exclude<BookingAction, 'reschedule'>;

/** The booking event each action announces (to the outbox and to after-commit listeners). */
const EVENT: Record<StatusAction, BookingEvent> = {
  approve: 'confirmed',
  decline: 'declined',
  cancel: 'cancelled',
  complete: 'completed',
  no_show: 'no_show',
};

const invalidTransition = (message: string) => new HttpError(409, 'invalid_transition', message);

function ensureAllowed(action: BookingAction, booking: Booking, actor: BookingAccess['actor'], now: number): void {
  const blocker = actionBlocker(action, { status: booking.status, startsAt: booking.starts_at.getTime() }, actor, now);
  if (blocker !== null) throw invalidTransition(blocker);
}

/** Why money goes back: the reason is part of the refund's idempotency key. */
function refundReason(action: StatusAction, actor: BookingAccess['actor']): RefundReason {
  if (action === 'decline') return 'declined';
  return actor === 'visitor' ? 'visitor_cancellation' : 'practice_cancellation';
}

export async function changeStatus(app: FastifyInstance, access: BookingAccess, action: StatusAction, reason?: string): Promise<Booking> {
  const now = app.clock.now();
  const { booking, actor } = access;
  ensureAllowed(action, booking, actor, now);
  const to = ACTION_TARGET[action];
  const event = EVENT[action];
  // An unpaid hold was never announced to anyone: cancelling it just frees the time and closes its Checkout.
  const hold = booking.status === 'awaiting_payment';
  const updated = await app.db.transaction().execute(async (trx) => {
    // The payment row is locked first, as the Stripe webhook does, so a payment arriving this very
    // moment is either seen here (and refunded) or finds the booking cancelled (and is refunded there).
    const owed = to === 'cancelled' ? await refundOwed(trx, booking, actor, now) : null;
    const refund = owed?.refund ?? null;
    // Marked by hand, a no-show is the visitor's (only the specialist marks one; the host's own comes from the call).
    const set: BookingUpdate = { status: to, updated_at: new Date(now), ...(to === 'no_show' ? { no_show_party: 'visitor' as const } : {}) };
    if (to === 'cancelled') {
      Object.assign(set, {
        cancelled_at: new Date(now),
        cancelled_by: actor,
        cancel_reason: reason?.trim() || null,
        refund_percent: refund?.percent ?? null,
        refund_cents: refund?.cents ?? null,
      } satisfies BookingUpdate);
    }
    const row = await trx.updateTable('bookings').set(set)
      .where('id', '=', booking.id).where('status', '=', booking.status)
      .returningAll().executeTakeFirst();
    // Someone changed it since we read it: judge the action against what it is now.
    if (!row) throw invalidTransition('The booking changed meanwhile; reload it and try again.');
    if (owed && owed.refund.cents! > 0) await queueRefund(trx, owed.payment, refundReason(action, actor), owed.refund.cents!, now);
    if (hold) await closeHoldSoon(trx, row.id, now);
    else await writeBookingNotifications(trx, row.id, event, now);
    return row;
  });
  if (!hold) void emitBookingChanged(app, updated.id, event);
  return updated;
}

/**
 * What a session's outcome causes besides its status, inside the transaction that wrote it: a
 * specialist's no-show gives back everything paid online (`payment`: the booking's payment row,
 * locked before the booking changed, as the Stripe webhook locks it), and the outbox rows of the
 * event (booking.completed / booking.no_show webhooks; the visitor told of the specialist's no-show).
 */
export async function writeOutcome(trx: DbOrTrx, bookingId: string, status: 'completed' | 'no_show', party: NoShowParty | null, payment: Payment | undefined, now: number): Promise<void> {
  if (status === 'no_show' && party === 'specialist') await refundInFull(trx, payment, 'specialist_no_show', now);
  await writeBookingNotifications(trx, bookingId, status, now);
}

/**
 * The site owner records that the specialist did not come, where the call could not tell (Meet or
 * Teams without attendance, a call outside the provider): the same outcome as the call's own,
 * with the full refund and the visitor told. Only after the start, and only once.
 */
export async function markSpecialistNoShow(app: FastifyInstance, booking: Booking): Promise<Booking> {
  const now = app.clock.now();
  if (booking.status !== 'confirmed' && booking.status !== 'in_progress') throw invalidTransition(`A ${booking.status} booking cannot be marked as missed by the specialist.`);
  if (now < booking.starts_at.getTime()) throw invalidTransition('The session has not started yet.');
  const updated = await app.db.transaction().execute(async (trx) => {
    const payment = await paymentOf(trx, booking.id, true);
    const row = await trx.updateTable('bookings').set({ status: 'no_show', no_show_party: 'specialist', updated_at: new Date(now) })
      .where('id', '=', booking.id).where('status', '=', booking.status).returning('id').executeTakeFirst();
    if (!row) throw invalidTransition('The booking changed meanwhile; reload it and try again.');
    await writeOutcome(trx, booking.id, 'no_show', 'specialist', payment, now);
    return trx.selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow();
  });
  void emitBookingChanged(app, updated.id, 'no_show');
  return updated;
}

/** The service as the booking was made: its own duration and buffers, today's hours and rules. */
export function bookedService(service: Service, booking: Booking): Service {
  const t = booking.service_terms;
  return { ...service, duration_min: t.durationMin, buffer_before_min: t.bufferBeforeMin, buffer_after_min: t.bufferAfterMin };
}

export async function rescheduleBooking(app: FastifyInstance, access: BookingAccess, startIso: string): Promise<Booking> {
  const now = app.clock.now();
  const { booking, actor } = access;
  ensureAllowed('reschedule', booking, actor, now);
  const start = instantOf(startIso);
  if (start === booking.starts_at.getTime()) return booking;

  const [service, specialist] = await Promise.all([
    findService(app.db, booking.service_id, { includeArchived: true }),
    findSpecialist(app.db, booking.specialist_id, { includeArchived: true }),
  ]);
  if (service === null || specialist === null) throw notFound('Booking');
  const svc = bookedService(service, booking);
  const range = blockedRange(svc, start);
  const busy = await externalBusy(app, specialist.id, range.blockedFrom, range.blockedUntil);

  let moved: Booking;
  try {
    moved = await inLockQueue([specialist.id], bookingLockLimits(app.config), () => lockedTransaction(app.db, [specialist.id], async (trx) => {
      const current = await trx.selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow();
      ensureAllowed('reschedule', current, actor, now);
      const check = await checkSlot(trx, { specialist, service: svc, start, now, busy, excludeBookingId: booking.id });
      if (check !== 'free') throw new SlotRefused(check);
      // Time and blocked range move in ONE statement, so the exclusion constraint judges the new
      // range with the old one already released.
      const row = await trx.updateTable('bookings').set({
        starts_at: new Date(range.start),
        ends_at: new Date(range.end),
        blocked_from: new Date(range.blockedFrom),
        blocked_until: new Date(range.blockedUntil),
        updated_at: new Date(now),
      }).where('id', '=', booking.id).where('status', '=', current.status).returningAll().executeTakeFirstOrThrow();
      await trx.insertInto('booking_moves').values({
        booking_id: booking.id,
        from_starts_at: current.starts_at,
        from_ends_at: current.ends_at,
        to_starts_at: row.starts_at,
        to_ends_at: row.ends_at,
        moved_by: actor,
        moved_at: new Date(now),
      }).execute();
      await writeBookingNotifications(trx, booking.id, 'rescheduled', now);
      return row;
    }));
  } catch (err) {
    const kind = refusalKind(err);
    if (kind === null) throw err;
    const alternatives = await nearestAlternatives(app.db, { specialists: [specialist], service: svc, start, now, excludeBookingId: booking.id });
    throw slotError(kind, alternatives);
  }
  void emitBookingChanged(app, moved.id, 'rescheduled');
  return moved;
}
