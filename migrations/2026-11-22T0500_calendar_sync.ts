// Calendar sync: whether the provider emails the visitor about the event it adds (per
// connection, default none: the visitor already gets our own confirmation), a claim so that
// several API instances' background refreshers do not fetch the same connection at once, and an
// index for replacing a connection's cached busy rows.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE calendar_connections
      ADD COLUMN send_updates text NOT NULL DEFAULT 'none' CHECK (send_updates IN ('all', 'externalOnly', 'none')),
      ADD COLUMN busy_refresh_claimed_until timestamptz`.execute(db);
  await sql`CREATE INDEX external_busy_connection ON external_busy (connection_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS external_busy_connection`.execute(db);
  await sql`ALTER TABLE calendar_connections DROP COLUMN IF EXISTS busy_refresh_claimed_until, DROP COLUMN IF EXISTS send_updates`.execute(db);
}
