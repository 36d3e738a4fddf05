// Issue 17: the language a specialist's emails are written in (en, de or ru; the console's own
// languages), so host messages are no longer English only.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE specialists ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de', 'ru'))`.execute(db);
}
