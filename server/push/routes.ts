// A specialist's Web Push subscriptions (the console's service worker subscribes with the VAPID
// public key and hands us the PushSubscription): list, add (or move an endpoint to this
// specialist), remove. The push service addresses must be https; expired ones are pruned when a
// push service answers 404/410 (server/notifications/channels/push.ts).
import { Type } from 'typebox';
import { requireSpecialist } from '../auth/guards.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import { checkOutboundUrl, OutboundRefused } from '../security/outbound.ts';
import { Uuid } from '../../shared/schemas.ts';

const Subscription = Type.Object({
  id: Uuid, host: Type.String({ description: 'The push service' }), label: Type.String(),
  createdAt: Type.String({ format: 'date-time' }), lastSuccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const B64URL = '^[A-Za-z0-9_-]+={0,2}$';

export default async function pushRoutes(app: App) {
  const base = { tags: ['specialist'], security: [{ specialist: [] }] };

  app.get('/api/specialist/push', {
    schema: {
      ...base, summary: 'The VAPID public key to subscribe with (null: push is off) and this specialist\'s subscriptions',
      response: { 200: Type.Object({ publicKey: Type.Union([Type.String(), Type.Null()]), subscriptions: Type.Array(Subscription) }), ...errorResponses(401) },
    },
  }, async (req) => {
    const specialistId = await requireSpecialist(req);
    const rows = await app.db.selectFrom('push_subscriptions').select(['id', 'endpoint', 'label', 'created_at', 'last_success_at'])
      .where('specialist_id', '=', specialistId).orderBy('created_at').execute();
    return {
      publicKey: app.config.vapid?.publicKey ?? null,
      subscriptions: rows.map((r) => ({ id: r.id, host: new URL(r.endpoint).host, label: r.label, createdAt: r.created_at.toISOString(), lastSuccessAt: r.last_success_at?.toISOString() ?? null })),
    };
  });

  app.post('/api/specialist/push/subscriptions', {
    schema: {
      ...base, summary: 'Subscribe this browser (a PushSubscription\'s JSON)',
      body: Type.Object({
        endpoint: Type.String({ maxLength: 2000, format: 'uri' }),
        keys: Type.Object({ p256dh: Type.String({ pattern: B64URL, minLength: 80, maxLength: 200 }), auth: Type.String({ pattern: B64URL, minLength: 16, maxLength: 100 }) }),
        label: Type.Optional(Type.String({ maxLength: 200 })),
      }),
      response: { 201: Type.Object({ id: Uuid }), ...errorResponses(400, 401, 409) },
    },
  }, async (req, reply) => {
    const specialistId = await requireSpecialist(req);
    if (app.config.vapid === null) throw badRequest('push_unavailable', 'Push notifications are not set up on this server (VAPID_* unset).');
    let url: URL;
    try { url = new URL(req.body.endpoint); } catch { throw badRequest('invalid_endpoint', 'The endpoint is not a URL.', 'body.endpoint'); }
    if (url.protocol !== 'https:') throw badRequest('invalid_endpoint', 'A push endpoint is an https URL.', 'body.endpoint');
    try {
      await checkOutboundUrl(url.toString(), app.outboundPolicy);
    } catch (err) {
      if (err instanceof OutboundRefused) throw badRequest('invalid_endpoint', 'The push endpoint must be a public address.', 'body.endpoint');
      throw err;
    }
    if (Buffer.from(req.body.keys.p256dh, 'base64url').length !== 65) throw badRequest('invalid_keys', 'keys.p256dh must be an uncompressed P-256 public key.', 'body.keys.p256dh');
    const row = await app.db.insertInto('push_subscriptions').values({
      specialist_id: specialistId, endpoint: url.toString(), p256dh: req.body.keys.p256dh, auth: req.body.keys.auth, label: req.body.label ?? '',
    }).onConflict((oc) => oc.column('endpoint').doUpdateSet({ specialist_id: specialistId, p256dh: req.body.keys.p256dh, auth: req.body.keys.auth, label: req.body.label ?? '' }))
      .returning('id').executeTakeFirstOrThrow();
    return reply.status(201).send({ id: row.id });
  });

  app.delete('/api/specialist/push/subscriptions/:id', {
    schema: { ...base, summary: 'Unsubscribe one browser', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errorResponses(401, 404) } },
  }, async (req, reply) => {
    const specialistId = await requireSpecialist(req);
    const res = await app.db.deleteFrom('push_subscriptions').where('id', '=', req.params.id).where('specialist_id', '=', specialistId).executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Subscription');
    return reply.status(204).send(null);
  });
}
