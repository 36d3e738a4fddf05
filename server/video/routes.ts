// Routes of the video module (registered by app.ts): joining the call, the providers' webhooks, the
// recording link, the specialist's notes and both sides' consultation history.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BookingIdParams } from '../../shared/bookings.ts';
import {
  CallPresence, CallPresenceReport, ConsultationHistory, ConsultationNotes, JoinResponse,
} from '../../shared/schemas.ts';
import { requireSpecialist } from '../auth/guards.ts';
import { authorizeBooking } from '../bookings/access.ts';
import { onBookingChanged } from '../bookings/hooks.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { joinConsultation } from './join.ts';
import { confirmPresence } from './presence.ts';
import { bookingHistory, historyItem, readNotes, sendSummary, specialistHistory, writeNotes } from './notes.ts';
import { syncRoomWithBooking } from './rooms.ts';
import { requireVideoProvider } from './select.ts';
import { applyCallEvent } from './events.ts';
import { dailyCallEvent, verifyDailyWebhook, type DailyEvent } from './webhooks.ts';
import { deliveryId, once } from './receipts.ts';
import recordingRoutes from './recording-routes.ts';

const WebhookAnswer = Type.Object({ ok: Type.Boolean(), result: Type.Union([Type.Literal('applied'), Type.Literal('ignored')]) });
const Text = Type.String({ maxLength: 20_000 });

const notesBody = (row: { id: string; notes: string; summary: string; summary_sent_at: Date | null; updated_at: Date }) =>
  ({ bookingId: row.id, notes: row.notes, summary: row.summary, summarySentAt: row.summary_sent_at?.toISOString() ?? null, updatedAt: row.updated_at.toISOString() });

/** A booking of the calling specialist; to anyone else it does not exist. */
async function ownBooking(request: FastifyRequest, bookingId: string) {
  const { booking, actor } = await authorizeBooking(request, bookingId);
  if (actor !== 'specialist') throw notFound('Booking');
  return booking;
}

