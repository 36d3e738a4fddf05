// Admin view of the outbox: a booking's notifications (what was sent when, what failed and why),
// notifications by status, and a retry for a failed one. Payloads stay private: they hold sealed manage tokens.
import { Type, type Static } from 'typebox';
import { requireAdmin } from '../auth/guards.ts';
import { conflict, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import type { Notification } from '../db/schema.ts';
import { IsoInstant, Uuid } from '../../shared/schemas.ts';

/** A notification's status (the list query defaults to the failed ones). */
const status = (options?: { default: 'failed' }) =>
  Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('cancelled')], options);

const NotificationView = Type.Object({
  id: Uuid,
  bookingId: Type.Union([Uuid, Type.Null()]),
  kind: Type.String(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('webhook'), Type.Literal('calendar'), Type.Literal('payment'), Type.Literal('push')]),
  recipient: Type.String(),
  sendAt: IsoInstant,
  status: status(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([IsoInstant, Type.Null()]),
});
type NotificationView = Static<typeof NotificationView>;
const NotificationList = Type.Object({ notifications: Type.Array(NotificationView) });

const IdParams = Type.Object({ id: Uuid });

function view(n: Notification): NotificationView {
  return {
    id: n.id,
    bookingId: n.booking_id,
    kind: n.kind,
    channel: n.channel,
    recipient: n.recipient,
    sendAt: n.send_at.toISOString(),
    status: n.status,
    attempts: n.attempts,
    lastError: n.last_error,
    sentAt: n.sent_at?.toISOString() ?? null,
  };
}

export default async function notificationRoutes(app: App) {
  app.get('/api/admin/bookings/:id/notifications', {
    schema: {
      tags: ['admin'],
      summary: "A booking's notifications, oldest first",
      security: [{ admin: [] }],
      params: IdParams,
      response: { 200: NotificationList, ...errorResponses(401, 404, 503) },
    },
  }, async (request) => {
    await requireAdmin(request);
    const booking = await app.db.selectFrom('bookings').select('id').where('id', '=', request.params.id).executeTakeFirst();
    if (!booking) throw notFound('Booking');
    const rows = await app.db.selectFrom('notifications').selectAll()
      .where('booking_id', '=', request.params.id).orderBy('send_at').orderBy('created_at').execute();
    return { notifications: rows.map(view) };
  });

  app.get('/api/admin/notifications', {
    schema: {
      tags: ['admin'],
      summary: 'Notifications by status, most recently changed first (e.g. the failed ones to look into)',
      security: [{ admin: [] }],
      querystring: Type.Object({
        // Optional with defaults (the validator fills them in), so the document marks them optional.
        status: Type.Optional(status({ default: 'failed' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      }),
      response: { 200: NotificationList, ...errorResponses(400, 401, 503) },
    },
  }, async (request) => {
    await requireAdmin(request);
    const rows = await app.db.selectFrom('notifications').selectAll()
      .where('status', '=', request.query.status ?? 'failed').orderBy('updated_at', 'desc').orderBy('id').limit(request.query.limit ?? 50).execute();
    return { notifications: rows.map(view) };
  });

  app.post('/api/admin/notifications/:id/retry', {
    schema: {
      tags: ['admin'],
      summary: 'Send a failed notification again, now',
      security: [{ admin: [] }],
      params: IdParams,
      response: { 200: NotificationView, ...errorResponses(401, 404, 409, 503) },
    },
  }, async (request) => {
    await requireAdmin(request);
    const now = new Date(app.clock.now());
    // Back to pending with a fresh attempt budget; the relay (or the scheduler) picks it up.
    const row = await app.db.updateTable('notifications')
      .set({ status: 'pending', attempts: 0, last_error: null, send_at: now, next_attempt_at: null, enqueued_at: null, updated_at: now })
      .where('id', '=', request.params.id).where('status', '=', 'failed')
      .returningAll().executeTakeFirst();
    if (row) return view(row);
    const exists = await app.db.selectFrom('notifications').select('status').where('id', '=', request.params.id).executeTakeFirst();
    if (!exists) throw notFound('Notification');
    throw conflict('not_failed', `Only failed notifications can be retried (this one is ${exists.status}).`);
  });
}
