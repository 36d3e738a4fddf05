// One Kysely instance over a pg Pool. Type parsers keep calendar dates as strings: a `date`
// turned into a JS Date would pick up the process's TZ, which results must never depend on.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;

/** The pg pool behind each Db, for the pool gauges of /metrics. */
const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
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
