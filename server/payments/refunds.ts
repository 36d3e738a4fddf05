// Refunds: queued in the transaction that decides them (a cancellation, a decline, a payment that
// came too late), sent to Stripe's Refund API by a durable job, and followed through Stripe's
// refund events. Exactly once, whoever retries:
//  - one refund row per (payment, reason): its idempotency key is derived from both, so a retried
//    job (a worker killed after Stripe answered, a 429, a 500) replays the same Stripe refund;
//  - every attempt first looks for a refund Stripe already holds for that row (metadata.refund_id):
//    a worker killed mid-request rolls its claim back, so no attempt can know it is a retry, and
//    Stripe forgets idempotency keys after 24 h;
//  - the amount can never exceed what is left of the payment.
import type Stripe from 'stripe';
import type { Kysely, Transaction } from 'kysely';
import type { DbOrTrx } from '../availability/load.ts';
import type { Booking, CancelledBy, Database, Payment, RefundReason, RefundRow, RefundStatus } from '../db/schema.ts';
import type { Refund } from '../../shared/bookings.ts';
import { refundFor } from '../bookings/policy.ts';
import { PermanentDeliveryError } from '../notifications/errors.ts';
import { PAYMENT_JOBS, schedulePaymentJob } from './queue.ts';
import { isCaptured, paymentOf, paymentsByBooking, refundableCents } from './store.ts';
import { isRetryableStripeError, retryAfterMs, stripeErrorType, type StripeClient } from './stripe.ts';

/**
 * What cancelling `booking` owes back of the money taken online, with its payment row locked (as
 * the Stripe webhook locks it, so a payment arriving this moment is seen here or finds the booking
 * cancelled). Nothing captured: null, and nothing is refunded. The caller writes the booking's
 * refund fields and, once its update took effect, queues the refund with `queueRefund`.
 */
export async function refundOwed(trx: DbOrTrx, booking: Booking, cancelledBy: CancelledBy, now: number): Promise<{ payment: Payment; refund: Refund } | null> {
  const payment = await paymentOf(trx, booking.id, true);
  if (!payment || !isCaptured(payment.status)) return null;
  const refund = refundFor(booking.service_terms, booking.starts_at.getTime(), now, cancelledBy, { cents: payment.amount_cents, currency: payment.currency });
  return { payment, refund };
}

export function refundKey(paymentId: string, reason: RefundReason): string {
  return `bw-refund-${paymentId}-${reason}`;
}

/**
 * Inside the caller's transaction: a refund of `amountCents` (capped at what is left) and the job
 * that sends it. Returns the refund row, or null when nothing is left to refund or the payment was
 * never captured. A second call for the same payment and reason returns the first row.
 */
export async function queueRefund(trx: DbOrTrx, payment: Payment, reason: RefundReason, amountCents: number, now: number): Promise<RefundRow | null> {
  if (!isCaptured(payment.status)) return null;
  const full = (await paymentsByBooking(trx, [payment.booking_id])).get(payment.booking_id)!;
  const amount = Math.min(amountCents, refundableCents(full));
  if (amount <= 0) return null;
  const key = refundKey(payment.id, reason);
  const row = await trx.insertInto('refunds').values({
    payment_id: payment.id,
    booking_id: payment.booking_id,
    amount_cents: amount,
    currency: payment.currency,
    reason,
    idempotency_key: key,
    created_at: new Date(now),
    updated_at: new Date(now),
  }).onConflict((oc) => oc.column('idempotency_key').doNothing()).returningAll().executeTakeFirst();
  if (!row) return (await trx.selectFrom('refunds').selectAll().where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
  await schedulePaymentJob(trx, PAYMENT_JOBS.refund, now, { bookingId: payment.booking_id, paymentId: payment.id, refundId: row.id }, now);
  return row;
}

/**
 * All the money taken online goes back (the specialist never came to the call): queued with its
 * job inside the caller's transaction, and the booking's refund fields say 100 %. `payment` is
 * the booking's payment row, locked by the caller before it changed the booking (the Stripe
 * webhook's order). Nothing captured: null.
 */
export async function refundInFull(trx: DbOrTrx, payment: Payment | undefined, reason: RefundReason, now: number): Promise<RefundRow | null> {
  if (!payment || !isCaptured(payment.status)) return null;
  const row = await queueRefund(trx, payment, reason, payment.amount_cents, now);
  if (row) {
    await trx.updateTable('bookings').set({ refund_percent: 100, refund_cents: row.amount_cents, updated_at: new Date(now) })
      .where('id', '=', payment.booking_id).execute();
  }
  return row;
}

/** A refund job failure the queue retries later, waiting at least what Stripe asked for. */
class RetryLater extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

export interface RefundJobDeps {
  db: Kysely<Database>;
  stripe: StripeClient;
}

/** Sends one queued refund to Stripe (the `payment.refund` job). */
export async function sendRefund(deps: RefundJobDeps, refundId: string): Promise<void> {
  const refund = await deps.db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
  if (!refund) throw new PermanentDeliveryError(`refund ${refundId} no longer exists`);
  if (refund.stripe_refund_id !== null) return; // Stripe has it (our earlier attempt, or its event told us)
  const payment = await deps.db.selectFrom('payments').selectAll().where('id', '=', refund.payment_id).executeTakeFirstOrThrow();
  const intent = payment.stripe_payment_intent_id;
  if (intent === null) throw new PermanentDeliveryError(`payment ${payment.id} has no PaymentIntent to refund`);

  let made: Stripe.Refund | undefined;
  try {
    made = await findMadeRefund(deps.stripe, intent, refund.id);
    made ??= await deps.stripe.refunds.create({
      payment_intent: intent,
      amount: refund.amount_cents,
      ...(refund.reason === 'visitor_cancellation' ? { reason: 'requested_by_customer' as const } : {}),
      metadata: { refund_id: refund.id, booking_id: refund.booking_id, payment_id: payment.id, reason: refund.reason },
    }, { idempotencyKey: refund.idempotency_key });
  } catch (err) {
    if (isRetryableStripeError(err)) throw new RetryLater(`Stripe refund failed: ${(err as Error).message}`, retryAfterMs(err));
    // Stripe refused it for good (already refunded, amount too large, ...): say so on the refund.
    const e = err as { code?: string; type?: string; message?: string };
    const message = stripeErrorType(err) !== null ? `${e.code ?? e.type}: ${e.message}` : String(err);
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('refunds').set({ status: 'failed', failure_reason: message.slice(0, 500), updated_at: new Date() })
        .where('id', '=', refund.id).where('stripe_refund_id', 'is', null).execute();
    });
    throw new PermanentDeliveryError(message);
  }
  await deps.db.transaction().execute((trx) => recordStripeRefund(trx, made!, made!.created * 1000));
}

