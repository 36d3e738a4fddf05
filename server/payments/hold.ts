// Holds: a booking of a prepaid service keeps its time as `awaiting_payment` until a verified
// payment confirms it or the hold runs out. Expiring is a conditional UPDATE (only a hold that is
// still unpaid and due), so the job, a retry of it and a payment arriving at the same moment can
// never both win: whichever commits first decides, and the payment path treats an expired hold as
// a late payment.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import type { DbOrTrx } from '../availability/load.ts';
import { CHECKOUT_GRACE_MS, closeCheckout, type CheckoutDeps } from './checkout.ts';
import { PAYMENT_JOBS, schedulePaymentJob } from './queue.ts';

export interface HoldInput {
  bookingId: string;
  amountCents: number;
  currency: string;
  returnUrl: string;
  holdExpiresAt: number;
  sealedManageToken: string;
  now: number;
}

/** Inside the booking's transaction: its payment and the job that ends the hold on time. */
export async function placeHold(trx: DbOrTrx, h: HoldInput) {
  const payment = await trx.insertInto('payments').values({
    booking_id: h.bookingId,
    amount_cents: h.amountCents,
    currency: h.currency,
    return_url: h.returnUrl,
    checkout_expires_at: new Date(h.holdExpiresAt + CHECKOUT_GRACE_MS),
    created_at: new Date(h.now),
    updated_at: new Date(h.now),
  }).returningAll().executeTakeFirstOrThrow();
  await schedulePaymentJob(trx, PAYMENT_JOBS.closeHold, h.holdExpiresAt,
    { bookingId: h.bookingId, paymentId: payment.id, manageTokenSealed: h.sealedManageToken }, h.now);
  return payment;
}

/** Inside a transaction that cancelled a hold: close its Checkout now rather than at the hold's end. */
export async function closeHoldSoon(trx: DbOrTrx, bookingId: string, now: number): Promise<void> {
  const payment = await trx.selectFrom('payments').select(['id', 'status']).where('booking_id', '=', bookingId).executeTakeFirst();
  if (payment?.status === 'open') await schedulePaymentJob(trx, PAYMENT_JOBS.closeHold, now, { bookingId, paymentId: payment.id }, now);
}

/**
 * Marks an unpaid hold expired (its time is free at once) with the one note it sends: when it is
 * due, or at once (`due: false`) when its payment can no longer happen (Checkout expired or failed).
 */
export async function expireHold(trx: Transaction<Database>, bookingId: string, now: number, { due = true } = {}): Promise<boolean> {
  let q = trx.updateTable('bookings').set({ status: 'expired', updated_at: new Date(now) })
    .where('id', '=', bookingId).where('status', '=', 'awaiting_payment');
  if (due) q = q.where('hold_expires_at', '<=', new Date(now));
  const row = await q.returning('id').executeTakeFirst();
  if (row) await writeBookingNotifications(trx, bookingId, 'hold_expired', now);
  return row !== undefined;
}

/** The `payment.close_hold` job: expire the hold if it is still unpaid, and close its Checkout. */
export async function closeHold(deps: CheckoutDeps, bookingId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute((trx) => expireHold(trx, bookingId, now));
  const booking = await deps.db.selectFrom('bookings').select('status').where('id', '=', bookingId).executeTakeFirst();
  const payment = await deps.db.selectFrom('payments').selectAll().where('booking_id', '=', bookingId).executeTakeFirst();
  if (!booking || !payment) return;
  // Still a live hold (the job ran early, or the hold was extended): nothing to close yet.
  if (booking.status === 'awaiting_payment') return;
  await closeCheckout(deps, payment, booking.status === 'cancelled' ? 'canceled' : 'expired');
}
