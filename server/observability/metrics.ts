// Prometheus metrics (prom-client) for one app or worker process. Counters and the latency
// histogram are updated as things happen; gauges (database pools, the notification backlog,
// BullMQ's job counts) are read when Prometheus scrapes. Labels take bounded values only:
// route templates, error codes, channel names, never ids or raw URLs.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { poolStats } from '../db/pool.ts';

/** What the scrape-time gauges read from the BullMQ queue (its getJobCounts). */
export interface QueueCounts {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export interface Metrics {
  readonly contentType: string;
  /** The exposition text: this registry's metrics and the process's (CPU, memory, event loop). */
  render(): Promise<string>;
  observeRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void;
  bookingCreated(): void;
  bookingRefused(reason: string): void;
  notificationDelivery(channel: string, outcome: 'sent' | 'failed' | 'stale'): void;
  /** Pools to report (label `pool`); removed with the returned function. */
  watchPool(name: string, db: Db): () => void;
  /** The outbox whose pending rows are the notification backlog. */
  watchOutbox(db: Db, clock: { now(): number }): () => void;
  watchQueue(queue: QueueCounts): () => void;
}

/** Default metrics live once per process (they watch the process, not an app). */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A gauge read at scrape time must not hang the scrape on a slow database. */
const SCRAPE_QUERY_TIMEOUT_MS = 2000;
function within<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), SCRAPE_QUERY_TIMEOUT_MS); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const QUEUE_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children', 'failed'];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const pools = new Map<string, Db>();
  const outboxes = new Set<{ db: Db; clock: { now(): number } }>();
  const queues = new Set<QueueCounts>();

  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const created = new Counter({ name: 'bookings_created_total', help: 'Bookings created (idempotent replays not counted)', registers });
  const refused = new Counter({
    name: 'bookings_refused_total',
    help: 'Booking requests refused, by error code (slot_taken, outside_hours, rate_limited, invalid_request...)',
    labelNames: ['reason'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'notification_deliveries_total',
    help: 'Notification send attempts by channel and outcome (sent; failed: retried or given up; stale: the booking changed)',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by pool and state (total, idle, waiting: requests queued for a connection)',
    labelNames: ['pool', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, db] of pools) {
        const s = poolStats(db);
        if (!s) continue;
        this.set({ pool: name, state: 'total' }, s.total);
        this.set({ pool: name, state: 'idle' }, s.idle);
        this.set({ pool: name, state: 'waiting' }, s.waiting);
      }
    },
  });
  new Gauge({
    name: 'notifications_pending',
    help: 'Outbox rows still to send: due (the backlog: should stay near zero) or scheduled (future reminders)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { db, clock } of outboxes) {
        const { rows } = await within(sql<{ due: number; scheduled: number }>`
          SELECT count(*) FILTER (WHERE send_at <= ${new Date(clock.now())})::int AS due,
                 count(*) FILTER (WHERE send_at > ${new Date(clock.now())})::int AS scheduled
          FROM notifications WHERE status = 'pending'`.execute(db)).catch(() => ({ rows: [] }));
        if (rows[0]) {
          this.inc({ state: 'due' }, rows[0].due);
          this.inc({ state: 'scheduled' }, rows[0].scheduled);
        }
      }
    },
  });
  new Gauge({
    name: 'notification_queue_jobs',
    help: 'BullMQ notification jobs by state (only with REDIS_URL)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await within(queue.getJobCounts(...QUEUE_STATES)).catch(() => null);
        for (const [state, n] of Object.entries(counts ?? {})) this.inc({ state }, n);
      }
    },
  });

  return {
    contentType: registry.contentType,
    async render() {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    },
    observeRequest(method, route, statusCode, seconds) {
      http.observe({ method, route: route ?? 'unmatched', status_code: String(statusCode) }, seconds);
    },
    bookingCreated: () => created.inc(),
    bookingRefused: (reason) => refused.inc({ reason }),
    notificationDelivery: (channel, outcome) => deliveries.inc({ channel, outcome }),
    watchPool(name, db) {
      pools.set(name, db);
      return () => { pools.delete(name); };
    },
    watchOutbox(db, clock) {
      const entry = { db, clock };
      outboxes.add(entry);
      return () => { outboxes.delete(entry); };
    },
    watchQueue(queue) {
      queues.add(queue);
      return () => { queues.delete(queue); };
    },
  };
}
