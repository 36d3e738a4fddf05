// Issue 17: a specialist's own reminder offsets (minutes before a session's start at which they
// are reminded). NULL: the server's HOST_REMINDER_MINUTES; an empty array: no reminders. The
// range and count the API applies (1 to 10080 minutes, at most 5) are kept by the database too;
// the API also stores them without repeats, largest first.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE specialists ADD COLUMN host_reminder_minutes integer[]
      CHECK (host_reminder_minutes IS NULL OR (
        cardinality(host_reminder_minutes) <= 5
        AND array_position(host_reminder_minutes, NULL) IS NULL
        AND 1 <= ALL (host_reminder_minutes) AND 10080 >= ALL (host_reminder_minutes)
      ))`.execute(db);
}
