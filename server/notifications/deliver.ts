// Delivering one outbox row, shared by the BullMQ worker and the Redis-less scheduler.
//
// Exactly-once effect over an at-least-once transport: the row is claimed with
//   UPDATE notifications SET status = 'sent' ... WHERE id = $1 AND status = 'pending' AND send_at <= $now
// inside a transaction that stays open across the send and commits only after the channel has
// accepted the message. While it is open, the row lock makes any duplicate job (a BullMQ retry after
// a stalled worker, a re-enqueue after a Redis flush) and a concurrent cancellation wait; when they
// get the row it is no longer 'pending', so they do nothing. A failed send rolls the claim back and
// the row is pending again. We chose this over a 'sending' lease because a lease needs an expiry
// guess and a sweeper, while a crashed worker's transaction is rolled back by PostgreSQL at once.
// The price is one pooled connection per send in flight (the worker has its own pool) and the one
// window no design can close without the provider's help: the send succeeds and the process dies
// before COMMIT, so the message goes out again (emails carry a stable Message-ID and webhooks a
// stable webhook-id for the receiver to deduplicate).
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/pool.ts';
import type { Database, Notification } from '../db/schema.ts';
import { errorMessage, PermanentDeliveryError } from './errors.ts';
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
}

export type Outcome =
  | { status: 'sent'; row: Notification }
  | { status: 'gone' } // already sent, cancelled, failed or deleted: nothing to do
  | { status: 'not_due'; sendAt: number }
  | { status: 'retry'; error: string; attempts: number }
  | { status: 'failed'; error: string; attempts: number };

export function backoffDelay(backoffMs: number, attempts: number): number {
  return backoffMs * 2 ** Math.max(0, attempts - 1);
}

/** Delivers the row `id` if it is pending and due at the clock's now (BullMQ worker). */
export async function deliverById(d: Delivery, id: string): Promise<Outcome> {
  const now = d.clock.now();
  const outcome = await attempt(d, now, (trx, set) => trx.updateTable('notifications').set(set)
    .where('id', '=', id).where('status', '=', 'pending').where('send_at', '<=', new Date(now))
    .returningAll().executeTakeFirst(), id);
  if (outcome !== null) return outcome;
  const row = await d.db.selectFrom('notifications').select(['status', 'send_at']).where('id', '=', id).executeTakeFirst();
  if (row?.status === 'pending') return { status: 'not_due', sendAt: row.send_at.getTime() };
  return { status: 'gone' };
}

/**
 * Delivers the most overdue pending row no one else holds (the scheduler without Redis), or
 * returns null when nothing is due. SKIP LOCKED lets several loops and processes share the table.
 */
export async function deliverNextDue(d: Delivery): Promise<Outcome | null> {
  const now = d.clock.now();
  const at = new Date(now);
  return attempt(d, now, (trx, set) => trx.updateTable('notifications').set(set)
    .where('id', '=', (eb) => eb.selectFrom('notifications').select('id')
      .where('status', '=', 'pending').where('send_at', '<=', at)
      .where((w) => w.or([w('next_attempt_at', 'is', null), w('next_attempt_at', '<=', at)]))
      .orderBy('send_at').limit(1).forUpdate().skipLocked())
    .returningAll().executeTakeFirst(), null);
}

type Claim = (trx: Transaction<Database>, set: ClaimSet) => Promise<Notification | undefined>;
interface ClaimSet {
  status: 'sent';
  sent_at: Date;
  attempts: ReturnType<typeof sql<number>>;
  last_error: null;
  next_attempt_at: null;
  enqueued_at: null;
  updated_at: Date;
}

async function attempt(d: Delivery, now: number, claim: Claim, knownId: string | null): Promise<Outcome | null> {
  let claimedId = knownId;
  try {
    const row = await d.db.transaction().execute(async (trx) => {
      const at = new Date(now);
      const claimed = await claim(trx, {
        status: 'sent', sent_at: at, attempts: sql<number>`attempts + 1`, last_error: null,
        next_attempt_at: null, enqueued_at: null, updated_at: at,
      });
      if (!claimed) return null;
      claimedId = claimed.id;
      await d.send(trx, claimed);
      return claimed;
    });
    return row ? { status: 'sent', row } : null;
  } catch (err) {
    if (claimedId === null) throw err; // the claim itself failed (database trouble): nothing to record
    return recordFailure(d, claimedId, now, err);
  }
}

/** Counts the failed attempt; the last one (or a permanent error) marks the row failed. */
async function recordFailure(d: Delivery, id: string, now: number, err: unknown): Promise<Outcome> {
  const message = errorMessage(err);
  const permanent = err instanceof PermanentDeliveryError;
  const final = sql<boolean>`(${permanent} OR attempts + 1 >= ${d.maxAttempts})`;
  const row = await d.db.updateTable('notifications')
    .set({
      attempts: sql<number>`attempts + 1`,
      last_error: message,
      status: sql`CASE WHEN ${final} THEN 'failed' ELSE 'pending' END`,
      next_attempt_at: sql`to_timestamp((${now}::float8 + ${d.backoffMs}::float8 * power(2, attempts)) / 1000)`,
      enqueued_at: sql`CASE WHEN ${final} THEN NULL ELSE enqueued_at END`,
      updated_at: new Date(now),
    })
    .where('id', '=', id).where('status', '=', 'pending')
    .returning(['status', 'attempts'])
    .executeTakeFirst();
  if (!row) return { status: 'gone' };
  const level = row.status === 'failed' ? 'error' : 'warn';
  d.log[level]({ notification: id, attempts: row.attempts, err: message }, row.status === 'failed' ? 'notification failed for good' : 'notification attempt failed');
  return row.status === 'failed'
    ? { status: 'failed', error: message, attempts: row.attempts }
    : { status: 'retry', error: message, attempts: row.attempts };
}
