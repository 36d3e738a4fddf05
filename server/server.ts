// Entry point: validated config, embedded PostgreSQL when DATABASE_URL is unset, migrations,
// demo data, then listen. SIGINT/SIGTERM close everything in order, with a forced-exit backstop.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { createDb, describeDbError } from './db/pool.ts';
import { migrateToLatest, MigrationError } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { buildApp } from './app.ts';
import { sql } from 'kysely';
import type { App } from './http/types.ts';

const say = (msg: string) => process.stdout.write(`[booking] ${msg}\n`);
const fail = (msg: string): never => {
  process.stderr.write(`[booking] error: ${msg}\n`);
  process.exit(1);
};

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }

  let embedded: EmbeddedDatabase | null = null;
  let app: App | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: shutting down`);
    setTimeout(() => { process.stderr.write('[booking] forced exit after 10 s\n'); process.exit(1); }, 10_000).unref();
    await app?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    say('DATABASE_URL is not set: starting the embedded PostgreSQL');
    try {
      embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, say);
    } catch (err) {
      return fail(`${(err as Error).message}. Set EMBEDDED_PG_PORT to a free port or DATABASE_URL to a server.`);
    }
    databaseUrl = embedded.url;
    config = Object.freeze({ ...config, databaseUrl });
  }

  const db = createDb(databaseUrl, 2);
  try {
    await sql`SELECT 1`.execute(db);
    const applied = await migrateToLatest(db);
    if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`);
    const seeded = config.demoData && (await seedDemo(db, { now: Date.now(), payments: config.stripe !== null }));
    if (seeded) say('loaded the demo data set');
  } catch (err) {
    await db.destroy();
    await embedded?.stop().catch(() => {});
    if (err instanceof MigrationError) return fail(err.message);
    return fail(describeDbError(err, databaseUrl));
  }
  await db.destroy();

  try {
    app = await buildApp(config);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') return fail(`port ${config.port} is already in use; set PORT to a free port`);
    return fail(e.message);
  }
  say(`ready: ${config.publicUrl}  (demo page at /, API docs at /docs)`);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
