// Redis (optional): shared rate-limit state and BullMQ. Null when REDIS_URL is unset, and then
// ioredis is not even loaded (a leaner process for the embedded demo).
//
// Redis is optional at run time too: bookings never wait on it. The API's connection (rate
// limits, readiness) fails a command at once while disconnected (no offline queue), bounds each
// one (commandTimeout) and never retries a request, so the limiter's fallback really runs.
// BullMQ's connections are separate (it needs maxRetriesPerRequest null and its offline queue).
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null;
  }
}

export interface RedisLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A command on the API's connection waits at most this long. */
export const COMMAND_TIMEOUT_MS = 250;

/**
 * `commands`: the API's connection (fail fast); `bullmq`: a queue or worker connection. Either
 * reconnects for ever, at most every 2 s; an outage is logged once (with a count when it ends),
 * not once a second per connection.
 */
export async function createRedis(url: string, kind: 'commands' | 'bullmq', log?: RedisLog, name: string = kind): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const retryStrategy = (times: number) => Math.min(100 * 2 ** times, 2000);
  const redis = kind === 'commands'
    ? new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS, connectTimeout: 2000, retryStrategy })
    : new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 2000, retryStrategy });
  let down: { since: number; errors: number } | null = null;
  redis.on('error', (err) => {
    if (down) { down.errors++; return; }
    down = { since: Date.now(), errors: 1 };
    log?.warn({ err: err.message, connection: name }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    log?.info({ connection: name, downMs: Date.now() - down.since, errors: down.errors }, 'Redis connection restored');
    down = null;
  });
  return redis;
}

export default fp(async (app, opts: { redisUrl: string | null }) => {
  const redis = opts.redisUrl ? await createRedis(opts.redisUrl, 'commands', app.log, 'api') : null;
  app.decorate('redis', redis);
  app.addHook('onClose', async () => { await redis?.quit().catch(() => redis.disconnect()); });
}, { name: 'redis' });
