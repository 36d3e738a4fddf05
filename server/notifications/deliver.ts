// Delivering outbox rows, shared by the BullMQ worker and the Redis-less scheduler.
//
// Exactly-once effect over an at-least-once transport, with no transaction held across network
// I/O (a database fault during a send must cost nothing but that send's bookkeeping):
//   1. claim: one autocommitted UPDATE gives due, pending, unclaimed rows a fresh claim token and a
//      lease (claimed_until = now + leaseMs) and counts the attempt;
//   2. send each row, concurrently;
//   3. record each result under its claim token the moment its channel answers: 'sent', or back
//      to pending with its error and next attempt (failed after the last attempt).
// A duplicate job (a BullMQ retry after a stall, a re-enqueue after a Redis flush) finds the row
// claimed or no longer pending and does nothing. A live sender renews the leases of its sends in
// flight; one that dies mid-send leaves its claims, claimable again when the lease ends, so what was in flight goes out again: the
// one window no design closes without the provider's help. It is as small as it can be (a send
// accepted by the server is recorded before anything else waits on it), and the receivers can
// recognise the repeat (emails carry a stable Message-ID, webhooks a stable webhook-id).
// A graceful shutdown finishes the sends in flight and records them (the grace is longer than any
// send's timeouts), so a deploy repeats nothing.
//
// A cancellation no longer waits for a send in flight: the message that went out is recorded as
// sent (that is what happened); one that failed stays cancelled.
//
// Rows are claimed in small batches (the worker groups jobs that arrive together): one claim and
// one booking query for many messages is what makes >1,000/s possible.
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import type { Notification } from '../db/schema.ts';
import { errorMessage, PermanentDeliveryError, retryAfterOf, StaleNotificationError } from './errors.ts';
import { TIMED_KINDS } from './outbox.ts';
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
  /** How long a claim holds; longer than any send can take (see SHUTDOWN_GRACE_MS / NOTIFICATION_LEASE_MS). */
  leaseMs?: number;
  /** Batches in flight at once (each holds its rows' sends, not a connection). */
  gate?: Gate;
}

export const DEFAULT_LEASE_MS = 120_000;

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

/** How long a row that is due but held back (claimed elsewhere, waiting for its confirmation) is looked at again. */
const HELD_BACK_MS = 250;


/**
 * The claim: due pending rows no live claim holds. A reminder or review request waits while an
 * earlier event message of its booking (the confirmation) is still pending, so after an outage
 * the messages still arrive in their order.
 */
async function claim(d: Delivery, at: Date, pick: (q: ReturnType<typeof claimable>) => ReturnType<typeof claimable>): Promise<Notification[]> {
  const lease = new Date(at.getTime() + (d.leaseMs ?? DEFAULT_LEASE_MS));
  return d.db.updateTable('notifications')
    .set((eb) => ({ claim_token: sql<string>`gen_random_uuid()`, claimed_until: lease, attempts: eb('attempts', '+', 1), updated_at: at }))
    .where('id', 'in', pick(claimable(d.db, at)))
    .returningAll().execute();
}

function claimable(db: Db, at: Date) {
  return db.selectFrom('notifications as n').select('n.id')
    .where('n.status', '=', 'pending').where('n.send_at', '<=', at)
    .where((w) => w.or([w('n.claimed_until', 'is', null), w('n.claimed_until', '<=', at)]))
    .where((w) => w.or([
      w('n.kind', 'not in', TIMED_KINDS),
      w.not(w.exists(w.selectFrom('notifications as e').select(sql`1`.as('one'))
        .whereRef('e.booking_id', '=', 'n.booking_id').where('e.status', '=', 'pending')
        .whereRef('e.channel', '=', 'n.channel').where('e.kind', 'not in', TIMED_KINDS)
        .whereRef('e.created_at', '<=', 'n.created_at'))),
    ]));
}

/**
 * Delivers the given rows that are pending and due at the clock's now (BullMQ worker). `queued`:
 * the rows' jobs stay in Redis for their retries, so a retried row keeps its enqueued mark.
 */
