// Who was in a booking's call and for how long, as the video provider reported it (one row per
// connection: Daily's session_id, LiveKit's participant sid). Joins and departures may arrive in
// any order, so each row is filled in from either end; the call's outcome is read from them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE call_presence (
      booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
      session text NOT NULL,
      role text NOT NULL CHECK (role IN ('visitor', 'specialist')),
      joined_at timestamptz,
      left_at timestamptz,
      PRIMARY KEY (booking_id, session)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS call_presence`.execute(db);
}
