// The BullMQ side of notifications in one place: queue name, job ids, job options, and the relay
// that mirrors the outbox table into delayed jobs (and back out when rows are cancelled).
import { Queue, Worker, DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../db/pool.ts';
import { deliverByIds, type Delivery, type Outcome } from './deliver.ts';
import type { Log } from './sender.ts';

export const QUEUE_NAME = 'notifications';

/** Job ids come from row ids: re-adding a row is a no-op while its job exists. No ':' allowed. */
export function jobIdOf(rowId: string): string {
  return `n_${rowId}`;
}

export interface JobData {
  id: string;
}

export interface QueueOptions {
  db: Db;
  clock: { now(): number };
  log: Log;
  /** Two connections: BullMQ's worker needs a blocking one of its own. */
  connection: Redis;
  workerConnection: Redis;
  /** Redis key prefix; tests use one per file. */
  prefix: string;
  delivery: Delivery;
  concurrency: number;
  /** Rows handled per relay query. */
  batchSize?: number;
  /** How long the worker gathers jobs into one claim. */
  batchWindowMs?: number;
}

export interface BullRuntime {
  queue: Queue<JobData>;
  worker: Worker<JobData>;
  /** Puts new pending rows on the queue and removes the jobs of rows that are no longer pending. */
  relay(): Promise<{ enqueued: number; removed: number }>;
  /** Re-adds every pending row whose job is missing from Redis (after a flush or a restart). */
  reconcile(): Promise<number>;
  /** Moves delayed jobs of rows due at the clock's now to waiting (a test's advanced clock). */
  promoteDue(): Promise<number>;
  close(): Promise<void>;
}

export function createBullRuntime(o: QueueOptions): BullRuntime {
  const batch = o.batchSize ?? 500;
  const d = o.delivery;
  const queue = new Queue<JobData>(QUEUE_NAME, {
    connection: o.connection,
    prefix: o.prefix,
    defaultJobOptions: {
      attempts: d.maxAttempts,
      backoff: { type: 'exponential', delay: d.backoffMs },
      // The table is the record; Redis keeps only what is still to do, so a missing job always
      // means "re-add" to the reconciliation.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });

  // A job whose keys Redis lost meanwhile (a flush) cannot be moved: its row is still pending, and
  // the reconciliation that follows the loss puts a fresh job on the queue.
  const delay = async (job: Job<JobData>, at: number, token?: string) => {
    try {
      await job.moveToDelayed(Date.now() + Math.max(0, at - o.clock.now()), token);
    } catch (err) {
      if (!/Missing key|Missing lock/i.test(String(err))) throw err;
    }
  };
  const batcher = createBatcher((ids) => deliverByIds(d, ids, true), o.batchWindowMs ?? 5, 100);
  const processor = async (job: Job<JobData>, token?: string) => {
    const outcome = await batcher(job.data.id);
    switch (outcome.status) {
      case 'sent':
      case 'gone':
        return;
      case 'not_due':
        // Early (clock skew, or a test promoted it), claimed by a live sender, or waiting for its
        // booking's confirmation: look again then, by the app's clock.
        await delay(job, outcome.sendAt, token);
        throw new DelayedError();
      case 'retry':
        // The row decides when to retry (backoff, or longer when the provider said Retry-After).
        await delay(job, outcome.retryAt, token);
        throw new DelayedError();
      case 'failed':
        throw new UnrecoverableError(outcome.error);
    }
  };
  const worker = new Worker<JobData>(QUEUE_NAME, processor, {
    connection: o.workerConnection,
    prefix: o.prefix,
    concurrency: o.concurrency,
  });
  // Connection errors are logged by the connections themselves (once per outage, http/redis.ts).
  worker.on('error', (err) => { if (!/ECONNREFUSED|ECONNRESET|Connection is closed|ETIMEDOUT|EPIPE/.test(err.message)) o.log.warn({ err: err.message }, 'notification worker error'); });

  const jobFor = (row: { id: string; send_at: Date }) => ({
    name: 'deliver',
    data: { id: row.id },
    opts: { jobId: jobIdOf(row.id), delay: Math.max(0, row.send_at.getTime() - o.clock.now()) },
  });

  // Row locks in id order, like the worker's claims, so the two never deadlock. A row a worker has
  // meanwhile sent keeps no mark (its job is gone); one cancelled meanwhile gets it, so the removal
  // sweep takes its job out again.
  const markEnqueued = (ids: string[]) => o.db.updateTable('notifications').set({ enqueued_at: new Date(o.clock.now()) })
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id')
      .where('id', 'in', ids).where('enqueued_at', 'is', null).where('status', '!=', 'sent').orderBy('id').forUpdate())
    .execute();

  /** Repeats `step` (it handles up to `batch` rows and says how many) until a batch comes back short. */
  async function untilShort(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let n = batch; n === batch; total += n) n = await step();
    return total;
  }

  const enqueueNew = () => untilShort(async () => {
    const rows = await o.db.selectFrom('notifications').select(['id', 'send_at'])
      .where('status', '=', 'pending').where('enqueued_at', 'is', null)
      .orderBy('send_at').limit(batch).execute();
    if (rows.length > 0) {
      await queue.addBulk(rows.map(jobFor));
      await markEnqueued(rows.map((r) => r.id));
    }
    return rows.length;
  });

  const removeFinished = () => untilShort(async () => {
    const rows = await o.db.selectFrom('notifications').select('id')
      .where('status', '!=', 'pending').where('enqueued_at', 'is not', null)
      .limit(batch).execute();
    if (rows.length > 0) {
      // An active job cannot be removed; it finds its row no longer pending and completes as a no-op.
      await Promise.all(rows.map((r) => queue.remove(jobIdOf(r.id)).catch(() => 0)));
      await o.db.updateTable('notifications').set({ enqueued_at: null })
        .where('id', 'in', rows.map((r) => r.id)).where('status', '!=', 'pending').execute();
    }
    return rows.length;
  });

  /** Re-adds the pending rows (all, or only those due now) whose job Redis does not have. */
  async function reconcilePass(dueOnly: boolean): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let readded = 0;
    for (;;) {
      let q = o.db.selectFrom('notifications').select(['id', 'send_at'])
        .where('status', '=', 'pending').where('id', '>', after);
      if (dueOnly) q = q.where('send_at', '<=', new Date(o.clock.now()));
      const rows = await q.orderBy('id').limit(batch).execute();
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const pipeline = o.connection.pipeline();
      for (const r of rows) pipeline.exists(queue.toKey(jobIdOf(r.id)));
      const results = (await pipeline.exec()) ?? [];
      const missing = rows.filter((_, i) => results[i]?.[1] === 0);
      if (missing.length > 0) {
        await queue.addBulk(missing.map(jobFor));
        await markEnqueued(missing.map((r) => r.id));
        readded += missing.length;
      }
      if (rows.length < batch) break;
    }
    return readded;
  }

  return {
    queue,
    worker,
    async relay() {
      const enqueued = await enqueueNew();
      const removed = await removeFinished();
      return { enqueued, removed };
    },
    async reconcile() {
      let readded = 0;
      // Due rows first: after a loss they are the ones someone is waiting for.
      for (const dueOnly of [true, false]) readded += await reconcilePass(dueOnly);
      if (readded > 0) o.log.warn({ readded }, 'reconciliation re-enqueued notifications missing from Redis');
      await this.promoteDue();
      return readded;
    },
    async promoteDue() {
      const rows = await o.db.selectFrom('notifications').select('id')
        .where('status', '=', 'pending').where('send_at', '<=', new Date(o.clock.now()))
        // A job waiting out its retry backoff stays delayed.
        .where((w) => w.or([w('next_attempt_at', 'is', null), w('next_attempt_at', '<=', new Date(o.clock.now()))]))
        .limit(batch).execute();
      let promoted = 0;
      for (const r of rows) {
        const job = await queue.getJob(jobIdOf(r.id));
        if (job && (await job.isDelayed())) {
          await job.promote().then(() => promoted++, () => {});
        }
      }
      return promoted;
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/**
 * Groups the ids of jobs that arrive within `windowMs` (up to `max`) into one delivery call, so
 * the worker claims, reads and commits many rows per transaction. Each caller gets its own row's
 * outcome; a failed batch rejects every job in it, and BullMQ retries them.
 */
export function createBatcher(run: (ids: string[]) => Promise<Map<string, Outcome>>, windowMs: number, max: number) {
  let waiting: { id: string; resolve: (o: Outcome) => void; reject: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    run(batch.map((w) => w.id)).then(
      (outcomes) => batch.forEach((w) => w.resolve(outcomes.get(w.id) ?? { status: 'gone' })),
      (err) => batch.forEach((w) => w.reject(err)),
    );
  };
  return (id: string) => new Promise<Outcome>((resolve, reject) => {
    waiting.push({ id, resolve, reject });
    if (waiting.length >= max) flush();
    else timer ??= setTimeout(flush, windowMs);
  });
}
