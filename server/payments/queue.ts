// Payment work that must survive a crash (send a refund, close an unpaid checkout) is written as
// outbox rows of channel 'payment' in the same transaction as the change that calls for it, and
// delivered by the notification machinery (BullMQ or the table scheduler): retried with backoff,
// never lost. The handlers (jobs.ts) re-read the state first, so a duplicate run does nothing new,
// and every Stripe write carries an idempotency key derived from our ids.
import type { DbOrTrx } from '../availability/load.ts';

export const PAYMENT_JOBS = {
  /** At the hold's end (or at once when the hold is cancelled): expire the hold, close its Checkout. */
  closeHold: 'payment.close_hold',
  /** Send one refund to Stripe. */
  refund: 'payment.refund',
} as const;
export type PaymentJobKind = (typeof PAYMENT_JOBS)[keyof typeof PAYMENT_JOBS];

export interface PaymentJobPayload {
  bookingId: string;
  paymentId: string;
  refundId?: string;
  /** The visitor's manage token, sealed: later notices of this booking copy it from here. */
  manageTokenSealed?: string;
}

export async function schedulePaymentJob(db: DbOrTrx, kind: PaymentJobKind, sendAt: number, payload: PaymentJobPayload, now: number): Promise<void> {
  await db.insertInto('notifications').values({
    booking_id: payload.bookingId,
    kind,
    channel: 'payment',
    recipient: 'stripe',
    payload: JSON.stringify(payload),
    send_at: new Date(sendAt),
    created_at: new Date(now),
    updated_at: new Date(now),
  }).execute();
}
