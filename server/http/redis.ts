// Redis (optional): shared rate-limit state and BullMQ. Null when REDIS_URL is unset.
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null;
  }
}

export function createRedis(url: string): Redis {
  // maxRetriesPerRequest null is what BullMQ requires of its connections.
  return new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
}

export default fp(async (app, opts: { redisUrl: string | null }) => {
  const redis = opts.redisUrl ? createRedis(opts.redisUrl) : null;
  redis?.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
  app.decorate('redis', redis);
  app.addHook('onClose', async () => { await redis?.quit().catch(() => redis.disconnect()); });
}, { name: 'redis' });
