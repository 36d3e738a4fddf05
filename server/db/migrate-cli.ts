// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and
// exits non-zero with the reason when one fails.
import { ConfigError, loadConfig } from '../config.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';
import { createDb, describeDbError } from './pool.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) { console.error(err.message); return 1; }
    throw err;
  }
  const embedded = config.databaseUrl === null ? await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, console.log) : null;
  const url = config.databaseUrl ?? embedded!.url;
  const db = createDb(url, 1);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } catch (err) {
    console.error(`migration failed: ${err instanceof Error && err.name === 'Error' ? describeDbError(err, url) : (err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

process.exitCode = await main().catch((err) => { console.error(err instanceof Error ? err.message : err); return 1; });
