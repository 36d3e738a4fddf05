// Signed webhooks following Standard Webhooks (standardwebhooks.com): headers webhook-id (stable
// across retries, for the receiver's deduplication), webhook-timestamp (seconds, per attempt) and
// webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>" keyed with the base64 part of
// the endpoint's "whsec_..." secret.
import { createHmac, randomBytes } from 'node:crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

export async function postWebhook(url: string, secret: string, id: string, nowMs: number, body: string): Promise<void> {
  const timestamp = Math.floor(nowMs / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, id, timestamp, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  // Any 2xx acknowledges; everything else (including redirects) is retried with backoff.
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook endpoint answered ${res.status}`);
}