export default async function videoRoutes(app: App) {
  // Keep the provider's rooms in step with booking changes made by this app instance.
  const unsubscribe = onBookingChanged(async (source, bookingId, event) => {
    if (source.config === app.config) await syncRoomWithBooking(source, bookingId, event);
  });
  app.addHook('onClose', async () => unsubscribe());

  app.post('/api/bookings/:id/join', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'Join the booking\'s video call',
      description: 'With the visitor\'s manage token or the specialist\'s credential. Opens 5 min (visitor) or 10 min (specialist) before the start; 425 `too_early` before that with `details.secondsLeft` and Retry-After; 410 `ended` once the room closed (30 min after the end).',
      security: [{ manageToken: [] }, { specialist: [] }],
      params: BookingIdParams,
      response: { 200: JoinResponse, ...errorResponses(400, 403, 404, 409, 410, 425, 429, 502, 503) },
    },
  }, async (request) => joinConsultation(request, request.params.id));

  app.post('/api/bookings/:id/presence', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'Report that this person is in the call (the call view does this once it joined)',
      description: 'Authorized by the join answer\'s `token` in the body (no other credential). The server does not take the report\'s word: it asks the provider who is in the room (Daily room presence, LiveKit ListParticipants) and records the connections it shows, exactly as the provider\'s participant webhook would (the same row, whichever comes first), so the booking turns `in_progress`. 401 `invalid_join_token` for a token that is not a current one of this booking\'s call; 409 `not_in_room` when the provider does not show the reporter (Daily lags up to 15 s: try again after Retry-After); 409 `presence_unconfirmable` for Google Meet and Teams (attendance is read after the meeting).',
      params: BookingIdParams,
      body: CallPresenceReport,
      response: { 200: CallPresence, ...errorResponses(400, 401, 404, 409, 429, 502, 503) },
    },
  }, async (request) => confirmPresence(app, request.params.id, request.body.token));

  app.get('/api/bookings/:id/history', {
    schema: {
      tags: ['video'],
      summary: 'This booking\'s consultation, with the summary the specialist shared',
      description: 'A manage token proves nothing about the email (anyone can book under any address), so it shows this booking only (`scope: "booking"`). The whole history under an address needs that address verified: POST /api/visitor/verification, then GET /api/visitor/history.',
      security: [{ manageToken: [] }],
      params: BookingIdParams,
      response: { 200: ConsultationHistory, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    if (actor !== 'visitor') throw notFound('Booking'); // specialists read /api/specialist/history
    return { scope: 'booking' as const, consultations: (await bookingHistory(app.db, booking.id)).map(historyItem) };
  });

  app.get('/api/specialist/bookings/:id/notes', {
    schema: {
      tags: ['video'],
      summary: 'The specialist\'s notes and summary of one of their bookings',
      security: [{ specialist: [] }],
      params: BookingIdParams,
      response: { 200: ConsultationNotes, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const booking = await ownBooking(request, request.params.id);
    return notesBody(await readNotes(app.db, booking.id));
  });

  app.put('/api/specialist/bookings/:id/notes', {
    schema: {
      tags: ['video'],
      summary: 'Write private notes and/or the summary shared with the visitor',
      security: [{ specialist: [] }],
      params: BookingIdParams,
      body: Type.Object({ notes: Type.Optional(Text), summary: Type.Optional(Text) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: ConsultationNotes, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const booking = await ownBooking(request, request.params.id);
    return notesBody(await writeNotes(app.db, booking.id, request.body, new Date(app.clock.now())));
  });

  app.post('/api/specialist/bookings/:id/summary/send', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'Email the saved summary to the visitor (it also shows in their manage link)',
      description: 'Once per version of the summary: 409 already_sent until it changes; 409 no_summary when it is empty.',
      security: [{ specialist: [] }],
      params: BookingIdParams,
      response: { 200: ConsultationNotes, ...errorResponses(400, 404, 409, 429) },
    },
  }, async (request) => {
    const booking = await ownBooking(request, request.params.id);
    const row = await sendSummary(app.db, booking.id, new Date(app.clock.now()));
    app.notifications?.nudge().catch((err) => app.log.warn({ err: String(err) }, 'relaying a summary email failed'));
    return notesBody(row);
  });

  app.get('/api/specialist/history', {
    schema: {
      tags: ['video'],
      summary: 'The specialist\'s own consultations with one visitor, with notes and summaries',
      security: [{ specialist: [] }],
      querystring: Type.Object({ visitorEmail: Type.String({ minLength: 3, maxLength: 320 }) }),
      response: { 200: ConsultationHistory, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const specialistId = await requireSpecialist(request);
    const rows = await specialistHistory(app.db, specialistId, request.query.visitorEmail);
    return { consultations: rows.map(historyItem) };
  });

  app.register(webhookRoutes);
  app.register(recordingRoutes);
}

/** Their own plugin: the body parser here keeps the raw text, which is what the providers signed. */
async function webhookRoutes(app: App) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/api/webhooks/daily', {
    schema: {
      tags: ['video'],
      summary: 'Daily\'s webhook deliveries (participant.joined, participant.left, meeting.ended, recording.ready-to-download)',
      description: 'Verified with X-Webhook-Signature / X-Webhook-Timestamp against DAILY_WEBHOOK_SECRET. Each delivery id is processed once: a replay answers `result: "ignored"`.',
      response: { 200: WebhookAnswer, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const secret = app.config.daily?.webhookSecret ?? null;
    if (secret === null) throw new HttpError(404, 'webhooks_not_configured', 'Daily webhooks are not set up: set DAILY_WEBHOOK_SECRET to the webhook\'s hmac secret.');
    const raw = typeof request.body === 'string' ? request.body : '';
    let event: DailyEvent | null = null;
    try { event = JSON.parse(raw) as DailyEvent; } catch { /* judged below */ }

    const header = (name: string) => { const v = request.headers[name]; return Array.isArray(v) ? v[0] : v; };
    const verified = verifyDailyWebhook(secret, { timestamp: header('x-webhook-timestamp'), signature: header('x-webhook-signature') }, raw, app.clock.now());
    if (!verified) {
      // Daily checks a new endpoint with a test POST before it hands out the secret; answering
      // it is harmless because a body that is not an event is never acted upon.
      if (event !== null && typeof event === 'object' && event.type === undefined && event.payload === undefined) return { ok: true, result: 'ignored' as const };
      throw new HttpError(401, 'invalid_signature', 'The webhook signature or timestamp is missing, stale or wrong.');
    }
    if (event === null || typeof event !== 'object') throw new HttpError(400, 'invalid_request', 'The webhook body is not a JSON event.');
    // A replay of a delivery inside its signature window is acknowledged and not applied again.
    const id = deliveryId(event.id, `${header('x-webhook-timestamp')}.${raw}`);
    const result = await once(app.db, 'daily', id, app.clock.now(), () => applyCallEvent(app, dailyCallEvent(event)));
    return { ok: true, result };
  });

  app.post('/api/webhooks/livekit', {
    schema: {
      tags: ['video'],
      summary: 'LiveKit\'s webhook deliveries (participant_joined, participant_left, room_finished, egress_ended)',
      description: 'Verified by the JWT in the Authorization header (API key and secret) and its body digest. Each event id is processed once: a replay answers `result: "ignored"`.',
      response: { 200: WebhookAnswer, ...errorResponses(401, 404) },
    },
  }, async (request) => {
    const livekit = app.config.livekit;
    if (livekit === null) throw new HttpError(404, 'webhooks_not_configured', 'LiveKit is not set up: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET.');
    const raw = typeof request.body === 'string' ? request.body : '';
    // LiveKit's SDK is loaded only where LiveKit is set up.
    const { liveKitCallEvent, verifyLiveKitWebhook } = await import('./livekit-webhooks.ts');
    const event = await verifyLiveKitWebhook(livekit, raw, request.headers.authorization);
    if (event === null) throw new HttpError(401, 'invalid_signature', 'The webhook token or body digest is missing or wrong.');
    const id = deliveryId(event.id, raw);
    const result = await once(app.db, 'livekit', id, app.clock.now(), () => applyCallEvent(app, liveKitCallEvent(event, livekit.recordingsDir)));
    return { ok: true, result };
  });
}
