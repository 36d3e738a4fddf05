// One Kysely instance over a pg Pool. Type parsers keep calendar dates as strings: a `date`
// turned into a JS Date would pick up the process's TZ, which results must never depend on.
//
// Faults: no database error may take the process down. pg emits 'error' on an idle client (the
// pool's 'error') and on a checked-out client whose backend goes away (57P01 after a restart or
// pg_terminate_backend): both have listeners here, the query in flight rejects and the pool drops
// the broken client. Every wait is bounded (`DbLimits`), so a stopped or frozen server turns into
// errors within seconds (mapped to 503 by http/errors.ts) rather than hung requests.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import { sharedReaders } from './readers.ts';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;

/** The pg pool behind each Db, for the pool gauges of /metrics. */
const pools = new WeakMap<Db, pg.Pool>();

/**
 * Server-side limits per session. `statementTimeoutMs` is PostgreSQL's statement_timeout, and the
 * client gives up one second later (query_timeout) in case the server itself is frozen;
 * `lockTimeoutMs` bounds every lock wait, the specialists' advisory locks included; a session
 * left idle inside a transaction is ended after twice the statement timeout (at least 10 s).
 */
export interface DbLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export interface DbErrorLog {
  warn(obj: object, msg: string): void;
}

/** How long a caller waits for a free connection (or a new one) before the 503. */
export const CONNECT_TIMEOUT_MS = 3000;

export function createDb(connectionString: string, max = 10, limits: DbLimits | null = null, log?: DbErrorLog): Db {
  // The session limits, on pooled and shared connections alike.
  const session = limits && {
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    query_timeout: limits.statementTimeoutMs + 1000,
  };
  const pool = new pg.Pool({
    connectionString, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true,
    // Pipelining (node-postgres): a client writes each query at once rather than after the
    // previous answer. Everything awaiting its queries one by one works as before; the booking
    // transaction (db/pipeline.ts) writes several together.
    pipeline: true,
    // Connections once opened stay open (pg-pool closes idle ones above `min` after 10 s): a
    // storm after a quiet spell then meets backends whose caches and prepared statements are
    // warm, not a round of new connections (the bookings benchmark's cold runs show the cost).
    min: max,
    ...(limits && { ...session, idle_in_transaction_session_timeout: Math.max(10_000, 2 * limits.statementTimeoutMs) }),
  });
  const report = throttledReport(log);
  // An idle client's error (server restart): the pool replaces it.
  pool.on('error', report);
  pool.on('connect', (client) => {
    // A checked-out client's error: without a listener it would be an uncaught 'error' event.
    client.on('error', report);
    if (limits) dropOnReadTimeout(client);
  });
  const shared = sharedReaders({
    connectionString, count: readerCount(max), connectTimeoutMs: CONNECT_TIMEOUT_MS, onError: report,
    session: session ?? {},
  });
  // Ending the Db (Kysely's destroy ends its dialect's pool) ends the shared readers too.
  const dialectPool = {
    connect: () => pool.connect(),
    end: async () => { await shared.end(); await pool.end(); },
    get Client() { return (pool as unknown as { Client: unknown }).Client; },
    get options() { return pool.options; },
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool as unknown as pg.Pool }) });
  pools.set(db, pool);
  readers.set(db, new Kysely<Database>({ dialect: new PostgresDialect({ pool: shared as unknown as pg.Pool }) }));
  return db;
}

/** Shared read connections per pool size (readers.ts): a fifth of it, at least one. */
const readerCount = (poolSize: number) => Math.max(1, Math.round(poolSize / 5));

const readers = new WeakMap<Db, Db>();

/**
 * Where a single-statement read that needs no transaction should run: the Db's shared readers
 * (readers.ts) when `db` is a Db made by createDb; `db` itself when it is a transaction or a
 * connection of one (its reads must see what it holds).
 */
export function readerFor(db: Db): Db {
  return readers.get(db) ?? db;
}

/**
 * A connection whose server did not answer within query_timeout (a frozen server) is closed: its
 * late answer would belong to no query, and the ROLLBACK that follows must fail at once rather
 * than wait out a second timeout. The pool then drops it and opens a fresh one when asked.
 */
function dropOnReadTimeout(client: pg.PoolClient): void {
  // The prototype's method is looked up at each call, so whatever wraps it (a test's query counter) still applies.
  const proto = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = proto.query.apply(client, args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if ((err as Error | null)?.message === 'Query read timeout') {
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        }
      });
    }
    return result;
  };
}

/** One warning per minute at most: an outage must not write a line per connection per second. */
function throttledReport(log: DbErrorLog | undefined): (err: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    if (!log) return;
    const now = Date.now();
    if (now - last < 60_000) { suppressed++; return; }
    log.warn({ err: err.message, code: (err as { code?: string }).code, suppressed }, 'database connection error');
    last = now;
    suppressed = 0;
  };
}

/** The pg pool behind a Db made by createDb. */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('not a Db made by createDb');
  return pool;
}

/** Connections of the Db's pool: open, idle, and requests waiting for one. */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

/** A readable reason for a connection failure, without credentials. */
export function describeDbError(err: unknown, connectionString: string): string {
  const url = new URL(connectionString);
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  const e = err as { code?: string; message?: string };
  return `cannot use PostgreSQL at ${where}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`;
}

/**
 * The database could not do its part, through no fault of the request: unreachable, restarting,
 * out of connections, too slow (statement timeout), or a lock not granted in time. Answered with
 * 503 + Retry-After; `busy` (a lock or a pooled connection not granted in time: the server is
 * loaded, retry soon) is told from `unavailable` (the database itself does not answer).
 */
export function databaseFault(err: unknown): 'unavailable' | 'busy' | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === '55P03') return 'busy'; // lock_not_available: lock_timeout
  if (/timeout exceeded when trying to connect/.test(message)) return 'busy';
  // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 57014: statement
  // timeout (query_canceled); 53: insufficient resources; 25P03: idle-in-transaction timeout.
  if (/^(08|53)/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '57014' || code === '25P03') return 'unavailable';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return 'unavailable';
  if (/Connection terminated|Query read timeout|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)/i.test(message)) {
    return 'unavailable';
  }
  return null;
}
