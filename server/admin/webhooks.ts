// Webhook endpoints of the site owner. The signing secret (Standard Webhooks: "whsec_" + base64
// of 24 random bytes) is shown once and kept sealed under SECRET_KEY, since the sender needs it
// in clear to sign; listings never include it.
import type { CreatedWebhook, Webhook, WebhookCreate, WebhookDelivery, WebhookUpdate } from '../../shared/admin.ts';
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { conflict, notFound } from '../http/errors.ts';
import { newWebhookSecret } from '../notifications/channels/webhook.ts';
import { seal } from '../security/crypto.ts';
import type { WriteContext } from './store.ts';
import { checkWebhookUrl } from './validate.ts';
import { HttpError } from '../http/errors.ts';
import { OutboundRefused, checkOutboundUrl, type OutboundPolicy } from '../security/outbound.ts';

/** The URL must resolve to public addresses only (unless the owner allows private targets). */
async function checkTarget(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await checkOutboundUrl(url, policy);
  } catch (err) {
    if (err instanceof OutboundRefused) throw new HttpError(400, 'url_not_allowed', `${err.message} Webhooks are delivered to public addresses only.`, { field: 'body.url' });
    throw err;
  }
}

function toRecord(row: { id: string; url: string; events: string[]; active: boolean; created_at: Date }): Webhook {
  return { id: row.id, url: row.url, events: row.events, active: row.active, createdAt: row.created_at.toISOString() };
}

export async function createWebhook(db: Db, key: Buffer, input: WebhookCreate, { now }: WriteContext, policy: OutboundPolicy): Promise<CreatedWebhook> {
  const url = checkWebhookUrl(input.url, 'body.url');
  await checkTarget(url, policy);
  const secret = newWebhookSecret();
  const row = await db.insertInto('webhook_endpoints').values({
    url, secret_encrypted: seal(key, secret), events: [...new Set(input.events ?? [])], active: input.active ?? true, created_at: new Date(now),
  }).returning(['id', 'url', 'events', 'active', 'created_at']).executeTakeFirstOrThrow();
  return { ...toRecord(row), secret };
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'url', 'events', 'active', 'created_at'])
    .orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

export async function updateWebhook(db: Db, id: string, patch: WebhookUpdate, policy: OutboundPolicy): Promise<Webhook> {
  const url = patch.url === undefined ? undefined : checkWebhookUrl(patch.url, 'body.url');
  if (url !== undefined) await checkTarget(url, policy);
  const events = patch.events === undefined ? undefined : [...new Set(patch.events)];
  const row = await db.updateTable('webhook_endpoints').set({ url, events, active: patch.active }).where('id', '=', id)
    .returning(['id', 'url', 'events', 'active', 'created_at']).executeTakeFirst();
  if (!row) throw notFound('Webhook');
  return toRecord(row);
}

export async function deleteWebhook(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Webhook');
}

/** How many deliveries an endpoint's history shows. */
export const RECENT_DELIVERIES = 20;

/**
 * Queues a `webhook.test` event for the endpoint through the outbox, so it is signed, retried and
 * listed exactly like a booking event.
 */
export async function queueTestDelivery(db: Db, id: string, now: number): Promise<string> {
  const endpoint = await db.selectFrom('webhook_endpoints').select(['id', 'url']).where('id', '=', id).executeTakeFirst();
  if (!endpoint) throw notFound('Webhook');
  const at = new Date(now);
  const event = { type: 'webhook.test', timestamp: at.toISOString(), data: { message: 'A test event from the booking console.' } };
  const row = await db.insertInto('notifications').values({
    booking_id: null, kind: 'webhook.test', channel: 'webhook', recipient: endpoint.url,
    payload: JSON.stringify({ endpointId: endpoint.id, event }), send_at: at, created_at: at, updated_at: at,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Sends one delivery of this endpoint again, as a new outbox row with the same body and the same
 * webhook-id (so a receiver that did process it recognises the duplicate). Any finished delivery
 * may be redelivered; one still pending answers 409.
 */
export async function redeliver(db: Db, endpointId: string, deliveryId: string, now: number): Promise<string> {
  const row = await db.selectFrom('notifications').select(['id', 'booking_id', 'kind', 'recipient', 'payload', 'status'])
    .where('id', '=', deliveryId).where('channel', '=', 'webhook').where(sql<string>`payload->>'endpointId'`, '=', endpointId)
    .executeTakeFirst();
  if (!row) throw notFound('Delivery');
  if (row.status === 'pending') throw conflict('delivery_pending', 'This delivery is still being attempted.');
  const payload = row.payload as Record<string, unknown>;
  const at = new Date(now);
  const copy = await db.insertInto('notifications').values({
    booking_id: row.booking_id, kind: row.kind, channel: 'webhook', recipient: row.recipient,
    payload: JSON.stringify({ ...payload, webhookId: payload.webhookId ?? row.id }), send_at: at, created_at: at, updated_at: at,
  }).returning('id').executeTakeFirstOrThrow();
  return copy.id;
}

export async function recentDeliveries(db: Db, id: string): Promise<WebhookDelivery[]> {
  const endpoint = await db.selectFrom('webhook_endpoints').select('id').where('id', '=', id).executeTakeFirst();
  if (!endpoint) throw notFound('Webhook');
  const rows = await db.selectFrom('notifications').select(['id', 'kind', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('channel', '=', 'webhook').where(sql<string>`payload->>'endpointId'`, '=', id)
    .orderBy('created_at', 'desc').orderBy('id').limit(RECENT_DELIVERIES).execute();
  return rows.map((r) => ({
    id: r.id, event: r.kind, status: r.status, attempts: r.attempts, lastError: r.last_error,
    createdAt: r.created_at.toISOString(), sentAt: r.sent_at?.toISOString() ?? null,
  }));
}
