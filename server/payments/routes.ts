// Payment routes: Stripe's webhook (the only way a prepaid booking gets confirmed), the visitor's
// way back to Checkout, and the site owner's view of payments and refunds.
import { Type } from 'typebox';
import type Stripe from 'stripe';
import { requireAdmin } from '../auth/guards.ts';
import { authorizeBooking } from '../bookings/access.ts';
import { emitBookingChanged } from '../bookings/hooks.ts';
import { settlePaidBooking } from '../bookings/paid.ts';
import { externalBusy } from '../bookings/slots.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { BookingIdParams } from '../../shared/bookings.ts';
import { AdminPayment, AdminPaymentList, AdminPaymentQuery, CheckoutResponse } from '../../shared/payments.ts';
import { Uuid } from '../../shared/schemas.ts';
import { openCheckout } from './checkout.ts';
import { applyStripeEvent, type EventOutcome } from './events.ts';
import { adminPayment, paymentsByBooking } from './store.ts';
import { stripeClient } from './stripe.ts';
import type { BusyRange } from '../availability/engine.ts';

const WebhookAnswer = Type.Object({ received: Type.Boolean(), result: Type.Union([Type.Literal('applied'), Type.Literal('ignored'), Type.Literal('duplicate')]) });

const SIGNATURE_TOLERANCE_S = 300;

// Not a 503: retrying cannot help until the owner configures Stripe.
const notConfigured = () => new HttpError(422, 'payments_unavailable', 'Online payment is not set up on this server (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET).');
const webhookNotConfigured = () => new HttpError(404, 'webhooks_not_configured', 'This server takes no Stripe events: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set.');

export default async function paymentRoutes(app: App) {
  app.register(stripeWebhook);

  app.post('/api/bookings/:id/checkout', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['payments'],
      summary: 'The Stripe Checkout page of a booking held for payment',
      description: 'Creates the Checkout Session on first use (idempotent: the same session every time). 409 `hold_expired` once the hold ran out, 409 `no_payment_due` for a booking with nothing to pay.',
      security: [{ manageToken: [] }, { admin: [] }],
      params: BookingIdParams,
      response: { 200: CheckoutResponse, ...errorResponses(404, 409, 422, 429, 502, 503) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    if (actor === 'specialist') throw notFound('Booking');
    if (app.config.stripe === null) throw notConfigured();
    return openCheckout(app, booking.id);
  });

  const admin = { tags: ['admin: payments'], security: [{ admin: [] }] };
  const adminOnly = async (request: Parameters<typeof requireAdmin>[0]) => requireAdmin(request);

  app.get('/api/admin/payments', {
    onRequest: adminOnly,
    schema: {
      ...admin,
      summary: 'Payments with their refunds, newest first',
      querystring: AdminPaymentQuery,
      response: { 200: AdminPaymentList, ...errorResponses(400, 401, 503) },
    },
  }, async (request) => {
    const { status, bookingId, limit = 50, cursor } = request.query;
    let q = app.db.selectFrom('payments as p').innerJoin('bookings as b', 'b.id', 'p.booking_id')
      .select(['p.id', 'p.booking_id', 'p.created_at', 'b.hold_expires_at'])
      .orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(limit + 1);
    if (status) q = q.where('p.status', '=', status);
    if (bookingId) q = q.where('p.booking_id', '=', bookingId);
    if (cursor) {
      const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
      if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest('invalid_cursor', 'The cursor is not one this API handed out.', 'query.cursor');
      q = q.where((eb) => eb.or([eb('p.created_at', '<', new Date(at)), eb.and([eb('p.created_at', '=', new Date(at)), eb('p.id', '<', id)])]));
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const full = await paymentsByBooking(app.db, page.map((r) => r.booking_id));
    const now = app.clock.now();
    const last = page.at(-1);
    return {
      payments: page.map((r) => adminPayment(full.get(r.booking_id)!, r.hold_expires_at, now)),
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  });

  app.get('/api/admin/payments/:id', {
    onRequest: adminOnly,
    schema: {
      ...admin,
      summary: 'One payment with its refunds and Stripe ids',
      params: Type.Object({ id: Uuid }),
      response: { 200: AdminPayment, ...errorResponses(400, 401, 404, 503) },
    },
  }, async (request) => {
    const row = await app.db.selectFrom('payments as p').innerJoin('bookings as b', 'b.id', 'p.booking_id')
      .select(['p.booking_id', 'b.hold_expires_at']).where('p.id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Payment');
    const full = (await paymentsByBooking(app.db, [row.booking_id])).get(row.booking_id)!;
    return adminPayment(full, row.hold_expires_at, app.clock.now());
  });
}

async function stripeWebhook(app: App) {
  // The signature covers the exact bytes Stripe sent: keep them, parse nothing before checking.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) => done(null, body));

  app.post('/api/webhooks/stripe', {
    schema: {
      tags: ['payments'],
      summary: 'Stripe\'s event deliveries (Checkout Sessions, refunds)',
      description: 'Verified with the Stripe-Signature header against STRIPE_WEBHOOK_SECRET (the SDK\'s check over the raw body). '
        + 'A forged or stale signature answers 400 `invalid_signature`. Each event is applied once: replays answer 200 `duplicate`.',
      response: { 200: WebhookAnswer, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const stripe = app.config.stripe;
    if (stripe === null) throw webhookNotConfigured();
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      // Stripe's 5-minute tolerance, measured on the app's clock (the system clock outside tests).
      event = (await stripeClient(stripe)).webhooks.constructEvent(raw, Array.isArray(header) ? header[0]! : header ?? '', stripe.webhookSecret,
        SIGNATURE_TOLERANCE_S, undefined, app.clock.now());
    } catch {
      throw new HttpError(400, 'invalid_signature', 'The Stripe-Signature header is missing, stale or does not match the body.');
    }
    const now = app.clock.now();
    const busy = await lateBusy(app, event);
    const outcome: EventOutcome = await app.db.transaction().execute((trx) =>
      applyStripeEvent(trx, event, now, (t, payment) => settlePaidBooking(t, { payment, now, busy, pendingExpiryHours: app.config.pendingExpiryHours })));
    // After the commit: the video room and the confirmation's prompt delivery, as for any new booking.
    if (outcome.kind === 'applied' && outcome.confirmed && outcome.bookingId) void emitBookingChanged(app, outcome.bookingId, 'created');
    request.log.info({ stripeEvent: event.id, type: event.type, result: outcome.kind }, 'stripe event');
    return { received: true, result: outcome.kind };
  });
}

/**
 * A payment for a hold that already lapsed may only take the time if the specialist's calendars
 * are still free then: their busy time is fetched before the transaction (as booking does).
 */
async function lateBusy(app: App, event: Stripe.Event): Promise<BusyRange[]> {
  if (event.type !== 'checkout.session.completed' && event.type !== 'checkout.session.async_payment_succeeded') return [];
  const paymentId = (event.data.object as Stripe.Checkout.Session).metadata?.payment_id;
  if (!paymentId || !/^[0-9a-f-]{36}$/i.test(paymentId)) return [];
  const b = await app.db.selectFrom('payments as p').innerJoin('bookings as b', 'b.id', 'p.booking_id')
    .select(['b.status', 'b.specialist_id', 'b.blocked_from', 'b.blocked_until']).where('p.id', '=', paymentId).executeTakeFirst();
  if (!b || b.status !== 'expired') return [];
  return externalBusy(app, b.specialist_id, b.blocked_from.getTime(), b.blocked_until.getTime());
}
