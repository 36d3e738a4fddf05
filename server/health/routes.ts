// Liveness (the process answers) and readiness (its dependencies answer). Readiness is what a load
// balancer acts on, so it fails (503) only when this instance cannot serve: the database is the
// source of truth and required. Redis is not needed to book (rate limits fall back to per-instance
// counts, notifications wait in the outbox), so a Redis outage answers 200 `degraded` with the
// failing check named, for monitoring rather than for rotation.
import { sql } from 'kysely';
import { Health, Readiness } from '../../shared/schemas.ts';
import type { App } from '../http/types.ts';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); });
  try { return await Promise.race([p, timeout]); } finally { clearTimeout(timer); }
}

export default async function healthRoutes(app: App) {
  app.get('/health', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get('/ready', {
    schema: {
      tags: ['health'],
      description: '200 `ok` or `degraded` (serving; an optional dependency such as Redis is down), 503 `unavailable` (the database does not answer).',
      response: { 200: Readiness, 503: Readiness },
    },
  }, async (_req, reply) => {
    const checks: Record<string, 'ok' | 'fail' | 'not_configured'> = {};
    checks.database = await within(2000, sql`SELECT 1`.execute(app.db)).then(() => 'ok' as const, () => 'fail' as const);
    checks.redis = app.redis === null ? 'not_configured'
      : await within(1000, app.redis.ping()).then(() => 'ok' as const, () => 'fail' as const);
    const status = checks.database === 'fail' ? 'unavailable' : checks.redis === 'fail' ? 'degraded' : 'ok';
    return reply.status(status === 'unavailable' ? 503 : 200).send({ status, checks });
  });
}