async function findMadeRefund(stripe: StripeClient, paymentIntent: string, refundId: string): Promise<Stripe.Refund | undefined> {
  for await (const r of stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 })) {
    if (r.metadata?.refund_id === refundId) return r;
  }
  return undefined;
}

/** Later reports win; at the same second, the one further along (a refund may fail after succeeding). */
const RANK: Record<RefundStatus, number> = { queued: 0, requires_action: 1, pending: 1, succeeded: 2, failed: 3, canceled: 3 };

function stripeStatus(value: string | null | undefined): RefundStatus {
  return value === 'pending' || value === 'requires_action' || value === 'succeeded' || value === 'failed' || value === 'canceled' ? value : 'pending';
}

/**
 * Applies what Stripe says about a refund (a create response or an event created at `atMs`) to our
 * row: found by Stripe id or by our metadata; a refund made outside this server (the dashboard) is
 * recorded as `external`. Stale or replayed reports change nothing. Then the payment's refunded
 * total and status follow.
 */
export async function recordStripeRefund(trx: Transaction<Database>, r: Stripe.Refund, atMs: number): Promise<RefundRow | null> {
  const ours = r.metadata?.refund_id;
  let row = await trx.selectFrom('refunds').selectAll()
    .where((eb) => eb.or([eb('stripe_refund_id', '=', r.id), ...(ours && /^[0-9a-f-]{36}$/i.test(ours) ? [eb('id', '=', ours)] : [])]))
    .forUpdate().executeTakeFirst();
  const intent = typeof r.payment_intent === 'string' ? r.payment_intent : r.payment_intent?.id ?? null;
  if (!row) {
    const payment = intent === null ? undefined
      : await trx.selectFrom('payments').selectAll().where('stripe_payment_intent_id', '=', intent).executeTakeFirst();
    if (!payment) return null; // not a payment of ours
    await trx.insertInto('refunds').values({
      payment_id: payment.id, booking_id: payment.booking_id, amount_cents: r.amount, currency: r.currency.toUpperCase(),
      reason: 'external', idempotency_key: `external-${r.id}`, stripe_refund_id: r.id,
    }).onConflict((oc) => oc.column('idempotency_key').doNothing()).execute();
    row = await trx.selectFrom('refunds').selectAll().where('stripe_refund_id', '=', r.id).forUpdate().executeTakeFirstOrThrow();
  }
  const status = stripeStatus(r.status);
  const at = new Date(atMs);
  const known = row.stripe_status_at?.getTime() ?? -Infinity;
  const newer = atMs > known || (atMs === known && RANK[status] > RANK[row.status]);
  if (newer || row.stripe_refund_id === null) {
    row = await trx.updateTable('refunds').set({
      stripe_refund_id: row.stripe_refund_id ?? r.id,
      ...(newer ? { status, stripe_status_at: at, failure_reason: status === 'failed' ? (r.failure_reason ?? 'failed') : null } : {}),
      updated_at: new Date(),
    }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  }
  await settleRefundTotals(trx, row.payment_id);
  return row;
}

/** The payment's refunded total is what Stripe reports as succeeded. */
async function settleRefundTotals(trx: Transaction<Database>, paymentId: string): Promise<void> {
  const payment = await trx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirstOrThrow();
  if (!isCaptured(payment.status) && payment.status !== 'refunded') return;
  const rows = await trx.selectFrom('refunds').select(['amount_cents', 'status']).where('payment_id', '=', paymentId).execute();
  const refunded = Math.min(payment.amount_cents, rows.filter((x) => x.status === 'succeeded').reduce((a, x) => a + x.amount_cents, 0));
  const status = refunded >= payment.amount_cents ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
  if (refunded !== payment.refunded_cents || status !== payment.status) {
    await trx.updateTable('payments').set({ refunded_cents: refunded, status, updated_at: new Date() }).where('id', '=', paymentId).execute();
  }
}
