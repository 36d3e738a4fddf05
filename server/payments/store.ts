// Payment queries and the shapes the API shows. Each takes `db` first (the app's Kysely or a
// transaction of it).
import type { DbOrTrx } from '../availability/load.ts';
import type { Payment, PaymentStatus, RefundRow } from '../db/schema.ts';
import type { AdminPayment, PaymentSummary } from '../../shared/payments.ts';

export interface PaymentWithRefunds extends Payment {
  refunds: RefundRow[];
}

/** Payments (with their refunds, oldest first) of the given bookings, by booking id: two queries. */
export async function paymentsByBooking(db: DbOrTrx, bookingIds: readonly string[]): Promise<Map<string, PaymentWithRefunds>> {
  const out = new Map<string, PaymentWithRefunds>();
  if (bookingIds.length === 0) return out;
  const payments = await db.selectFrom('payments').selectAll().where('booking_id', 'in', [...new Set(bookingIds)]).execute();
  if (payments.length === 0) return out;
  const refunds = await db.selectFrom('refunds').selectAll().where('payment_id', 'in', payments.map((p) => p.id))
    .orderBy('created_at').orderBy('id').execute();
  for (const p of payments) out.set(p.booking_id, { ...p, refunds: refunds.filter((r) => r.payment_id === p.id) });
  return out;
}

export async function paymentOf(db: DbOrTrx, bookingId: string, forUpdate = false): Promise<Payment | undefined> {
  let q = db.selectFrom('payments').selectAll().where('booking_id', '=', bookingId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Money taken and not yet given back (or on its way back): what a refund may still return. */
export function refundableCents(p: PaymentWithRefunds): number {
  const out = p.refunds.filter((r) => r.status !== 'failed' && r.status !== 'canceled').reduce((a, r) => a + r.amount_cents, 0);
  return Math.max(0, p.amount_cents - out);
}

/** Whether the visitor's money is with the practice (so a cancellation may return some of it). */
export function isCaptured(status: PaymentStatus): boolean {
  return status === 'paid' || status === 'partially_refunded';
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function paymentSummary(p: PaymentWithRefunds, holdExpiresAt: Date | null, now: number): PaymentSummary {
  const holding = p.status === 'open' && holdExpiresAt !== null && holdExpiresAt.getTime() > now;
  return {
    status: p.status,
    amountCents: p.amount_cents,
    currency: p.currency,
    checkoutUrl: holding ? p.stripe_checkout_url : null,
    holdExpiresAt: p.status === 'open' ? iso(holdExpiresAt) : null,
    paidAt: iso(p.paid_at),
    refundedCents: p.refunded_cents,
    refunds: p.refunds.map((r) => ({
      id: r.id, amountCents: r.amount_cents, currency: r.currency, reason: r.reason, status: r.status, createdAt: r.created_at.toISOString(),
    })),
  };
}

export function adminPayment(p: PaymentWithRefunds, holdExpiresAt: Date | null, now: number): AdminPayment {
  const summary = paymentSummary(p, holdExpiresAt, now);
  return {
    id: p.id,
    bookingId: p.booking_id,
    ...summary,
    refunds: p.refunds.map((r, i) => ({ ...summary.refunds[i]!, stripeRefundId: r.stripe_refund_id, failureReason: r.failure_reason })),
    stripeCheckoutSessionId: p.stripe_checkout_session_id,
    stripePaymentIntentId: p.stripe_payment_intent_id,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}
