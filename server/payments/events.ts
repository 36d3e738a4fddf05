// Stripe's events, after the SDK verified their signature over the raw body. Each event is applied
// in ONE transaction together with the record of its id, so a replay (Stripe retries until it
// sees a 2xx, and may deliver twice anyway) finds the id and changes nothing, and a failure rolls
// both back so Stripe's retry applies it again. Order does not matter: a payment is settled once
// whichever of its events comes first, refund states only move forward (see refunds.ts), and a
// Checkout that expired after it was paid is ignored.
import type Stripe from 'stripe';
import type { Transaction } from 'kysely';
import type { Database, Payment } from '../db/schema.ts';
import { expireHold } from './hold.ts';
import { recordStripeRefund } from './refunds.ts';
import { isCaptured } from './store.ts';

export type EventOutcome =
  | { kind: 'duplicate' }
  | { kind: 'ignored' }
  | { kind: 'applied'; bookingId?: string; confirmed?: boolean };

/** What settling a paid Checkout does to its booking (bookings/paid.ts), inside this transaction. */
export type SettlePaid = (trx: Transaction<Database>, payment: Payment) => Promise<{ bookingId: string; settlement: 'confirmed' | 'refunded' }>;

const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated']);

const idOf = (v: string | { id: string } | null | undefined) => (v == null ? null : typeof v === 'string' ? v : v.id);

/** Our payment a Checkout Session belongs to, locked: by the metadata we set, checked against the stored session id. */
export async function paymentOfSession(trx: Transaction<Database>, s: Stripe.Checkout.Session): Promise<Payment | undefined> {
  const paymentId = s.metadata?.payment_id;
  let q = trx.selectFrom('payments').selectAll();
  q = paymentId && /^[0-9a-f-]{36}$/i.test(paymentId)
    ? q.where('id', '=', paymentId)
    : q.where('stripe_checkout_session_id', '=', s.id);
  const p = await q.forUpdate().executeTakeFirst();
  // A session id we stored must match: metadata alone never redirects money to another booking.
  if (!p || (p.stripe_checkout_session_id !== null && p.stripe_checkout_session_id !== s.id)) return undefined;
  if (s.amount_total !== null && (s.amount_total !== p.amount_cents || s.currency?.toUpperCase() !== p.currency)) return undefined;
  return p;
}

export async function applyStripeEvent(trx: Transaction<Database>, event: Stripe.Event, now: number, settle: SettlePaid): Promise<EventOutcome> {
  const fresh = await trx.insertInto('stripe_events')
    .values({ id: event.id, type: event.type, stripe_created_at: new Date(event.created * 1000), processed_at: new Date(now) })
    .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  if (!fresh) return { kind: 'duplicate' };

  if (REFUND_EVENTS.has(event.type)) {
    const row = await recordStripeRefund(trx, event.data.object as Stripe.Refund, event.created * 1000);
    return row ? { kind: 'applied', bookingId: row.booking_id } : { kind: 'ignored' };
  }
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object as Stripe.Checkout.Session;
      const payment = await paymentOfSession(trx, s);
      if (!payment) return { kind: 'ignored' };
      // Delayed methods (bank debits) complete the session before the money arrives: wait for it.
      if (s.payment_status !== 'paid') {
        await trx.updateTable('payments').set({ stripe_payment_intent_id: idOf(s.payment_intent), updated_at: new Date(now) })
          .where('id', '=', payment.id).where('stripe_payment_intent_id', 'is', null).execute();
        return { kind: 'applied', bookingId: payment.booking_id };
      }
      if (isCaptured(payment.status) || payment.status === 'refunded') return { kind: 'ignored' }; // settled by its other event
      const paid = await trx.updateTable('payments').set({
        status: 'paid',
        paid_at: new Date(now),
        stripe_checkout_session_id: s.id,
        stripe_checkout_url: null,
        stripe_payment_intent_id: idOf(s.payment_intent),
        updated_at: new Date(now),
      }).where('id', '=', payment.id).returningAll().executeTakeFirstOrThrow();
      const { bookingId, settlement } = await settle(trx, paid);
      return { kind: 'applied', bookingId, confirmed: settlement === 'confirmed' };
    }
    case 'checkout.session.expired':
    case 'checkout.session.async_payment_failed': {
      const s = event.data.object as Stripe.Checkout.Session;
      const payment = await paymentOfSession(trx, s);
      if (!payment || payment.status !== 'open') return { kind: 'ignored' };
      await trx.updateTable('payments').set({ status: 'expired', stripe_checkout_url: null, updated_at: new Date(now) })
        .where('id', '=', payment.id).execute();
      // No payment can come any more: the hold ends now, not at its scheduled end.
      await expireHold(trx, payment.booking_id, now, { due: false });
      return { kind: 'applied', bookingId: payment.booking_id };
    }
    default:
      return { kind: 'ignored' };
  }
}
