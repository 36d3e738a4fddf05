// The visitor's widget, complete (issue 20): a specialist's photo for the specialist picker, and
// the page a booking was made on, so every link a visitor gets returns there.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE specialists ADD COLUMN photo_url text CHECK (photo_url ~ '^https://' AND length(photo_url) <= 2048)`.execute(db);
  // Checked against the allowed origins when the booking is made; erased with the booking's data.
  await sql`ALTER TABLE bookings ADD COLUMN return_url text CHECK (length(return_url) <= 2048)`.execute(db);
}
