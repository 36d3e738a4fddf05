// Webhooks find a booking by its room name (participant and meeting events name the room, not
// the booking); one room belongs to one booking.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX bookings_video_room_name ON bookings (video_room_name) WHERE video_room_name IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS bookings_video_room_name`.execute(db);
}
