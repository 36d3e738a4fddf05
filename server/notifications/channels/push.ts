// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291) through
// the web-push package, loaded on first use. One message goes to every browser a specialist
// subscribed; a push service answering 404 or 410 says the subscription is gone for good, so it
// is deleted (pruned) rather than retried. The Topic header (the outbox row id) lets a push
// service replace an undelivered duplicate of a resent row instead of showing it twice.
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/pool.ts';
import { PermanentDeliveryError } from '../errors.ts';

export interface PushMessage { title: string; body: string; url: string; tag: string }

export interface PushResult { sent: number; pruned: number }

export async function sendPush(db: Db, vapid: NonNullable<Config['vapid']>, specialistId: string, rowId: string, message: PushMessage, now: number): Promise<PushResult> {
  const subs = await db.selectFrom('push_subscriptions').select(['id', 'endpoint', 'p256dh', 'auth']).where('specialist_id', '=', specialistId).execute();
  if (subs.length === 0) return { sent: 0, pruned: 0 };
  const { default: webpush } = await import('web-push');
  // Topic: at most 32 URL-safe characters (RFC 8030 §5.4).
  const topic = createHash('sha256').update(rowId).digest('base64url').slice(0, 32);
  const body = JSON.stringify(message);
  let sent = 0;
  let pruned = 0;
  const transient: string[] = [];
  await Promise.all(subs.map(async (s) => {
    try {
      await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, body, {
        vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: 3600, topic, urgency: 'high', timeout: 15_000,
      });
      sent++;
      await db.updateTable('push_subscriptions').set({ last_success_at: new Date(now) }).where('id', '=', s.id).execute();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) {
        pruned++;
        await db.deleteFrom('push_subscriptions').where('id', '=', s.id).execute();
      } else {
        transient.push(`${new URL(s.endpoint).host}: ${status ?? (err as Error).message}`);
      }
    }
  }));
  // Retry only when some browser could still get it and none did; a partial success stands
  // (a retry would show the message twice where it arrived).
  if (transient.length > 0 && sent === 0) {
    const error = new Error(`push not delivered: ${transient.join('; ')}`);
    if (transient.every((t) => /: 4\d\d$/.test(t) && !t.endsWith(': 429'))) throw new PermanentDeliveryError(error.message);
    throw error;
  }
  return { sent, pruned };
}
