// Delivering outbox rows, shared by the BullMQ worker and the Redis-less scheduler.
//
// Exactly-once effect over an at-least-once transport: rows are claimed with
//   UPDATE notifications SET status = 'sent', attempts = attempts + 1 ...
//   WHERE id IN (SELECT id ... WHERE status = 'pending' AND send_at <= $now ORDER BY id FOR UPDATE)
// inside a transaction that stays open across the sends and commits only after each channel has
// answered; a row whose send failed is set back (pending with its error and next attempt, or
// failed after its last attempt) in the same transaction before COMMIT. While it is open, the row
// locks make any duplicate job (a BullMQ retry after a stalled worker, a re-enqueue after a Redis
// flush) and a concurrent cancellation wait; when they get the row it is no longer 'pending', so
// they do nothing. We chose this over a 'sending' lease because a lease needs an expiry guess and
// a sweeper, while a crashed worker's transaction is rolled back by PostgreSQL at once. Locks are
// taken in id order (here and in the outbox) so claims never deadlock with each other.
// The one window no design closes without the provider's help: the send succeeds and the process
// dies before COMMIT, so the message goes out again (emails carry a stable Message-ID and webhooks
// a stable webhook-id for receivers to deduplicate).
//
// Rows are claimed in small batches (the worker groups jobs that arrive together): one
// transaction, one booking query and one commit for many messages is what makes >1,000/s possible.
import type { Transaction } from 'kysely';
import type { Db } from '../db/pool.ts';
import type { Database, Notification } from '../db/schema.ts';
import { errorMessage, PermanentDeliveryError, retryAfterOf, StaleNotificationError } from './errors.ts';
import type { Log, Sender } from './sender.ts';

export interface Delivery {
  db: Db;
  clock: { now(): number };
  send: Sender;
  log: Log;
  /** Attempts before a row is marked failed. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
  /**
   * Claim transactions open at once. Keep it below the pool size: a channel may query through
   * the pool while its batch holds a connection (the calendar sync does), and must find one free.
   */
  gate?: Gate;
}

/** A counting semaphore. */
export interface Gate {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createGate(limit: number): Gate {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run(fn) {
      if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
      else active++;
      try {
        return await fn();
      } finally {
        const next = queue.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

export type Outcome =
  | { status: 'sent'; row: Notification }
  | { status: 'gone' } // already sent, cancelled, failed or deleted: nothing to do
  | { status: 'not_due'; sendAt: number }
  | { status: 'retry'; error: string; attempts: number; retryAt: number }
  | { status: 'failed'; error: string; attempts: number };

/** The delay before retry n+1 after n failed attempts (same curve as BullMQ's exponential backoff). */
export function backoffDelay(backoffMs: number, attempts: number): number {
  return backoffMs * 2 ** Math.max(0, attempts - 1);
}

type Claim = (trx: Transaction<Database>, at: Date) => Promise<Notification[]>;

const claimedValues = (at: Date) => ({
  status: 'sent' as const, sent_at: at, last_error: null, next_attempt_at: null, enqueued_at: null, updated_at: at,
});

/**
 * Delivers the given rows that are pending and due at the clock's now (BullMQ worker). `queued`:
 * the rows' jobs stay in Redis for their retries, so a retried row keeps its enqueued mark.
 */
export async function deliverByIds(d: Delivery, ids: string[], queued: boolean): Promise<Map<string, Outcome>> {
  const now = d.clock.now();
  const sorted = [...new Set(ids)].sort();
  const out = await claimAndSend(d, now, queued, (trx, at) => trx.updateTable('notifications')
    .set((eb) => ({ ...claimedValues(at), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id')
      .where('id', 'in', sorted).where('status', '=', 'pending').where('send_at', '<=', at)
      .orderBy('id').forUpdate())
    .returningAll().execute());
  const rest = sorted.filter((id) => !out.has(id));
  if (rest.length > 0) {
    const rows = await d.db.selectFrom('notifications').select(['id', 'status', 'send_at']).where('id', 'in', rest).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of rest) {
      const r = byId.get(id);
      out.set(id, r?.status === 'pending' && r.send_at.getTime() > now ? { status: 'not_due', sendAt: r.send_at.getTime() } : { status: 'gone' });
    }
  }
  return out;
}

export async function deliverById(d: Delivery, id: string): Promise<Outcome> {
  return (await deliverByIds(d, [id], true)).get(id)!;
}

/**
 * Delivers up to `limit` of the most overdue pending rows no one else holds (the scheduler
 * without Redis); returns how many were handled. SKIP LOCKED lets loops and processes share.
 */
export async function deliverDue(d: Delivery, limit: number): Promise<number> {
  const now = d.clock.now();
  const out = await claimAndSend(d, now, false, (trx, at) => trx.updateTable('notifications')
    .set((eb) => ({ ...claimedValues(at), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id')
      .where('status', '=', 'pending').where('send_at', '<=', at)
      .where((w) => w.or([w('next_attempt_at', 'is', null), w('next_attempt_at', '<=', at)]))
      .orderBy('send_at').limit(limit).forUpdate().skipLocked())
    .returningAll().execute());
  return out.size;
}

async function claimAndSend(d: Delivery, now: number, queued: boolean, claim: Claim): Promise<Map<string, Outcome>> {
  return d.gate ? d.gate.run(() => claimAndSendNow(d, now, queued, claim)) : claimAndSendNow(d, now, queued, claim);
}

async function claimAndSendNow(d: Delivery, now: number, queued: boolean, claim: Claim): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  await d.db.transaction().execute(async (trx) => {
    const rows = await claim(trx, new Date(now));
    if (rows.length === 0) return;
    const results = await d.send(trx, rows);
    for (let i = 0; i < rows.length; i++) {
      const r = results[i];
      out.set(rows[i].id, r.status === 'fulfilled'
        ? { status: 'sent', row: rows[i] }
        : await recordFailure(trx, d, rows[i], now, r.reason, queued));
    }
  });
  return out;
}

/** Inside the claiming transaction: the last attempt (or a permanent error) marks the row failed. */
async function recordFailure(trx: Transaction<Database>, d: Delivery, row: Notification, now: number, err: unknown, queued: boolean): Promise<Outcome> {
  const error = errorMessage(err);
  if (err instanceof StaleNotificationError) {
    await trx.updateTable('notifications').set({ status: 'cancelled', sent_at: null, last_error: `not sent: ${error}`, enqueued_at: null, updated_at: new Date(now) })
      .where('id', '=', row.id).execute();
    return { status: 'gone' };
  }
  const final = err instanceof PermanentDeliveryError || row.attempts >= d.maxAttempts;
  const retryAt = now + Math.max(backoffDelay(d.backoffMs, row.attempts), retryAfterOf(err));
  await trx.updateTable('notifications').set({
    status: final ? 'failed' : 'pending',
    sent_at: null,
    last_error: error,
    next_attempt_at: final ? null : new Date(retryAt),
    enqueued_at: final || !queued ? null : new Date(now),
    updated_at: new Date(now),
  }).where('id', '=', row.id).execute();
  d.log[final ? 'error' : 'warn']({ notification: row.id, kind: row.kind, attempts: row.attempts, err: error },
    final ? 'notification failed for good' : 'notification attempt failed');
  return final ? { status: 'failed', error, attempts: row.attempts } : { status: 'retry', error, attempts: row.attempts, retryAt };
}
