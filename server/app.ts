// Builds the whole API as one Fastify instance without listening: server.ts listens, tests use
// app.inject() or listen on an ephemeral port.
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import dbPlugin from './db/plugin.ts';
import redisPlugin from './http/redis.ts';
import securityPlugin from './http/security.ts';
import docsPlugin from './http/docs.ts';
import staticPlugin from './http/static.ts';
import notificationsPlugin from './notifications/plugin.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import type { App } from './http/types.ts';
import healthRoutes from './health/routes.ts';
import availabilityRoutes from './availability/routes.ts';
import bookingRoutes from './bookings/routes.ts';
import videoRoutes from './video/routes.ts';
import calendarRoutes from './calendar/routes.ts';
import adminRoutes from './admin/routes.ts';
import specialistRoutes from './specialist/routes.ts';
import notificationRoutes from './notifications/routes.ts';
import authRoutes from './auth/routes.ts';

/** Time as the app sees it; tests replace it to move through reminders and join windows. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** Pool size per instance; tests running many apps keep it small. */
  poolSize?: number;
}

/** Headers that must never reach a log line. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'];

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  if (config.databaseUrl === null) throw new Error('buildApp needs a database URL (server.ts starts the embedded one)');
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Query strings can carry tokens (manage links): log the path only.
      serializers: { req: (req) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }) },
    },
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.register(fp(async (instance) => {
    instance.decorate('config', config);
    instance.decorate('clock', options.clock ?? systemClock);
  }, { name: 'config' }));
  app.register(dbPlugin, { databaseUrl: config.databaseUrl, poolSize: options.poolSize });
  app.register(redisPlugin, { redisUrl: config.redisUrl });
  app.register(securityPlugin);
  app.register(docsPlugin);
  app.register(staticPlugin);
  app.register(notificationsPlugin); // outbox context; relay and worker when IN_PROCESS_WORKER

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  app.register(healthRoutes);
  app.register(availabilityRoutes);
  app.register(bookingRoutes);
  app.register(videoRoutes);
  app.register(calendarRoutes);
  app.register(adminRoutes);
  app.register(specialistRoutes);
  app.register(notificationRoutes);
  app.register(authRoutes);

  await app.ready();
  return app as unknown as App;
}
