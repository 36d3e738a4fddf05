// Routes of the bookings module (registered by app.ts): public create, manage-token routes for
// the visitor (also open to the booking's specialist and the site owner), and the specialist's
// own list and decisions under /api/specialist/bookings.
import { Type } from 'typebox';
import { requireSpecialist } from '../auth/guards.ts';
import { instantOf } from '../http/dates.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { bookingOutcomeHooks } from '../observability/plugin.ts';
import {
  BookingIdParams, BookingList, BookingListQuery, BookingView, CancelBody, ChallengeOffer, CreateBookingBody, CreatedBooking,
  IdempotencyKey, RescheduleBody,
} from '../../shared/bookings.ts';
import { openCheckout } from '../payments/checkout.ts';
import { authorizeBooking, findBooking } from './access.ts';
import { isAdmin } from '../auth/guards.ts';
import { bookingIdentity, type BookingIdentity } from '../abuse/identity.ts';
import { describeLimits } from '../abuse/limits.ts';
import { createBooking } from './create.ts';
import { changeStatus, rescheduleBooking, type StatusAction } from './manage.ts';
import { viewOf, viewsOf } from './store.ts';
import { bookingView } from './view.ts';

const MAX_LIST_DAYS = 100;

export default async function bookingRoutes(app: App) {
  const limited = writeLimit(app.config.rateLimit.writesPerMinute);

  const limits = app.config.bookingLimits;
  app.get('/api/challenge', {
    config: limited,
    schema: {
      tags: ['bookings'],
      summary: 'A proof-of-work challenge for POST /api/bookings',
      description: 'ALTCHA v2 (SHA-256, cost 1, deterministic counter): find the counter whose SHA-256 of salt ‖ nonce ‖ counter (big-endian uint32) starts with `keyPrefix`, then send base64(JSON `{ challenge, solution: { counter, derivedKey } }`) as `challenge` in the booking body. '
        + `Valid for 10 minutes, once. \`required: false\` when this server asks for none. The widget solves it itself.`,
      response: { 200: ChallengeOffer, ...errorResponses(429) },
    },
  }, async (_request, reply) => reply.header('cache-control', 'no-store').send(await app.bookingChallenge.offer(app.clock.now()) as ChallengeOffer));

  app.post('/api/bookings', {
    config: limited,
    ...bookingOutcomeHooks(app.metrics), // bookings_created_total, bookings_refused_total{reason}
    schema: {
      tags: ['bookings'],
      summary: 'Book a slot',
      description: 'Checks the start against the live availability under a per-specialist lock. 201 with the manage token (shown once); 200 with the original booking for a repeated idempotency key. '
        + 'A prepaid service answers with an `awaiting_payment` hold whose `payment.checkoutUrl` is the Stripe Checkout page (see POST /api/bookings/:id/checkout); only the verified payment confirms it. '

        + `Needs a solved challenge of GET /api/challenge (\`${app.config.bookingChallenge.mode === 'off' ? 'not required on this server' : 'required on this server'}\`). `
        + `Anti-hoarding limits on this server: ${describeLimits(limits)}; beyond them 429 \`booking_limit\` with \`details.limit\`. `
        + `A request needing approval expires after ${app.config.pendingExpiryHours} h unanswered (at the latest at its start); both sides are told.`,
      headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
      body: CreateBookingBody,
      response: { 200: BookingView, 201: CreatedBooking, ...errorResponses(400, 409, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const header = request.headers['idempotency-key'] ?? null;
    const fromBody = request.body.idempotencyKey ?? null;
    if (header !== null && fromBody !== null && header !== fromBody) {
      throw badRequest('invalid_request', 'The Idempotency-Key header and body.idempotencyKey differ.', 'body.idempotencyKey');
    }
    // The pseudonyms (two HMACs) only when a limit or a new booking needs them: most attempts in a
    // storm are refused before either.
    let identity: BookingIdentity | undefined;
    const outcome = await createBooking(app, request.body, fromBody ?? header, {
      get identity() { return identity ??= bookingIdentity(app.config.secretKey, request.body.visitor.email, request.ip); },
      ip: request.ip,
      trusted: await isAdmin(request),
    });
    const now = app.clock.now();
    if (!outcome.created) return reply.status(200).send(await viewOf(app.db, outcome.booking, 'visitor', now));
    if (outcome.payment !== null) {
      // The hold stands whatever Stripe answers now; the widget asks /checkout again if this failed.
      await openCheckout(app, outcome.booking.id).catch((err) => request.log.warn({ err, bookingId: outcome.booking.id }, 'checkout session not created yet'));
      return reply.status(201).send({ ...(await viewOf(app.db, outcome.booking, 'visitor', now)), manageToken: outcome.manageToken });
    }
    // A new booking has no moves and its specialist is at hand: no further queries needed.
    const view = bookingView(outcome.booking, outcome.specialist, [], 'visitor', now);
    return reply.status(201).send({ ...view, manageToken: outcome.manageToken });
  });

  app.get('/api/bookings/:id', {
    config: limited,
    schema: {
      tags: ['bookings'],
      summary: 'A booking, with both time zones, the allowed actions and the refund a cancellation would give',
      security: [{ manageToken: [] }, { specialist: [] }, { admin: [] }],
      params: BookingIdParams,
      response: { 200: BookingView, ...errorResponses(404, 429) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    return viewOf(app.db, booking, actor, app.clock.now());
  });

  app.post('/api/bookings/:id/cancel', {
    config: limited,
    schema: {
      tags: ['bookings'],
      summary: 'Cancel; the refund follows the policy the booking was made under',
      security: [{ manageToken: [] }, { specialist: [] }, { admin: [] }],
      params: BookingIdParams,
      body: Type.Union([CancelBody, Type.Null()]),
      response: { 200: BookingView, ...errorResponses(400, 404, 409, 429) },
    },
  }, async (request) => {
    const access = await authorizeBooking(request, request.params.id);
    const updated = await changeStatus(app, access, 'cancel', request.body?.reason);
    return viewOf(app.db, updated, access.actor, app.clock.now());
  });

  app.post('/api/bookings/:id/reschedule', {
    config: limited,
    schema: {
      tags: ['bookings'],
      summary: 'Move to another start, atomically and with the same double-booking protection',
      security: [{ manageToken: [] }, { specialist: [] }, { admin: [] }],
      params: BookingIdParams,
      body: RescheduleBody,
      response: { 200: BookingView, ...errorResponses(400, 404, 409, 422, 429) },
    },
  }, async (request) => {
    const access = await authorizeBooking(request, request.params.id);
    const moved = await rescheduleBooking(app, access, request.body.start);
    return viewOf(app.db, moved, access.actor, app.clock.now());
  });

  app.get('/api/specialist/bookings', {
    schema: {
      tags: ['specialist'],
      summary: 'The calling specialist\'s bookings starting in [from, until)',
      security: [{ specialist: [] }],
      querystring: BookingListQuery,
      response: { 200: BookingList, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const specialistId = await requireSpecialist(request);
    const from = instantOf(request.query.from);
    const until = instantOf(request.query.until);
    if (!(from < until)) throw badRequest('invalid_range', 'until must be after from.', 'query.until');
    if (until - from > MAX_LIST_DAYS * 86_400_000) throw badRequest('invalid_range', `At most ${MAX_LIST_DAYS} days at a time.`, 'query.until');
    let q = app.db.selectFrom('bookings').selectAll()
      .where('specialist_id', '=', specialistId)
      .where('starts_at', '>=', new Date(from))
      .where('starts_at', '<', new Date(until));
    if (request.query.status) q = q.where('status', '=', request.query.status);
    const rows = await q.orderBy('starts_at').orderBy('id').execute();
    return { bookings: await viewsOf(app.db, rows, 'specialist', app.clock.now()) };
  });

  const decisions: [path: string, action: StatusAction, summary: string][] = [
    ['approve', 'approve', 'Approve a pending request'],
    ['decline', 'decline', 'Decline a pending request (frees the time; full refund)'],
    ['complete', 'complete', 'Mark a session that took place as completed'],
    ['no-show', 'no_show', 'Mark a session the visitor did not attend'],
  ];
  for (const [path, action, summary] of decisions) {
    app.post(`/api/specialist/bookings/:id/${path}`, {
      schema: {
        tags: ['specialist'],
        summary,
        security: [{ specialist: [] }],
        params: BookingIdParams,
        // Only a decline carries a reason (shown to the visitor); the other decisions take no body.
        ...(action === 'decline' ? { body: Type.Union([CancelBody, Type.Null()]) } : {}),
        response: { 200: BookingView, ...errorResponses(400, 401, 404, 409) },
      },
    }, async (request) => {
      const specialistId = await requireSpecialist(request);
      const booking = await findBooking(app.db, request.params.id);
      // Another specialist's booking is as unknown as a missing one.
      if (booking === undefined || booking.specialist_id !== specialistId) throw notFound('Booking');
      const reason = (request.body as { reason?: string } | null | undefined)?.reason;
      const updated = await changeStatus(app, { booking, actor: 'specialist' }, action, reason);
      return viewOf(app.db, updated, 'specialist', app.clock.now());
    });
  }
}

