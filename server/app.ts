// Builds the whole API as one Fastify instance without listening: server.ts listens, tests use
// app.inject() or listen on an ephemeral port.
import Fastify from 'fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import fp from 'fastify-plugin';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import dbPlugin from './db/plugin.ts';
import redisPlugin from './http/redis.ts';
import securityPlugin from './http/security.ts';
import docsPlugin from './http/docs.ts';
import staticPlugin from './http/static.ts';
import compressionPlugin from './http/compression.ts';
import observabilityPlugin from './observability/plugin.ts';
import { requestIdFrom } from './observability/request-id.ts';
import notificationsPlugin from './notifications/plugin.ts';
import { clientErrorHandler, errorHandler, frameworkErrorHandler, notFoundHandler } from './http/errors.ts';
import { registerStrictFormats } from './http/dates.ts';
import { configuredChallenge, type ChallengeVerifier } from './abuse/challenge.ts';
import type { OutboundPolicy } from './security/outbound.ts';
import type { App } from './http/types.ts';
import { createLogger, type Logger } from './observability/log.ts';
import healthRoutes from './health/routes.ts';
import availabilityRoutes from './availability/routes.ts';
import bookingPages from './pages/booking-pages.ts';
import intakeFileRoutes from './intake-files/routes.ts';
import bookingRoutes from './bookings/routes.ts';
import videoRoutes from './video/routes.ts';
import calendarRoutes from './calendar/routes.ts';
import adminRoutes from './admin/routes.ts';
import specialistRoutes from './specialist/routes.ts';
import notificationRoutes from './notifications/routes.ts';
import paymentRoutes from './payments/routes.ts';
import visitorRoutes from './visitors/routes.ts';
import privacyRoutes from './privacy/routes.ts';
import maintenancePlugin from './maintenance/plugin.ts';
import authRoutes from './auth/routes.ts';
import reviewRoutes from './reviews/routes.ts';
import pushRoutes from './push/routes.ts';
import templateRoutes from './notifications/template-routes.ts';

/** Time as the app sees it; tests replace it to move through reminders and join windows. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
    /** What POST /api/bookings asks of anonymous callers (proof of work, a CAPTCHA, or nothing). */
    bookingChallenge: ChallengeVerifier;
    /** Where the site owner's URLs (webhooks) may point. */
    outboundPolicy: OutboundPolicy;
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** Pool size per instance instead of DATABASE_POOL_SIZE; tests running many apps keep it small. */
  poolSize?: number;
  /** The process's logger (server.ts passes its own, so start-up and requests share one stream). */
  log?: Logger;
  /** The built widget to serve (default dist/widget); tests build their own copy. */
  widgetDir?: string;
  /** A third-party CAPTCHA instead of the built-in proof of work (BOOKING_CHALLENGE). */
  challenge?: ChallengeVerifier;
  /** Name resolution for the outbound URL policy; tests answer it themselves (no DNS traffic). */
  resolveHost?: OutboundPolicy['resolve'];
}

/**
 * Validators per request part. JSON bodies are typed already, so nothing is coerced there: an
 * array where one value is expected (`"specialist": ["x"]`) or a number where a string is
 * expected is a 400, not silently unwrapped. Query strings, path parameters and headers arrive
 * as text and are coerced to the schema's scalar types; a repeated query key stays an array
 * (allowed only where the schema says array). Dates and instants use the strict formats.
 */
function validatorFactory() {
  const pool = AjvCompiler();
  const base = { removeAdditional: false, allErrors: false } as const;
  return (externalSchemas: unknown, ajvOptions: Record<string, unknown>) => {
    const make = (coerceTypes: false | 'array') => pool(externalSchemas as Parameters<typeof pool>[0], {
      ...ajvOptions, customOptions: { ...base, coerceTypes }, onCreate: registerStrictFormats,
    } as Parameters<typeof pool>[1]);
    const body = make(false);
    const text = make('array');
    return (route: { httpPart?: string }) => (route.httpPart === 'body' ? body : text)(route as Parameters<typeof body>[0]);
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  if (config.databaseUrl === null) throw new Error('buildApp needs a database URL (server.ts starts the embedded one)');
  const app = Fastify({
    loggerInstance: options.log ?? createLogger(config.logLevel, 'api'),
    trustProxy: config.trustProxy,
    // The caller's X-Request-Id when it is a sane token, else a fresh id (observability/request-id.ts).
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: 64 * 1024,
    schemaController: { compilersFactory: { buildValidator: validatorFactory() as never } },
    // Framework and HTTP-parser errors answer in the one { error, message } shape too.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.register(fp(async (instance) => {
    instance.decorate('config', config);
    instance.decorate('clock', options.clock ?? systemClock);
    instance.decorate('bookingChallenge', options.challenge ?? configuredChallenge(config));
    instance.decorate('outboundPolicy', { allowPrivate: config.webhookAllowPrivateTargets, resolve: options.resolveHost });
  }, { name: 'config' }));
  app.register(dbPlugin, { databaseUrl: config.databaseUrl, poolSize: options.poolSize ?? config.databasePoolSize, limits: config.database });
  app.register(observabilityPlugin); // request ids, latency histogram, app.metrics, /metrics
  app.register(compressionPlugin); // before every route: it hooks routes as they are added
  app.register(redisPlugin, { redisUrl: config.redisUrl });
  app.register(securityPlugin);
  app.register(docsPlugin);
  app.register(staticPlugin, { widgetDir: options.widgetDir });
  app.register(notificationsPlugin); // outbox context; relay and worker when IN_PROCESS_WORKER

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  app.register(healthRoutes);
  app.register(availabilityRoutes);
  app.register(bookingPages); // /book/...: the hosted booking pages
  app.register(bookingRoutes);
  app.register(intakeFileRoutes); // documents of file questions: its own body parser
  app.register(videoRoutes);
  app.register(calendarRoutes);
  app.register(adminRoutes);
  app.register(specialistRoutes);
  app.register(notificationRoutes);
  app.register(paymentRoutes);
  app.register(visitorRoutes);
  app.register(privacyRoutes);
  app.register(maintenancePlugin); // pending expiry, retention, clean-up: timers outside tests
  app.register(authRoutes);
  app.register(reviewRoutes);
  app.register(pushRoutes);
  app.register(templateRoutes);

  await app.ready();
  return app as unknown as App;
}
