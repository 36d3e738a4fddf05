// Redis (optional): shared rate-limit state and BullMQ. Null when REDIS_URL is unset, and then
// ioredis is not even loaded (a leaner process for the embedded demo).
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null;
  }
}

export async function createRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  // maxRetriesPerRequest null is what BullMQ requires of its connections.
  return new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
}

export default fp(async (app, opts: { redisUrl: string | null }) => {
  const redis = opts.redisUrl ? await createRedis(opts.redisUrl) : null;
  redis?.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
  app.decorate('redis', redis);
  app.addHook('onClose', async () => { await redis?.quit().catch(() => redis.disconnect()); });
}, { name: 'redis' });
