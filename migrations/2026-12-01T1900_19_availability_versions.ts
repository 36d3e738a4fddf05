// Availability versions: a counter per specialist, bumped by the database itself whenever
// anything their slots are computed from changes (bookings, weekly hours, date overrides,
// external busy time), and one counter for the catalogue (specialists, services and who offers
// what; the nil uuid). The bump commits with the change, so a reader that sees the new data also
// sees the new version: caches keyed by the version can never serve an answer older than the
// database, on any instance.
//
// The triggers are deferred constraint triggers: the counter row is locked only for the moment
// of the commit, not for the length of the writing transaction (booking transactions already
// serialise per specialist through their advisory lock; this adds no wait inside them).
import { sql, type Kysely } from 'kysely';

const CATALOGUE = '00000000-0000-0000-0000-000000000000';
const PER_SPECIALIST = ['bookings', 'weekly_hours', 'date_overrides', 'external_busy'] as const;
const CATALOGUE_TABLES = ['specialists', 'services', 'specialist_services'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE availability_versions (
      scope uuid PRIMARY KEY,
      version bigint NOT NULL
    )`.execute(db);

  await sql`
    CREATE FUNCTION bump_availability_version(s uuid) RETURNS void LANGUAGE sql AS $$
      INSERT INTO availability_versions (scope, version) VALUES (s, 1)
      ON CONFLICT (scope) DO UPDATE SET version = availability_versions.version + 1
    $$`.execute(db);

  // Row changes of one specialist's data: the new row's specialist, and the old one's when a row moved.
  await sql`
    CREATE FUNCTION availability_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'DELETE' THEN PERFORM bump_availability_version(NEW.specialist_id); END IF;
      IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.specialist_id IS DISTINCT FROM NEW.specialist_id) THEN
        PERFORM bump_availability_version(OLD.specialist_id);
      END IF;
      RETURN NULL;
    END $$`.execute(db);

  await sql.raw(`
    CREATE FUNCTION availability_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM bump_availability_version('${CATALOGUE}'::uuid);
      RETURN NULL;
    END $$`).execute(db);

  for (const table of PER_SPECIALIST) {
    // Bookings: only the columns the engine reads; a note or a video room leaves slots alone.
    const events = table === 'bookings'
      ? 'INSERT OR DELETE OR UPDATE OF status, specialist_id, service_id, starts_at, blocked_from, blocked_until'
      : 'INSERT OR DELETE OR UPDATE';
    await sql.raw(`
      CREATE CONSTRAINT TRIGGER ${table}_availability_version AFTER ${events} ON ${table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION availability_changed()`).execute(db);
  }
  for (const table of CATALOGUE_TABLES) {
    await sql.raw(`
      CREATE CONSTRAINT TRIGGER ${table}_availability_version AFTER INSERT OR DELETE OR UPDATE ON ${table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION availability_catalogue_changed()`).execute(db);
  }
  // TRUNCATE fires no row triggers: treat it as a change of everything.
  for (const table of [...PER_SPECIALIST, ...CATALOGUE_TABLES]) {
    await sql.raw(`
      CREATE TRIGGER ${table}_availability_truncate AFTER TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION availability_catalogue_changed()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...PER_SPECIALIST, ...CATALOGUE_TABLES]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_availability_version ON ${table}`).execute(db);
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_availability_truncate ON ${table}`).execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS availability_catalogue_changed()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS availability_changed()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS bump_availability_version(uuid)`.execute(db);
  await sql`DROP TABLE IF EXISTS availability_versions`.execute(db);
}
