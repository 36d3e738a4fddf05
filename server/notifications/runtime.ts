// Starts notification delivery for a process (the API with IN_PROCESS_WORKER, or `npm run worker`):
// BullMQ relay + worker + reconciliation when REDIS_URL is set, the table scheduler otherwise
// (and then BullMQ and ioredis are never loaded).
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/pool.ts';
import { createRedis } from '../http/redis.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createGate, type Delivery } from './deliver.ts';
import { createMailTransport } from './channels/email.ts';
import { StaleNotificationError } from './errors.ts';
import { createPoller, type Poller } from './poller.ts';
import type { BullRuntime } from './queue.ts';
import { createSender, type Log, type Sender, type Transports } from './sender.ts';

export interface RuntimeOptions {
  config: Config;
  clock: { now(): number };
  log: Log;
  /** Override REDIS_URL (tests point at TEST_REDIS_URL). Null forces the table scheduler. */
  redisUrl?: string | null;
  /** BullMQ key prefix; defaults to one per database name. */
  prefix?: string;
  /** BullMQ jobs in flight; the worker claims them in batches. */
  concurrency?: number;
  maxAttempts?: number;
  backoffMs?: number;
  /** Relay / scheduler period; 0 disables the timers (tests drive them by hand). */
  intervalMs?: number;
  reconcileEveryMs?: number;
  transports?: Partial<Transports>;
  /** Where deliveries, the backlog, BullMQ's job counts and this pool are reported. */
  metrics?: Metrics;
}

export interface NotificationRuntime {
  mode: 'bullmq' | 'table';
  db: Db;
  delivery: Delivery;
  bull: BullRuntime | null;
  poller: Poller | null;
  /** Runs the relay (or the scheduler) now rather than at the next tick: after a booking change. */
  nudge(): Promise<void>;
  close(): Promise<void>;
}

/** Coalesces calls: one run at a time, and one more after it if anyone asked meanwhile. */
function coalesced(fn: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) { again = true; return running; }
    running = (async () => {
      do { again = false; await fn(); } while (again);
    })().finally(() => { running = null; });
    return running;
  };
  return run;
}

/** Counts every send attempt by channel and outcome, whatever the channel answered. */
function counted(send: Sender, metrics: Metrics | undefined): Sender {
  if (!metrics) return send;
  return async (trx, rows) => {
    const results = await send(trx, rows);
    results.forEach((r, i) => {
      const outcome = r.status === 'fulfilled' ? 'sent' : r.reason instanceof StaleNotificationError ? 'stale' : 'failed';
      metrics.notificationDelivery(rows[i].channel, outcome);
    });
    return results;
  };
}

export const DEFAULTS = { concurrency: 64, maxAttempts: 6, backoffMs: 30_000, intervalMs: 1000, reconcileEveryMs: 5 * 60_000 };

/**
 * One queue per database: two installations (or test databases) sharing a Redis never take each
 * other's jobs, while the API and `npm run worker` of one installation meet on the same queue.
 */
export function queuePrefix(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
  return `bw-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export async function startNotifications(o: RuntimeOptions): Promise<NotificationRuntime> {
  const { config, clock, log } = o;
  if (config.databaseUrl === null) throw new Error('notifications need a database URL');
  const concurrency = o.concurrency ?? DEFAULTS.concurrency;
  // Its own pool: each batch in flight holds a connection across its sends (see deliver.ts), and
  // the API must not starve because a mail server is slow.
  const poolSize = Math.ceil(concurrency / 8) + 4;
  const db = createDb(config.databaseUrl, poolSize);
  const mail = createMailTransport(config.mail, log);
  const delivery: Delivery = {
    db, clock, log,
    send: counted(createSender({ config, db, clock, log, mail, transports: o.transports }), o.metrics),
    maxAttempts: o.maxAttempts ?? DEFAULTS.maxAttempts,
    backoffMs: o.backoffMs ?? DEFAULTS.backoffMs,
    gate: createGate(poolSize - 2),
  };
  const intervalMs = o.intervalMs ?? DEFAULTS.intervalMs;
  const redisUrl = o.redisUrl === undefined ? config.redisUrl : o.redisUrl;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
    if (ms <= 0) return;
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      fn().catch((err) => log.error({ err: String(err) }, `${what} failed`)).finally(() => { busy = false; });
    }, ms);
    t.unref();
    timers.push(t);
  };

  const unwatch = o.metrics ? [o.metrics.watchPool('notifications', db), o.metrics.watchOutbox(db, clock)] : [];
  const stopWatching = () => unwatch.splice(0).forEach((f) => f());

  if (redisUrl) {
    const { createBullRuntime } = await import('./queue.ts');
    const connection = await createRedis(redisUrl);
    const workerConnection = await createRedis(redisUrl);
    for (const c of [connection, workerConnection]) c.on('error', (err) => log.warn({ err: err.message }, 'notifications redis error'));
    const bull = createBullRuntime({ db, clock, log, connection, workerConnection, prefix: o.prefix ?? queuePrefix(config.databaseUrl), delivery, concurrency });
    // Start-up reconciliation: whatever Redis lost while we were away goes back on the queue.
    await bull.relay();
    await bull.reconcile();
    // Timer and booking changes share one coalesced relay.
    const nudge = coalesced(() => bull.relay());
    every(intervalMs, 'notification relay', nudge);
    every(o.reconcileEveryMs ?? DEFAULTS.reconcileEveryMs, 'notification reconciliation', () => bull.reconcile());
    if (o.metrics) unwatch.push(o.metrics.watchQueue(bull.queue));
    return {
      mode: 'bullmq', db, delivery, bull, poller: null, nudge,
      async close() {
        stopWatching();
        timers.forEach(clearInterval);
        await bull.close();
        await Promise.all([connection.quit().catch(() => {}), workerConnection.quit().catch(() => {})]);
        mail.close();
        await db.destroy();
      },
    };
  }

  const poller = createPoller(delivery, { intervalMs, concurrency: 2, batchSize: 20 });
  return {
    mode: 'table', db, delivery, bull: null, poller,
    // The poller's own timer and its tick() already run one drain at a time.
    nudge: async () => { await poller.tick(); },
    async close() {
      stopWatching();
      await poller.close();
      mail.close();
      await db.destroy();
    },
  };
}