export async function deliverByIds(d: Delivery, ids: string[], queued: boolean): Promise<Map<string, Outcome>> {
  const now = d.clock.now();
  const sorted = [...new Set(ids)].sort();
  // Locks in id order (the outbox locks in the same order), held only for the claim statement.
  const out = await claimAndSend(d, now, queued, (q) => q.where('n.id', 'in', sorted).orderBy('n.id').forUpdate());
  const rest = sorted.filter((id) => !out.has(id));
  if (rest.length > 0) {
    const rows = await d.db.selectFrom('notifications').select(['id', 'status', 'send_at', 'claimed_until']).where('id', 'in', rest).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of rest) {
      const r = byId.get(id);
      if (r?.status !== 'pending') { out.set(id, { status: 'gone' }); continue; }
      // Not yet due, claimed by a live sender (look again when its lease ends), or held back.
      const sendAt = Math.max(r.send_at.getTime(), r.claimed_until?.getTime() ?? 0, now + HELD_BACK_MS);
      out.set(id, { status: 'not_due', sendAt: r.send_at.getTime() > now ? r.send_at.getTime() : sendAt });
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
  const at = new Date(now);
  const out = await claimAndSend(d, now, false, (q) => q
    .where((w) => w.or([w('n.next_attempt_at', 'is', null), w('n.next_attempt_at', '<=', at)]))
    .orderBy('n.send_at').limit(limit).forUpdate().skipLocked());
  return out.size;
}

async function claimAndSend(d: Delivery, due: number, queued: boolean, pick: Parameters<typeof claim>[2]): Promise<Map<string, Outcome>> {
  const run = async () => {
    const out = new Map<string, Outcome>();
    // The lease starts when the claim is made, not when the caller asked (it may have waited for
    // the gate): a lease counted from a stale moment could run out during the send.
    const now = Math.max(due, d.clock.now());
    const rows = await claim(d, new Date(now), pick);
    if (rows.length === 0) return out;
    let sends: Promise<void>[];
    try {
      sends = await d.send(d.db, rows);
    } catch (err) {
      // Nothing was sent (the batch's bookings could not be read): release the claims for a retry.
      await Promise.all(rows.map((row) => recordFailure(d, row, now, err, queued).catch(() => {})));
      throw err;
    }
    // Each result is recorded as soon as its own send settles, not after the slowest of the batch.
    // While sends are in flight their leases are renewed, so a live (if slow) sender never loses
    // its claims: only a dead one's run out.
    const inFlight = new Map(rows.map((r) => [r.id, r.claim_token!]));
    const leaseMs = d.leaseMs ?? DEFAULT_LEASE_MS;
    const renewal = setInterval(() => {
      if (inFlight.size === 0) return;
      d.db.updateTable('notifications').set({ claimed_until: new Date(d.clock.now() + leaseMs) })
        .where('id', 'in', [...inFlight.keys()]).where('claim_token', 'in', [...inFlight.values()]).execute()
        .catch((err) => d.log.warn({ err: errorMessage(err) }, 'renewing notification claims failed'));
    }, Math.max(250, leaseMs / 3));
    renewal.unref();
    try {
      await Promise.all(rows.map((row, i) => sends[i]!.then(
        () => recordSent(d, row).then(() => { out.set(row.id, { status: 'sent', row }); }),
        (err) => recordFailure(d, row, now, err, queued).then((o) => { out.set(row.id, o); }),
      ).finally(() => { inFlight.delete(row.id); })));
    } finally {
      clearInterval(renewal);
    }
    return out;
  };
  return d.gate ? d.gate.run(run) : run();
}

/**
 * A message the provider accepted must be recorded, or it goes out again after the lease. A
 * database fault right now (an outage outlasting the send) is retried every second at most, for
 * ten leases: the claim is renewed meanwhile, and the first statement that reaches the database
 * again is ours. (Only a process that dies before that leaves the send to be repeated.)
 */
async function persist(d: Delivery, what: string, row: Notification, write: () => Promise<unknown>): Promise<void> {
  const until = Date.now() + 10 * (d.leaseMs ?? DEFAULT_LEASE_MS);
  let warned = false;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    try {
      await write();
      return;
    } catch (err) {
      if (Date.now() + wait > until) throw err;
      if (!warned) d.log.warn({ notification: row.id, err: errorMessage(err) }, `recording ${what} failed; retrying until the database answers`);
      warned = true;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * Sends that completed in the same turn of the event loop are recorded by one statement (under
 * load, hundreds a second): each is still written right after its own send, and waited for.
 */
const sentQueues = new WeakMap<Delivery, { rows: Notification[]; flushing: Promise<void> | null }>();

function recordSent(d: Delivery, row: Notification): Promise<void> {
  let q = sentQueues.get(d);
  if (!q) sentQueues.set(d, q = { rows: [], flushing: null });
  q.rows.push(row);
  const queue = q;
  queue.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const rows = queue.rows.splice(0);
    queue.flushing = null;
    const at = new Date(d.clock.now());
    const pairs = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.claim_token}::uuid)`));
    return persist(d, 'sent notifications', rows[0]!, () => d.db.updateTable('notifications').set({
      status: 'sent', sent_at: at, last_error: null, next_attempt_at: null, enqueued_at: null,
      claim_token: null, claimed_until: null, updated_at: at,
    }).where(sql<boolean>`(id, claim_token) IN (${pairs})`).execute());
  });
  return queue.flushing;
}

/** The last attempt (or a permanent error) marks the row failed; a stale one is cancelled. */
async function recordFailure(d: Delivery, row: Notification, now: number, err: unknown, queued: boolean): Promise<Outcome> {
  const error = errorMessage(err);
  const mine = () => d.db.updateTable('notifications').where('id', '=', row.id).where('claim_token', '=', row.claim_token).where('status', '=', 'pending');
  const released = { claim_token: null, claimed_until: null, sent_at: null, updated_at: new Date(now) };
  if (err instanceof StaleNotificationError) {
    await persist(d, 'a stale notification', row, () => mine().set({ ...released, status: 'cancelled', last_error: `not sent: ${error}`, enqueued_at: null }).execute());
    return { status: 'gone' };
  }
  const final = err instanceof PermanentDeliveryError || row.attempts >= d.maxAttempts;
  const retryAt = now + Math.max(backoffDelay(d.backoffMs, row.attempts), retryAfterOf(err));
  await persist(d, 'a failed attempt', row, () => mine().set({
    ...released,
    status: final ? 'failed' : 'pending',
    last_error: error,
    next_attempt_at: final ? null : new Date(retryAt),
    enqueued_at: final || !queued ? null : new Date(now),
  }).execute());
  d.log[final ? 'error' : 'warn']({ notification: row.id, kind: row.kind, attempts: row.attempts, err: error },
    final ? 'notification failed for good' : 'notification attempt failed');
  return final ? { status: 'failed', error, attempts: row.attempts } : { status: 'retry', error, attempts: row.attempts, retryAt };
}
