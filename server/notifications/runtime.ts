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
import { every } from '../runtime/supervise.ts';
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
  return async (db, rows) => (await send(db, rows)).map((p, i) => p.then(
    () => { metrics.notificationDelivery(rows[i]!.channel, 'sent'); },
    (err: unknown) => {
      metrics.notificationDelivery(rows[i]!.channel, err instanceof StaleNotificationError ? 'stale' : 'failed');
      throw err;
    },
  ));
}

export const DEFAULTS = { concurrency: 64, maxAttempts: 6, backoffMs: 30_000, intervalMs: 1000, reconcileEveryMs: 5 * 60_000 };

/** The BullMQ queue's name (queue.ts owns it; repeated here so the table mode never loads BullMQ). */
const QUEUE_NAME = 'notifications';

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
  // Its own pool, so the API never starves because a mail server is slow. No connection is held
  // across a send (see deliver.ts): claims and results are single statements.
  const poolSize = Math.ceil(concurrency / 8) + 4;
  const db = createDb(config.databaseUrl, poolSize, config.database, log);
  const mail = createMailTransport(config.mail, log);
  const delivery: Delivery = {
    db, clock, log,
    send: counted(createSender({ config, db, clock, log, mail, transports: o.transports }), o.metrics),
    maxAttempts: o.maxAttempts ?? DEFAULTS.maxAttempts,
    backoffMs: o.backoffMs ?? DEFAULTS.backoffMs,
    leaseMs: config.notificationLeaseMs,
    gate: createGate(poolSize - 2),
  };
  const intervalMs = o.intervalMs ?? DEFAULTS.intervalMs;
  const redisUrl = o.redisUrl === undefined ? config.redisUrl : o.redisUrl;
  const stops: (() => void)[] = [];
  const loop = (ms: number, what: string, fn: () => Promise<unknown>) => {
    if (ms > 0) stops.push(every(ms, what, log, fn));
  };

  const unwatch = o.metrics ? [o.metrics.watchPool('notifications', db), o.metrics.watchOutbox(db, clock)] : [];
  const stopWatching = () => unwatch.splice(0).forEach((f) => f());

  if (redisUrl) {
    const { createBullRuntime } = await import('./queue.ts');
    const connection = await createRedis(redisUrl, 'bullmq', log, 'notifications-queue');
    const workerConnection = await createRedis(redisUrl, 'bullmq', log, 'notifications-worker');
    const prefix = o.prefix ?? queuePrefix(config.databaseUrl);
    const bull = createBullRuntime({ db, clock, log, connection, workerConnection, prefix, delivery, concurrency });
    // Whatever Redis lost (a restart without persistence, a flush, our own absence) goes back on
    // the queue as soon as we can tell, not at the next periodic reconciliation: at start-up, when
    // a connection comes back, and when the marker a reconciliation leaves in Redis is gone.
    const marker = `${prefix}:${QUEUE_NAME}:reconciled`;
    let reconcileNeeded = true;
    connection.on('ready', () => { reconcileNeeded = true; });
    const sync = coalesced(async () => {
      if (!reconcileNeeded && (await connection.exists(marker)) === 0) reconcileNeeded = true;
      if (reconcileNeeded) {
        reconcileNeeded = false;
        try {
          await bull.reconcile();
          await connection.set(marker, String(clock.now()));
        } catch (err) {
          reconcileNeeded = true;
          throw err;
        }
      }
      await bull.relay();
    });
    // Start-up waits a little for the first sync, never for an absent Redis or database.
    await Promise.race([sync().catch((err) => log.warn({ err: String(err) }, 'start-up reconciliation failed; retrying in the background')),
      new Promise((r) => { setTimeout(r, 3000).unref(); })]);
    // Timer and booking changes share one coalesced run.
    const nudge = sync;
    loop(intervalMs, 'notification relay', nudge);
    loop(o.reconcileEveryMs ?? DEFAULTS.reconcileEveryMs, 'notification reconciliation', async () => { reconcileNeeded = true; await sync(); });
    if (o.metrics) unwatch.push(o.metrics.watchQueue(bull.queue));
    return {
      mode: 'bullmq', db, delivery, bull, poller: null, nudge,
      async close() {
        stopWatching();
        stops.forEach((stop) => stop());
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
