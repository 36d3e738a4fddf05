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

/** The production defaults of the anti-abuse settings, for suites that test them. */
export const ABUSE_DEFAULTS: Record<string, string> = {
  BOOKING_CHALLENGE: 'pow',
  BOOKING_LIMIT_ACTIVE_PER_EMAIL: '3',
  BOOKING_LIMIT_ACTIVE_PER_CLIENT: '6',
  BOOKING_LIMIT_HOURLY_PER_EMAIL: '5',
  BOOKING_LIMIT_HOURLY_PER_CLIENT: '10',
  BOOKING_LIMIT_DAILY_PER_EMAIL: '10',
  BOOKING_LIMIT_DAILY_PER_CLIENT: '20',
  MAIL_CAP_PER_ADDRESS: '10',
};

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    PUBLIC_URL: 'http://localhost:3000',
    ALLOWED_ORIGINS: 'http://embedder.test',
    IN_PROCESS_WORKER: 'false',
    // Most suites book many times under one email from one address: the anti-abuse defaults are
    // exercised by tests/abuse, which turns them back on (ABUSE_DEFAULTS).
    BOOKING_CHALLENGE: 'off',
    BOOKING_LIMIT_ACTIVE_PER_EMAIL: '0',
    BOOKING_LIMIT_ACTIVE_PER_CLIENT: '0',
    BOOKING_LIMIT_HOURLY_PER_EMAIL: '0',
    BOOKING_LIMIT_HOURLY_PER_CLIENT: '0',
    BOOKING_LIMIT_DAILY_PER_EMAIL: '0',
    BOOKING_LIMIT_DAILY_PER_CLIENT: '0',
    MAIL_CAP_PER_ADDRESS: '0',
    ...env,
  });
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/**
 * Host names the tests' outbound policy knows: no test may send a DNS query off this machine,
 * so names resolve from this table (and `localhost` to loopback), anything else fails to resolve.
 */
export const TEST_HOSTS: Record<string, string> = { localhost: '127.0.0.1', 'hooks.example-public.test': '93.184.215.14' };
export async function testResolve(host: string) {
  const address = TEST_HOSTS[host.toLowerCase()];
  if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
}

export async function startTestApp(options: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase; build?: BuildOptions } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(database.url, options.env);
  const app = await buildApp(config, { clock: options.clock, poolSize: 5, resolveHost: testResolve, ...options.build });
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
