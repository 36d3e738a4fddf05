// Each test file gets its own database, cloned from a template that holds the migrated schema
// (cloning takes milliseconds; migrating every file would not). The template's name carries a
// hash of migrations/, so a changed migration builds a new one.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../../server/db/pool.ts';
import { migrateToLatest, migrationsDir } from '../../server/db/migrate.ts';

/** The server tests use: set by tests/run.ts (a local server or an embedded one). */
export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function templateName(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) hash.update(f).update(readFileSync(path.join(migrationsDir, f)));
  return `bw_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function adminQuery<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try { return await fn(client); } finally { await client.end(); }
}

async function ensureTemplate(): Promise<string> {
  const name = templateName();
  await adminQuery(async (c) => {
    // Serialise template creation across concurrently starting test files.
    await c.query('SELECT pg_advisory_lock(774411)');
    try {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await c.query(`DROP DATABASE IF EXISTS ${building}`);
      await c.query(`CREATE DATABASE ${building}`);
      const db = createDb(withDatabase(serverUrl(), building), 1);
      try { await migrateToLatest(db); } finally { await db.destroy(); }
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(774411)');
    }
  });
  return name;
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file (`empty`: not migrated at all). */
export async function createTestDatabase(o: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `bw_t_${randomBytes(6).toString('hex')}`;
  const template = o.empty ? null : await ensureTemplate();
  await adminQuery((c) => c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl(), name);
  const db = createDb(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await adminQuery((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
