// Entry point: validated config, embedded PostgreSQL when DATABASE_URL is unset, migrations,
// demo data, then listen. SIGINT/SIGTERM close everything in order (the API drains its requests
// before the database stops), with a forced-exit backstop. Every line, start-up failures
// included, is in the one pino format (server/observability/log.ts).
import { ConfigError, loadConfig, type Config } from './config.ts';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { createDb, describeDbError } from './db/pool.ts';
import { migrateToLatest, MigrationError } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { buildApp } from './app.ts';
import { sql } from 'kysely';
import type { App } from './http/types.ts';
import { createLogger, createRootLogger, fatal } from './observability/log.ts';
import { listenMetrics, type MetricsListener } from './observability/metrics-server.ts';
import { releaseStartupMemory } from './runtime/heap.ts';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      return fatal(createLogger('info', 'server'), `invalid configuration: ${err.problems.join('; ')}`, { problems: err.problems });
    }
    throw err;
  }
  const root = createRootLogger(config.logLevel);
  const log = root.child({ component: 'server' });

  let embedded: EmbeddedDatabase | null = null;
  let app: App | null = null;
  let metrics: MetricsListener | null = null;
  let closing = false;
  const shutdown = async (reason: string, code = 0) => {
    if (closing) return;
    closing = true;
    log.info({ reason }, `${reason}: shutting down`);
    // Longer than the slowest send of an in-process worker, so a deploy repeats no notification.
    setTimeout(() => { log.error({}, `forced exit: shutdown took longer than ${config.shutdownGraceMs / 1000} s`); process.exit(1); }, config.shutdownGraceMs).unref();
    await metrics?.close().catch(() => {});
    await app?.close().catch((err) => log.error({ err }, 'closing the API failed'));
    await embedded?.stop().catch((err) => log.error({ err }, 'stopping the embedded PostgreSQL failed'));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A promise nobody awaited (a background task hit by a database fault) is logged, not fatal.
  process.on('unhandledRejection', (err) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'unhandled rejection'));

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    log.info({}, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    try {
      embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, root.child({ component: 'embedded-postgres' }));
    } catch (err) {
      if (err instanceof EmbeddedPostgresError) return fatal(log, err.message);
      throw err;
    }
    embedded.onUnexpectedExit((why) => { log.fatal({}, why); void shutdown('the embedded PostgreSQL stopped', 1); });
    databaseUrl = embedded.url;
    config = Object.freeze({ ...config, databaseUrl });
  }

  const db = createDb(databaseUrl, 2);
  try {
    await sql`SELECT 1`.execute(db);
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, `applied migrations: ${applied.join(', ')}`);
    const seeded = config.demoData && (await seedDemo(db, { now: Date.now(), payments: config.stripe !== null }));
    if (seeded) log.info({}, 'loaded the demo data set');
  } catch (err) {
    await db.destroy();
    await embedded?.stop().catch(() => {});
    if (err instanceof MigrationError) return fatal(log, err.message);
    return fatal(log, describeDbError(err, databaseUrl));
  }
  await db.destroy();

  try {
    app = await buildApp(config, { log: root.child({ component: 'api' }) });
    await app.listen({ port: config.port, host: config.host });
    if (config.metrics.port !== null) metrics = await listenMetrics(app.metrics, config.metrics, log);
  } catch (err) {
    await app?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      const which = e.port === config.metrics.port ? 'METRICS_PORT' : 'PORT';
      return fatal(log, `port ${e.port ?? config.port} is already in use; set ${which} to a free port`);
    }
    return fatal(log, e.message, { err });
  }
  releaseStartupMemory();
  const pages = config.nodeEnv === 'production' ? 'API docs at /docs' : 'demo page at /, API docs at /docs';
  log.info({ url: config.publicUrl }, `ready: ${config.publicUrl}  (${pages})`);
  if (config.adminTokenFile) log.info({ file: config.adminTokenFile }, `site owner: sign in at ${config.publicUrl}/console with the key in ${config.adminTokenFile}`);
}

main().catch((err) => {
  createLogger('info', 'server').fatal({ err }, err instanceof Error ? err.message : String(err));
  process.exit(1);
});
