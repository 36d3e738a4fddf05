// CORS from the allowlist (config plus origins the site owner adds), security headers and
// rate limits on writes (shared through Redis when configured, so limits hold across instances;
// counted per instance while Redis is down).
import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { failoverStore } from './rate-limit-store.ts';
import { securityHeaders } from './security-headers.ts';
import type { Config } from '../config.ts';

const ORIGIN_CACHE_MS = 10_000;

/**
 * What our own pages (hosted booking pages, the console) must allow for the configured video
 * provider: Daily Prebuilt is an iframe from *.daily.co that talks to *.daily.co; LiveKit is
 * our own view speaking to the LiveKit server over WebSocket (signalling) and HTTPS (its
 * validate probe). Media itself (WebRTC) is not governed by CSP. Meet and Teams open in their
 * own tab, so they need nothing here.
 */
export function videoCsp(config: Pick<Config, 'videoProvider' | 'livekit'>): { connect: string[]; frame: string[] } {
  if (config.videoProvider === 'livekit' && config.livekit) {
    const url = new URL(config.livekit.url);
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    return { connect: [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`], frame: [] };
  }
  if (config.videoProvider === 'daily') return { connect: ['https://*.daily.co', 'wss://*.daily.co'], frame: ['https://*.daily.co'] };
  return { connect: [], frame: [] };
}
export const RATE_LIMIT_HEADERS = ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

export default fp(async (app) => {
  const { config } = app;
  let cached: { at: number; origins: Set<string> } | null = null;
  async function allowedOrigins(): Promise<Set<string>> {
    if (cached && Date.now() - cached.at < ORIGIN_CACHE_MS) return cached.origins;
    const rows = await app.db.selectFrom('allowed_origins').select('origin').execute();
    cached = { at: Date.now(), origins: new Set([...config.allowedOrigins, ...rows.map((r) => r.origin)]) };
    return cached.origins;
  }
  app.decorate('invalidateOriginCache', () => { cached = null; });

  await app.register(cors, {
    // Never a reflected `*`: only listed origins get CORS headers.
    origin: (origin, cb) => {
      if (!origin) return cb(null, false);
      allowedOrigins().then((set) => cb(null, set.has(origin)), () => cb(null, false));
    },
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Request-Id'],
    // Exactly the headers @fastify/rate-limit sends (its default, non-draft names), and the request id.
    exposedHeaders: [...RATE_LIMIT_HEADERS, 'X-Request-Id'],
    maxAge: 600,
  });

  const headers = securityHeaders({
    // The widget script is embedded by other sites, so resources must be loadable cross-origin.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Specialists' photos (https URLs the owner set) on the hosted booking pages.
        'img-src': ["'self'", 'data:', 'https:'],
        'connect-src': ["'self'", ...videoCsp(config).connect],
        'frame-src': ["'self'", ...videoCsp(config).frame],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'frame-ancestors': ["'self'"],
      },
    },
  });
  // Before any handler, so every answer (errors and 404s included) carries them; a route may
  // still replace one.
  app.addHook('onRequest', (_request, reply, done) => { reply.headers(headers); done(); });

  await app.register(rateLimit, {
    global: false, // opted into per route: public writes and token checks
    // Shared through Redis while it answers, per instance while it does not (rate-limit-store.ts).
    ...(app.redis && {
      store: failoverStore(app.redis, 'bw-ratelimit-', {
        onFallback: (active, err) => (active
          ? app.log.warn({ err: err?.message }, 'Redis does not answer: rate limits are counted per instance until it does')
          : app.log.info({}, 'Redis answers again: rate limits are shared again')),
      }) as never,
    }),
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
    }),
  });
}, { name: 'security', dependencies: ['db', 'redis'] });

declare module 'fastify' {
  interface FastifyInstance {
    invalidateOriginCache: () => void;
  }
}

/** Route config for a rate-limited write: `config: writeLimit(app.config.rateLimit.writesPerMinute)`. */
export function writeLimit(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: 60_000 } };
}
