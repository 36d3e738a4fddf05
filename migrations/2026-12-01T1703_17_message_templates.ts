// Issue 17: the site owner's wording of a message, per notification kind and locale: a subject
// and/or the opening paragraph replacing the built-in text (times, links and amounts stay ours).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE message_templates (
      kind text NOT NULL CHECK (length(kind) <= 64),
      locale text NOT NULL CHECK (locale IN ('en', 'de', 'ru')),
      subject text CHECK (length(subject) <= 300),
      body text CHECK (length(body) <= 5000),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (kind, locale)
    )`.execute(db);
}
