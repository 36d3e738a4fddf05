// Liveness (the process answers) and readiness (its dependencies answer).
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

  app.get('/ready', { schema: { tags: ['health'], response: { 200: Readiness, 503: Readiness } } }, async (_req, reply) => {
    const checks: Record<string, 'ok' | 'fail' | 'not_configured'> = {};
    checks.database = await within(2000, sql`SELECT 1`.execute(app.db)).then(() => 'ok' as const, () => 'fail' as const);
    checks.redis = app.redis === null ? 'not_configured'
      : await within(2000, app.redis.ping()).then(() => 'ok' as const, () => 'fail' as const);
    const ok = !Object.values(checks).includes('fail');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
