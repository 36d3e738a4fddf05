// An API instance for a test file: its own database, real HTTP when asked for.
import { loadConfig, type Config } from '../../server/config.ts';
import { buildApp, type BuildOptions, type Clock } from '../../server/app.ts';
import type { App } from '../../server/http/types.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  t: number;
  constructor(start: number | string = Date.now()) {
    this.t = typeof start === 'string' ? Date.parse(start) : start;
  }
  now() { return this.t; }
  set(t: number | string) { this.t = typeof t === 'string' ? Date.parse(t) : t; }
  advance(ms: number) { this.t += ms; }
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    PUBLIC_URL: 'http://localhost:3000',
    ALLOWED_ORIGINS: 'http://embedder.test',
    IN_PROCESS_WORKER: 'false',
    ...env,
  });
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApp(options: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase; build?: BuildOptions } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(database.url, options.env);
  const app = await buildApp(config, { clock: options.clock, poolSize: 5, ...options.build });
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
