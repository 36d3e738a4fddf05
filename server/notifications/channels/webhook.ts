// Signed webhooks following Standard Webhooks (standardwebhooks.com): headers webhook-id (stable
// across retries, for the receiver's deduplication), webhook-timestamp (seconds, per attempt) and
// webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>" keyed with the base64 part of
// the endpoint's "whsec_..." secret.
import { createHmac, randomBytes } from 'node:crypto';
import { OutboundRefused, postChecked, type OutboundPolicy } from '../../security/outbound.ts';
import { PermanentDeliveryError } from '../errors.ts';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

/** Delivers through the outbound URL policy (public addresses only, checked at connect time, no redirects). */
export async function postWebhook(url: string, secret: string, id: string, nowMs: number, body: string, policy: OutboundPolicy): Promise<void> {
  const timestamp = Math.floor(nowMs / 1000);
  let res;
  try {
    res = await postChecked(url, {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, id, timestamp, body),
    }, body, policy);
  } catch (err) {
    // The URL now points somewhere we do not send to: no retry will change that by itself.
    if (err instanceof OutboundRefused) throw new PermanentDeliveryError(`webhook not sent: ${err.message}`);
    throw err;
  }
  // Any 2xx acknowledges; everything else (including redirects) is retried with backoff.
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook endpoint answered ${res.status}`);
}
