// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and
// exits non-zero with the reason when one fails.
import { ConfigError, loadConfig } from '../config.ts';
import { createRootLogger } from '../observability/log.ts';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';
import { createDb, describeDbError } from './pool.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      createRootLogger('info').child({ component: 'migrate' }).fatal({ problems: err.problems }, `invalid configuration: ${err.problems.join('; ')}`);
      return 1;
    }
    throw err;
  }
  const root = createRootLogger(config.logLevel);
  const log = root.child({ component: 'migrate' });
  let embedded = null;
  try {
    if (config.databaseUrl === null) embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, root.child({ component: 'embedded-postgres' }));
  } catch (err) {
    if (!(err instanceof EmbeddedPostgresError)) throw err;
    log.fatal({}, err.message);
    return 1;
  }
  const url = config.databaseUrl ?? embedded!.url;
  const db = createDb(url, 1);
  try {
    const applied = await migrateToLatest(db);
    log.info({ migrations: applied }, applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } catch (err) {
    log.fatal({}, `migration failed: ${err instanceof Error && err.name === 'Error' ? describeDbError(err, url) : (err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

process.exitCode = await main().catch((err) => {
  createRootLogger('info').child({ component: 'migrate' }).fatal({ err }, err instanceof Error ? err.message : String(err));
  return 1;
});
