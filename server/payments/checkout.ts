// Stripe Checkout for a hold: the hosted payment page (no card data reaches us or the host page).
// One session per payment, created with an idempotency key derived from the payment, so a retried
// or concurrent request gets the same session; every parameter comes from the stored payment, so
// a replay sends the same parameters (Stripe refuses a reused key with different ones).
import type Stripe from 'stripe';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database, Payment } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import { pickLocale } from '../notifications/templates.ts';
import { isRetryableStripeError, requireStripe, retryAfterMs, stripeClient, stripeErrorType } from './stripe.ts';

/** Checkout stays open 30 min past the hold: Stripe's minimum lifetime, measured from creation. */
export const CHECKOUT_GRACE_MS = 30 * 60_000;

export interface CheckoutDeps {
  db: Kysely<Database>;
  config: Config;
  clock: { now(): number };
}

export function checkoutKey(paymentId: string): string {
  return `bw-checkout-${paymentId}`;
}

/** The page Checkout returns to, with what the widget needs to show the result. */
export function returnUrl(base: string, bookingId: string, result: 'success' | 'cancelled'): string {
  const url = new URL(base);
  url.searchParams.set('bw_booking', bookingId);
  url.searchParams.set('bw_payment', result);
  url.hash = '';
  return url.toString();
}

const providerDown = (err: unknown) => new HttpError(503, 'payment_provider_unavailable',
  'The payment provider cannot be reached right now; please try again in a moment.',
  { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs(err) / 1000)) || 5) } });

/** The Checkout page of a booking's open payment, creating the session on first use. */
export async function openCheckout(deps: CheckoutDeps, bookingId: string): Promise<{ url: string; expiresAt: string }> {
  const row = await deps.db.selectFrom('bookings as b')
    .innerJoin('payments as p', 'p.booking_id', 'b.id')
    .innerJoin('specialists as s', 's.id', 'b.specialist_id')
    .select(['b.status as booking_status', 'b.hold_expires_at', 'b.service_terms', 'b.visitor_email', 'b.visitor_locale', 'b.starts_at', 's.name as specialist_name'])
    .selectAll('p')
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
  if (!row) throw new HttpError(409, 'no_payment_due', 'This booking has no payment to make.');
  const now = deps.clock.now();
  const holding = row.booking_status === 'awaiting_payment' && row.status === 'open' && row.hold_expires_at !== null && row.hold_expires_at.getTime() > now;
  if (!holding) {
    throw row.booking_status === 'awaiting_payment' || row.booking_status === 'expired'
      ? new HttpError(409, 'hold_expired', 'The time was held for payment and the hold has run out; please choose a time again.')
      : new HttpError(409, 'no_payment_due', `This booking is ${row.booking_status}; there is nothing to pay.`);
  }
  const expiresAt = row.hold_expires_at!.toISOString();
  if (row.stripe_checkout_url !== null) return { url: row.stripe_checkout_url, expiresAt };

  const stripe = await stripeClient(requireStripe(deps.config));
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{
        quantity: 1,
        price_data: {
          currency: row.currency.toLowerCase(),
          unit_amount: row.amount_cents,
          product_data: { name: `${row.service_terms.name} · ${row.specialist_name}`, description: row.starts_at.toISOString() },
        },
      }],
      client_reference_id: bookingId,
      customer_email: row.visitor_email,
      locale: pickLocale(row.visitor_locale),
      success_url: returnUrl(row.return_url, bookingId, 'success'),
      cancel_url: returnUrl(row.return_url, bookingId, 'cancelled'),
      expires_at: Math.floor(row.checkout_expires_at.getTime() / 1000),
      metadata: { booking_id: bookingId, payment_id: row.id },
      payment_intent_data: { metadata: { booking_id: bookingId, payment_id: row.id } },
    }, { idempotencyKey: checkoutKey(row.id) });
  } catch (err) {
    if (isRetryableStripeError(err)) throw providerDown(err);
    throw new HttpError(502, 'payment_provider_error', `The payment provider refused the payment: ${(err as Error).message}`);
  }
  if (!session.url) throw new HttpError(502, 'payment_provider_error', 'The payment provider returned no checkout page.');
  await deps.db.updateTable('payments')
    .set({ stripe_checkout_session_id: session.id, stripe_checkout_url: session.url, updated_at: new Date(now) })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('stripe_checkout_session_id', 'is', null), eb('stripe_checkout_session_id', '=', session.id)]))
    .execute();
  return { url: session.url, expiresAt };
}

/**
 * Ends an unpaid payment: its Checkout Session is expired at Stripe so it can no longer be paid,
 * then the payment is marked `final`. A session Stripe reports complete is left alone: it was
 * paid at the last moment, and its checkout.session.completed event settles it (late payment).
 */
export async function closeCheckout(deps: CheckoutDeps, payment: Payment, final: 'expired' | 'canceled'): Promise<void> {
  if (payment.status !== 'open') return;
  const sessionId = payment.stripe_checkout_session_id;
  if (sessionId !== null) {
    const stripe = await stripeClient(requireStripe(deps.config));
    try {
      await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `bw-expire-${payment.id}` });
    } catch (err) {
      if (stripeErrorType(err) !== 'StripeInvalidRequestError') throw err;
      // Only open sessions can be expired: find out what it is instead.
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      if (session.status === 'complete') return;
    }
  }
  await deps.db.updateTable('payments').set({ status: final, stripe_checkout_url: null, updated_at: new Date(deps.clock.now()) })
    .where('id', '=', payment.id).where('status', '=', 'open').execute();
}

/**
 * Where Checkout may send the visitor back: a page of an allowed embedding origin (config or the
 * admin's list), else PUBLIC_URL. Anything else would turn our Stripe account into an open redirect.
 */
export async function checkReturnUrl(deps: Pick<CheckoutDeps, 'db' | 'config'>, value: string | undefined): Promise<string> {
  if (value === undefined) return `${deps.config.publicUrl}/`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, 'invalid_return_url', 'returnUrl must be an absolute http(s) URL.', { field: 'body.returnUrl' });
  }
  const allowed = (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
    && (deps.config.allowedOrigins.includes(url.origin)
      || (await deps.db.selectFrom('allowed_origins').select('origin').where('origin', '=', url.origin).executeTakeFirst()) !== undefined);
  if (!allowed) throw new HttpError(400, 'invalid_return_url', `${url.origin} is not an allowed embedding origin.`, { field: 'body.returnUrl' });
  // Our own parameters (bw_* include the prefill: a visitor's name and email) are set again on
  // return or do not belong in a link; the fragment never reaches a server.
  for (const key of [...url.searchParams.keys()]) {
    if (key.startsWith('bw_') || key === 'booking' || key === 'token' || key === 'action') url.searchParams.delete(key);
  }
  url.hash = '';
  return url.toString();
}
