// Issue 17: the visitor's review of a session (one per booking: the signed review link is
// single-use because a second insert conflicts), shown to the owner and the specialist and,
// when the owner publishes it, on the hosted booking page.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE reviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      booking_id uuid NOT NULL UNIQUE REFERENCES bookings(id) ON DELETE CASCADE,
      specialist_id uuid NOT NULL REFERENCES specialists(id),
      rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
      published boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX reviews_specialist ON reviews (specialist_id, created_at DESC)`.execute(db);
}
