// The whole booking domain. Frozen: later changes go in new dated migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);

  await sql`
    CREATE TABLE specialists (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      email text NOT NULL,
      timezone text NOT NULL,
      bio text NOT NULL DEFAULT '',
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Specialist credentials: bearer tokens, stored as SHA-256 hashes only.
  await sql`
    CREATE TABLE specialist_credentials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      token_hash text NOT NULL UNIQUE,
      label text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE services (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '',
      duration_min integer NOT NULL CHECK (duration_min BETWEEN 5 AND 1440),
      price_cents integer CHECK (price_cents >= 0),
      currency char(3) CHECK (currency ~ '^[A-Z]{3}$'),
      buffer_before_min integer NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 1440),
      buffer_after_min integer NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 1440),
      slot_step_min integer CHECK (slot_step_min BETWEEN 5 AND 1440),
      min_notice_min integer NOT NULL DEFAULT 0 CHECK (min_notice_min >= 0),
      horizon_days integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 730),
      max_per_day integer CHECK (max_per_day >= 1),
      requires_approval boolean NOT NULL DEFAULT false,
      cancellation_policy text NOT NULL DEFAULT 'flexible'
        CHECK (cancellation_policy IN ('none', 'flexible', 'moderate', 'strict')),
      intake_questions jsonb NOT NULL DEFAULT '[]',
      video_enabled boolean NOT NULL DEFAULT true,
      recording_enabled boolean NOT NULL DEFAULT false,
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((price_cents IS NULL) = (currency IS NULL))
    )`.execute(db);

  await sql`
    CREATE TABLE specialist_services (
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      service_id uuid NOT NULL REFERENCES services(id),
      PRIMARY KEY (specialist_id, service_id)
    )`.execute(db);
  await sql`CREATE INDEX specialist_services_service ON specialist_services (service_id)`.execute(db);

  // Weekly hours: wall-clock times in the specialist's zone; several intervals per weekday.
  await sql`
    CREATE TABLE weekly_hours (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
      start_time time NOT NULL,
      end_time time NOT NULL,
      CHECK (start_time < end_time OR end_time = '24:00')
    )`.execute(db);
  await sql`CREATE INDEX weekly_hours_specialist ON weekly_hours (specialist_id, weekday)`.execute(db);

  // A date override replaces that date's weekly hours; an empty interval list blocks the day.
  await sql`
    CREATE TABLE date_overrides (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      date date NOT NULL,
      intervals jsonb NOT NULL DEFAULT '[]',
      reason text NOT NULL DEFAULT '',
      UNIQUE (specialist_id, date)
    )`.execute(db);

  await sql`
    CREATE TABLE bookings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      service_id uuid NOT NULL REFERENCES services(id),
      status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      blocked_from timestamptz NOT NULL,
      blocked_until timestamptz NOT NULL,
      visitor_name text NOT NULL,
      visitor_email text NOT NULL,
      visitor_phone text,
      visitor_timezone text NOT NULL,
      visitor_locale text NOT NULL DEFAULT 'en',
      answers jsonb NOT NULL DEFAULT '{}',
      -- The terms the booking was made under (duration, price, policy), kept when the service changes.
      service_terms jsonb NOT NULL,
      manage_token_hash text NOT NULL UNIQUE,
      idempotency_key text,
      request_fingerprint text,
      video_room_name text,
      video_room_url text,
      recording_id text,
      recording_url text,
      notes text NOT NULL DEFAULT '',
      summary text NOT NULL DEFAULT '',
      google_event_id text,
      outlook_event_id text,
      calendar_sequence integer NOT NULL DEFAULT 0,
      cancel_reason text,
      cancelled_by text CHECK (cancelled_by IN ('visitor', 'specialist', 'admin')),
      cancelled_at timestamptz,
      refund_percent integer CHECK (refund_percent BETWEEN 0 AND 100),
      refund_cents integer CHECK (refund_cents >= 0),
      visitor_joined_at timestamptz,
      specialist_joined_at timestamptz,
      started_at timestamptz,
      ended_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (starts_at < ends_at),
      CHECK (blocked_from <= starts_at AND blocked_until >= ends_at)
    )`.execute(db);

  // The core promise: the database itself refuses two overlapping active bookings of one
  // specialist (booking plus buffers). A violation is SQLSTATE 23P01.
  await sql`
    ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
      EXCLUDE USING gist (specialist_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&)
      WHERE (status <> 'cancelled')`.execute(db);
  await sql`CREATE UNIQUE INDEX bookings_idempotency_key ON bookings (idempotency_key) WHERE idempotency_key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX bookings_specialist_time ON bookings (specialist_id, starts_at)`.execute(db);
  await sql`CREATE INDEX bookings_visitor_email ON bookings (lower(visitor_email))`.execute(db);

  await sql`
    CREATE TABLE booking_moves (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      booking_id uuid NOT NULL REFERENCES bookings(id),
      from_starts_at timestamptz NOT NULL,
      from_ends_at timestamptz NOT NULL,
      to_starts_at timestamptz NOT NULL,
      to_ends_at timestamptz NOT NULL,
      moved_by text NOT NULL CHECK (moved_by IN ('visitor', 'specialist', 'admin')),
      moved_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX booking_moves_booking ON booking_moves (booking_id)`.execute(db);

  // Outbox: every message to send, written in the same transaction as the booking change.
  await sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      booking_id uuid REFERENCES bookings(id),
      kind text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'webhook', 'calendar')),
      recipient text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      send_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX notifications_pending ON notifications (send_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX notifications_booking ON notifications (booking_id)`.execute(db);

  await sql`
    CREATE TABLE allowed_origins (
      origin text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      url text NOT NULL,
      secret_encrypted text NOT NULL,
      events text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Calendar connections: OAuth tokens encrypted at rest (AES-256-GCM with SECRET_KEY).
  await sql`
    CREATE TABLE calendar_connections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      provider text NOT NULL CHECK (provider IN ('google', 'outlook')),
      account_email text,
      tokens_encrypted text NOT NULL,
      scopes text NOT NULL DEFAULT '',
      busy_calendar_ids jsonb NOT NULL DEFAULT '["primary"]',
      write_calendar_id text NOT NULL DEFAULT 'primary',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'broken')),
      last_error text,
      busy_fetched_at timestamptz,
      busy_window_from timestamptz,
      busy_window_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (specialist_id, provider)
    )`.execute(db);

  await sql`
    CREATE TABLE external_busy (
      id bigserial PRIMARY KEY,
      connection_id uuid NOT NULL REFERENCES calendar_connections(id) ON DELETE CASCADE,
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      CHECK (starts_at < ends_at)
    )`.execute(db);
  await sql`CREATE INDEX external_busy_specialist_time ON external_busy (specialist_id, starts_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'external_busy', 'calendar_connections', 'webhook_endpoints', 'allowed_origins', 'notifications',
    'booking_moves', 'bookings', 'date_overrides', 'weekly_hours', 'specialist_services', 'services',
    'specialist_credentials', 'specialists',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
