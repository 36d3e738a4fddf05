// Small helpers the management services share: transactions that compose, lookups by id or
// slug, who offers what, and the translation of a unique-key race into the API's 409.
import type { Db } from '../db/pool.ts';
import { HttpError } from '../http/errors.ts';
import { isUuid } from '../../shared/ids.ts';

/** What a write needs from its caller: the time (the app's clock, so tests control it). */
export interface WriteContext {
  now: number;
  /** Stripe is configured: services may take payment online. */
  paymentsEnabled?: boolean;
}

/** Whether listings include archived records. */
export type ArchiveFilter = 'include' | 'exclude' | 'only';

/** Runs `fn` in a transaction, or inside the caller's when `db` already is one (the demo seed). */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}


/** What an `:id` path parameter addresses: a uuid is an id (slugs never look like one), anything else a slug. */
export function lookupKey(value: string): { column: 'id' | 'slug'; key: string } {
  return isUuid(value) ? { column: 'id', key: value.toLowerCase() } : { column: 'slug', key: value };
}

/** Awaits a write; a violated unique slug (two admins, one name) becomes 409 slug_taken. */
export async function guardSlug<T>(write: Promise<T>, slug: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && typeof e.constraint === 'string' && e.constraint.endsWith('_slug_key')) {
      throw new HttpError(409, 'slug_taken', `The slug "${slug}" is already in use (archived records keep theirs).`, { field: 'body.slug' });
    }
    throw err;
  }
}

/**
 * For each id, the ids linked to it through specialist_services, sorted: `from` is the column
 * the given ids are in (a specialist's services, or a service's specialists).
 */
export async function linkedIds(db: Db, from: 'specialist_id' | 'service_id', ids: string[]): Promise<Map<string, string[]>> {
  const to = from === 'specialist_id' ? 'service_id' : 'specialist_id';
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('specialist_services').select(['specialist_id', 'service_id']).where(from, 'in', ids).orderBy(to).execute();
  for (const r of rows) map.get(r[from])?.push(r[to]);
  return map;
}

export const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
