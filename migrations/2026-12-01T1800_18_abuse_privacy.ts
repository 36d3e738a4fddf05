// Abuse limits and privacy: who made a booking (pseudonymous keys the booking limits count),
// when a pending request expires, verified visitor emails (one-time codes and short sessions),
// single-use proof-of-work challenges, provider webhook receipts against replays, and the mark
// an anonymised (erased or retained-out) booking carries.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      ADD COLUMN email_key text,
      ADD COLUMN client_key text,
      ADD COLUMN pending_expires_at timestamptz,
      ADD COLUMN anonymised_at timestamptz`.execute(db);
  // The limits count a visitor's (and a client's) bookings under their per-email / per-client lock.
  await sql`CREATE INDEX bookings_email_key ON bookings (email_key, created_at) WHERE email_key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX bookings_client_key ON bookings (client_key, created_at) WHERE client_key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX bookings_pending_expiry ON bookings (pending_expires_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX bookings_retention ON bookings (ends_at) WHERE anonymised_at IS NULL`.execute(db);
  // A pending request that nobody answered is cancelled by the system.
  await sql`ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_cancelled_by_check`.execute(db);
  await sql`ALTER TABLE bookings ADD CONSTRAINT bookings_cancelled_by_check CHECK (cancelled_by IN ('visitor', 'specialist', 'admin', 'system'))`.execute(db);
  // Notifications without a booking (a verification code) are looked up by recipient for the mail cap.
  await sql`CREATE INDEX notifications_recipient ON notifications (lower(recipient), created_at) WHERE channel = 'email'`.execute(db);

  await sql`
    CREATE TABLE email_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email_hash text NOT NULL,
      code_hash text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX email_verifications_email ON email_verifications (email_hash, created_at)`.execute(db);

  await sql`
    CREATE TABLE visitor_sessions (
      token_hash text PRIMARY KEY,
      email text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX visitor_sessions_email ON visitor_sessions (lower(email))`.execute(db);

  await sql`
    CREATE TABLE verified_emails (
      email_hash text PRIMARY KEY,
      verified_at timestamptz NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE used_challenges (
      id text PRIMARY KEY,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX used_challenges_expiry ON used_challenges (expires_at)`.execute(db);

  await sql`
    CREATE TABLE webhook_receipts (
      provider text NOT NULL,
      delivery_id text NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (provider, delivery_id)
    )`.execute(db);
  await sql`CREATE INDEX webhook_receipts_age ON webhook_receipts (received_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['webhook_receipts', 'used_challenges', 'verified_emails', 'visitor_sessions', 'email_verifications']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP INDEX IF EXISTS notifications_recipient`.execute(db);
  await sql`ALTER TABLE bookings DROP CONSTRAINT IF EXISTS bookings_cancelled_by_check`.execute(db);
  await sql`ALTER TABLE bookings ADD CONSTRAINT bookings_cancelled_by_check CHECK (cancelled_by IN ('visitor', 'specialist', 'admin'))`.execute(db);
  await sql`
    ALTER TABLE bookings
      DROP COLUMN IF EXISTS anonymised_at, DROP COLUMN IF EXISTS pending_expires_at,
      DROP COLUMN IF EXISTS client_key, DROP COLUMN IF EXISTS email_key`.execute(db);
}
