// The console (issue 14): owner accounts, sign-in links emailed to specialists and owners, and
// the short-lived bearer sessions the console runs on (all tokens stored as SHA-256 hashes only);
// a specialist's specialty line; when a booking's summary was last emailed to the visitor; and
// an index for an endpoint's recent webhook deliveries.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE owners (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
      name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX owners_email ON owners (lower(email))`.execute(db);

  // Exactly one account per row: a specialist, an owner account, or (owner role, no account)
  // the site owner who signed in with ADMIN_TOKEN.
  await sql`
    CREATE TABLE console_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('specialist', 'owner')),
      specialist_id uuid REFERENCES specialists(id),
      owner_id uuid REFERENCES owners(id),
      method text NOT NULL CHECK (method IN ('link', 'credential', 'admin_token')),
      label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz,
      CHECK ((role = 'specialist') = (specialist_id IS NOT NULL)),
      CHECK (role = 'owner' OR owner_id IS NULL),
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX console_sessions_specialist ON console_sessions (specialist_id) WHERE specialist_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX console_sessions_owner ON console_sessions (owner_id) WHERE owner_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE sign_in_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('specialist', 'owner')),
      specialist_id uuid REFERENCES specialists(id),
      owner_id uuid REFERENCES owners(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      CHECK ((role = 'specialist') = (specialist_id IS NOT NULL)),
      CHECK ((role = 'owner') = (owner_id IS NOT NULL))
    )`.execute(db);

  await sql`ALTER TABLE specialists ADD COLUMN specialty text NOT NULL DEFAULT '' CHECK (length(specialty) <= 200)`.execute(db);
  await sql`ALTER TABLE bookings ADD COLUMN summary_sent_at timestamptz`.execute(db);
  await sql`CREATE INDEX notifications_webhook_endpoint ON notifications ((payload->>'endpointId'), created_at) WHERE channel = 'webhook'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS notifications_webhook_endpoint`.execute(db);
  await sql`ALTER TABLE bookings DROP COLUMN IF EXISTS summary_sent_at`.execute(db);
  await sql`ALTER TABLE specialists DROP COLUMN IF EXISTS specialty`.execute(db);
  await sql`DROP TABLE IF EXISTS sign_in_links`.execute(db);
  await sql`DROP TABLE IF EXISTS console_sessions`.execute(db);
  await sql`DROP TABLE IF EXISTS owners`.execute(db);
}
