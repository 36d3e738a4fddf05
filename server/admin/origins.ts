// Embedding origins the site owner allows (CORS), besides PUBLIC_URL and ALLOWED_ORIGINS from
// the environment. Callers invalidate the CORS cache after a change (app.invalidateOriginCache).
import type { AllowedOrigin } from '../../shared/admin.ts';
import type { Db } from '../db/pool.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { WriteContext } from './store.ts';
import { normaliseOrigin } from './validate.ts';

export async function listOrigins(db: Db, configured: readonly string[]): Promise<AllowedOrigin[]> {
  const rows = await db.selectFrom('allowed_origins').select(['origin', 'created_at']).orderBy('origin').execute();
  const fromConfig = configured.map((origin) => ({ origin, source: 'config' as const, createdAt: null }));
  const added = rows.filter((r) => !configured.includes(r.origin))
    .map((r) => ({ origin: r.origin, source: 'admin' as const, createdAt: r.created_at.toISOString() }));
  return [...fromConfig, ...added];
}

/** Adds an origin (normalised); adding one that is already there is harmless. */
export async function addOrigin(db: Db, value: string, { now }: WriteContext): Promise<{ origin: AllowedOrigin; created: boolean }> {
  const origin = normaliseOrigin(value, 'body.origin');
  const inserted = await db.insertInto('allowed_origins').values({ origin, created_at: new Date(now) })
    .onConflict((oc) => oc.column('origin').doNothing()).returning(['origin', 'created_at']).executeTakeFirst();
  const row = inserted ?? (await db.selectFrom('allowed_origins').select(['origin', 'created_at']).where('origin', '=', origin).executeTakeFirstOrThrow());
  return { origin: { origin: row.origin, source: 'admin', createdAt: row.created_at.toISOString() }, created: inserted !== undefined };
}

export async function removeOrigin(db: Db, value: string, configured: readonly string[]): Promise<void> {
  const origin = normaliseOrigin(value, 'query.origin');
  const result = await db.deleteFrom('allowed_origins').where('origin', '=', origin).executeTakeFirst();
  if (result.numDeletedRows > 0n) return;
  if (configured.includes(origin)) {
    throw new HttpError(409, 'configured_origin', `${origin} comes from PUBLIC_URL or ALLOWED_ORIGINS; change the environment to remove it.`);
  }
  throw notFound('Origin');
}
