// Prepayment through Stripe Checkout. A booking of a prepaid service starts as a hold
// ('awaiting_payment') that blocks its time like any active booking and either becomes confirmed
// (a verified payment) or 'expired' (blocks nothing). One payment per booking, its refunds, and
// the ids of the Stripe events already processed (replays are harmless). No card data anywhere:
// only Stripe's object ids. Payment jobs (refunds, expiring holds) are outbox rows of channel
// 'payment', delivered by the notification machinery.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE services
      ADD COLUMN payment text NOT NULL DEFAULT 'none' CHECK (payment IN ('none', 'prepay')),
      ADD CONSTRAINT services_prepay_price CHECK (payment = 'none' OR price_cents > 0)`.execute(db);

  await sql`ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`.execute(db);
  await sql`
    ALTER TABLE bookings
      ADD CONSTRAINT bookings_status_check CHECK (status IN (
        'awaiting_payment', 'pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show', 'expired')),
      ADD COLUMN hold_expires_at timestamptz,
      ADD CONSTRAINT bookings_hold_expiry CHECK (status <> 'awaiting_payment' OR hold_expires_at IS NOT NULL)`.execute(db);
  // The same overlap rule, now for every status that holds time: an unpaid hold blocks it too,
  // an expired hold no longer does.
  await sql`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`.execute(db);
  await sql`
    ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
      EXCLUDE USING gist (specialist_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&)
      WHERE (status NOT IN ('cancelled', 'expired'))`.execute(db);

  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('email', 'sms', 'webhook', 'calendar', 'payment'))`.execute(db);

  await sql`
    CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      booking_id uuid NOT NULL UNIQUE REFERENCES bookings(id),
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'paid', 'expired', 'canceled', 'partially_refunded', 'refunded')),
      -- Where Checkout sends the visitor back (a page of an allowed embedding origin).
      return_url text NOT NULL,
      checkout_expires_at timestamptz NOT NULL,
      stripe_checkout_session_id text UNIQUE,
      stripe_checkout_url text,
      stripe_payment_intent_id text UNIQUE,
      paid_at timestamptz,
      refunded_cents integer NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX payments_created ON payments (created_at)`.execute(db);

  await sql`
    CREATE TABLE refunds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payment_id uuid NOT NULL REFERENCES payments(id),
      booking_id uuid NOT NULL REFERENCES bookings(id),
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      currency char(3) NOT NULL,
      reason text NOT NULL CHECK (reason IN ('visitor_cancellation', 'practice_cancellation', 'declined', 'late_payment', 'external')),
      -- Sent to Stripe with the refund: derived from the payment and the reason, so one reason can
      -- never refund one payment twice, whoever retries.
      idempotency_key text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
      stripe_refund_id text UNIQUE,
      -- When Stripe reported the state we hold (event or response time): older reports are ignored.
      stripe_status_at timestamptz,
      failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX refunds_payment ON refunds (payment_id)`.execute(db);

  await sql`
    CREATE TABLE stripe_events (
      id text PRIMARY KEY,
      type text NOT NULL,
      stripe_created_at timestamptz NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS stripe_events`.execute(db);
  await sql`DROP TABLE IF EXISTS refunds`.execute(db);
  await sql`DROP TABLE IF EXISTS payments`.execute(db);
  await sql`DELETE FROM notifications WHERE channel = 'payment'`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'sms', 'webhook', 'calendar'))`.execute(db);
  await sql`UPDATE bookings SET status = 'cancelled' WHERE status IN ('awaiting_payment', 'expired')`.execute(db);
  await sql`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`.execute(db);
  await sql`
    ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
      EXCLUDE USING gist (specialist_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&)
      WHERE (status <> 'cancelled')`.execute(db);
  await sql`ALTER TABLE bookings DROP CONSTRAINT bookings_hold_expiry, DROP CONSTRAINT bookings_status_check, DROP COLUMN hold_expires_at`.execute(db);
  await sql`ALTER TABLE bookings ADD CONSTRAINT bookings_status_check
    CHECK (status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'))`.execute(db);
  await sql`ALTER TABLE services DROP CONSTRAINT services_prepay_price, DROP COLUMN payment`.execute(db);
}
