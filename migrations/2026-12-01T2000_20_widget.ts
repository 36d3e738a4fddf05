// The visitor's widget, complete (issue 20): a specialist's photo for the specialist picker, and
// the page a booking was made on, so every link a visitor gets returns there; documents attached
// to intake questions.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE specialists ADD COLUMN photo_url text CHECK (photo_url ~ '^https://' AND length(photo_url) <= 2048)`.execute(db);
  // Checked against the allowed origins when the booking is made; erased with the booking's data.
  await sql`ALTER TABLE bookings ADD COLUMN return_url text CHECK (length(return_url) <= 2048)`.execute(db);
  await upFiles(db);
}

// Documents a visitor attaches to intake questions of type "file": stored here, privately (never
// on disk or behind a public URL), readable by the booking's specialist and the site owner only.
// An upload is claimed by the booking it answers; unclaimed ones expire. Erasure deletes them.
async function upFiles(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE intake_files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      service_id uuid NOT NULL REFERENCES services(id),
      question_id text NOT NULL CHECK (length(question_id) <= 40),
      booking_id uuid REFERENCES bookings(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      content_type text NOT NULL,
      size integer NOT NULL CHECK (size > 0),
      data bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      CHECK ((booking_id IS NULL) = (expires_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX intake_files_booking ON intake_files (booking_id) WHERE booking_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX intake_files_unclaimed ON intake_files (expires_at) WHERE booking_id IS NULL`.execute(db);
}
