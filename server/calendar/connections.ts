// Calendar connections in the database: tokens sealed at rest, a client per connection that
// persists refreshed tokens the moment the provider hands them out, and the "broken" state.
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { CalendarConnection } from '../db/schema.ts';
import type { Log } from '../notifications/sender.ts';
import { seal, unseal } from '../security/crypto.ts';
import { providerFor } from './providers.ts';
import type { CalendarClient, StoredTokens } from './types.ts';

/** What calendar code needs from the app; a Fastify instance or a worker context both fit. */
export interface CalendarDeps {
  db: Db;
  config: Config;
  log: Log;
}

export function sealTokens(config: Config, tokens: StoredTokens): string {
  return seal(config.secretKey, JSON.stringify(tokens));
}

export function openTokens(config: Config, conn: Pick<CalendarConnection, 'tokens_encrypted'>): StoredTokens {
  return JSON.parse(unseal(config.secretKey, conn.tokens_encrypted)) as StoredTokens;
}

export function connectionsOf(db: Db, specialistId: string) {
  return db.selectFrom('calendar_connections').selectAll().where('specialist_id', '=', specialistId).orderBy('provider').execute();
}

/**
 * A provider client for the connection, or null when that provider is not configured on this
 * server. Refreshed tokens are merged into the stored set (a refresh answer may omit the
 * refresh token, which must then be kept) and sealed again.
 */
export async function clientFor(deps: CalendarDeps, conn: CalendarConnection): Promise<CalendarClient | null> {
  const provider = await providerFor(deps.config, conn.provider);
  if (provider === null) return null;
  let current = openTokens(deps.config, conn);
  return provider.client(current, async (fresh) => {
    current = { ...current, ...Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined && v !== null)) };
    await deps.db.updateTable('calendar_connections')
      .set({ tokens_encrypted: sealTokens(deps.config, current), updated_at: new Date() })
      .where('id', '=', conn.id)
      .execute();
  });
}

/**
 * The grant stopped working: the specialist sees why on their calendar status (cached busy time
 * stays), and the first time it breaks they are also told by email, through the outbox, with a
 * link to reconnect. A connection that was already broken only gets the newer reason.
 */
export async function markBroken(deps: CalendarDeps, connectionId: string, reason: string): Promise<void> {
  deps.log.warn({ connectionId, reason }, 'calendar connection broken');
  const now = new Date();
  const set = { status: 'broken' as const, last_error: reason.slice(0, 500), updated_at: now };
  await deps.db.transaction().execute(async (trx) => {
    const broke = await trx.updateTable('calendar_connections').set(set)
      .where('id', '=', connectionId).where('status', '=', 'active')
      .returning(['specialist_id', 'provider']).executeTakeFirst();
    if (!broke) {
      await trx.updateTable('calendar_connections').set(set).where('id', '=', connectionId).execute();
      return;
    }
    const specialist = await trx.selectFrom('specialists').select(['name', 'email']).where('id', '=', broke.specialist_id).executeTakeFirstOrThrow();
    await trx.insertInto('notifications').values({
      booking_id: null, kind: 'specialist.calendar_broken', channel: 'email', recipient: specialist.email,
      payload: JSON.stringify({ provider: broke.provider, reason: reason.slice(0, 200), name: specialist.name, locale: 'en' }),
      send_at: now, created_at: now, updated_at: now,
    }).execute();
  });
}
