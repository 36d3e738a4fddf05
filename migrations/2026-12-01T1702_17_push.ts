// Issue 17: Web Push to the console. A specialist's browser subscriptions (endpoint and the keys
// the payload is encrypted to, RFC 8291), pruned when the push service says they are gone, and a
// `push` channel for outbox rows (one row per message; it fans out to the subscriptions at send).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE push_subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id) ON DELETE CASCADE,
      endpoint text NOT NULL UNIQUE CHECK (length(endpoint) <= 2000),
      p256dh text NOT NULL CHECK (length(p256dh) <= 200),
      auth text NOT NULL CHECK (length(auth) <= 100),
      label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_success_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX push_subscriptions_specialist ON push_subscriptions (specialist_id)`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('email', 'sms', 'webhook', 'calendar', 'payment', 'push'))`.execute(db);
}
