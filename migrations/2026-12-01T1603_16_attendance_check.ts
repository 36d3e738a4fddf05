// Google Meet and Teams report who attended only after the meeting: the outcome pass asks the
// specialist's calendar account (Meet conference records, Teams attendance reports) a few times.
// `attendance_check` is where that stands: imported (the answer became call_presence rows), or
// why it could not be had and the specialist marks the session by hand: scope_missing (the
// connection was made without the attendance scope), not_connected (no working calendar
// connection of that provider), unavailable (the provider failed every time), no_data (it never
// had a finished record of the meeting). Null: not asked yet. `outcome_pass_at`: when the outcome
// pass looked at a call that was over without an outcome (once per booking, for every provider).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      ADD COLUMN attendance_check text CHECK (attendance_check IN ('imported', 'scope_missing', 'not_connected', 'unavailable', 'no_data')),
      ADD COLUMN attendance_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN attendance_checked_at timestamptz,
      ADD COLUMN outcome_pass_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      DROP COLUMN IF EXISTS outcome_pass_at, DROP COLUMN IF EXISTS attendance_checked_at, DROP COLUMN IF EXISTS attendance_attempts, DROP COLUMN IF EXISTS attendance_check`.execute(db);
}
