// Specialists as the site owner manages them. These functions are the only write path: the
// admin routes and the demo seed both go through them.
import { DEFAULT_HOURS, type AdminSpecialist, type SpecialistCreate, type SpecialistUpdate } from '../../shared/admin.ts';
import { revokeSessionsOf } from '../auth/sessions.ts';
import { replaceWeeklyHours } from '../specialist/schedule.ts';
import type { Db } from '../db/pool.ts';
import type { Specialist } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { guardSlug, inTransaction, iso, linkedIds, lookupKey, type ArchiveFilter, type WriteContext } from './store.ts';
import { canonicalTimeZone, checkReminderMinutes, checkSlug } from './validate.ts';
import { rescheduleHostReminders } from '../notifications/outbox.ts';

function toRecord(row: Specialist, services: string[]): AdminSpecialist {
  return {
    id: row.id, slug: row.slug, name: row.name, email: row.email, timezone: row.timezone, bio: row.bio, specialty: row.specialty,
    photoUrl: row.photo_url, locale: row.locale as AdminSpecialist['locale'], hostReminderMinutes: row.host_reminder_minutes,
    services, archivedAt: iso(row.archived_at), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

const servicesOf = (db: Db, specialistIds: string[]) => linkedIds(db, 'specialist_id', specialistIds);

/** The row behind an id or slug, archived or not; 404 otherwise. `forUpdate` locks it. */
export async function specialistRow(db: Db, idOrSlug: string, forUpdate = false): Promise<Specialist> {
  const { column, key } = lookupKey(idOrSlug);
  let q = db.selectFrom('specialists').selectAll().where(column, '=', key);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Specialist');
  return row;
}

export async function getSpecialist(db: Db, idOrSlug: string): Promise<AdminSpecialist> {
  const row = await specialistRow(db, idOrSlug);
  return toRecord(row, (await servicesOf(db, [row.id])).get(row.id)!);
}

export async function listSpecialists(db: Db, archived: ArchiveFilter = 'include'): Promise<AdminSpecialist[]> {
  let q = db.selectFrom('specialists').selectAll().orderBy('name').orderBy('id');
  if (archived === 'exclude') q = q.where('archived_at', 'is', null);
  if (archived === 'only') q = q.where('archived_at', 'is not', null);
  const rows = await q.execute();
  const services = await servicesOf(db, rows.map((r) => r.id));
  return rows.map((r) => toRecord(r, services.get(r.id)!));
}

/**
 * A new specialist, with weekly hours from the start (Monday to Friday 09:00-17:00 in their
 * zone unless `hours` says otherwise), so a practice set up a minute ago already has free times.
 */
export async function createSpecialist(db: Db, input: SpecialistCreate, { now }: WriteContext): Promise<AdminSpecialist> {
  checkSlug(input.slug);
  const timezone = canonicalTimeZone(input.timezone, 'body.timezone');
  const reminders = checkReminderMinutes(input.hostReminderMinutes);
  const at = new Date(now);
  return inTransaction(db, async (trx) => {
    const row = await guardSlug(trx.insertInto('specialists').values({
      slug: input.slug, name: input.name, email: input.email, timezone, bio: input.bio ?? '', specialty: input.specialty ?? '', locale: input.locale ?? 'en',
      photo_url: input.photoUrl ?? null, host_reminder_minutes: reminders ?? null, created_at: at, updated_at: at,
    }).returningAll().executeTakeFirstOrThrow(), input.slug);
    await replaceWeeklyHours(trx, row.id, input.hours ?? DEFAULT_HOURS);
    return toRecord(row, []);
  });
}

export async function updateSpecialist(db: Db, idOrSlug: string, patch: SpecialistUpdate, { now }: WriteContext): Promise<AdminSpecialist> {
  checkSlug(patch.slug);
  const timezone = patch.timezone === undefined ? undefined : canonicalTimeZone(patch.timezone, 'body.timezone');
  const reminders = checkReminderMinutes(patch.hostReminderMinutes);
  return inTransaction(db, async (trx) => {
    const current = await specialistRow(trx, idOrSlug, reminders !== undefined);
    const row = await guardSlug(trx.updateTable('specialists')
      .set({
        slug: patch.slug, name: patch.name, email: patch.email, timezone, bio: patch.bio, specialty: patch.specialty, photo_url: patch.photoUrl, locale: patch.locale,
        host_reminder_minutes: reminders, updated_at: new Date(now),
      })
      .where('id', '=', current.id).returningAll().executeTakeFirstOrThrow(), patch.slug ?? current.slug);
    // New offsets apply to the sessions already booked, too.
    if (reminders !== undefined && !sameList(reminders, current.host_reminder_minutes)) {
      await rescheduleHostReminders(trx, row.id, now);
    }
    return toRecord(row, (await servicesOf(trx, [row.id])).get(row.id)!);
  });
}

const sameList = (a: readonly number[] | null, b: readonly number[] | null) => a === b || (a !== null && b !== null && a.length === b.length && a.every((m, i) => m === b[i]));

/**
 * Archiving hides a specialist from new bookings and revokes their credentials and console sessions (they have left
 * the practice); their bookings, hours and history stay untouched. Repeating it changes nothing.
 */
export async function archiveSpecialist(db: Db, idOrSlug: string, { now }: WriteContext): Promise<AdminSpecialist> {
  return inTransaction(db, async (trx) => {
    const current = await specialistRow(trx, idOrSlug, true);
    if (current.archived_at === null) {
      const at = new Date(now);
      await trx.updateTable('specialists').set({ archived_at: at, updated_at: at }).where('id', '=', current.id).execute();
      await trx.updateTable('specialist_credentials').set({ revoked_at: at })
        .where('specialist_id', '=', current.id).where('revoked_at', 'is', null).execute();
      await revokeSessionsOf(trx, { specialistId: current.id }, now);
    }
    return getSpecialist(trx, current.id);
  });
}

/** Brings an archived specialist back; credentials revoked by the archive stay revoked. */
export async function restoreSpecialist(db: Db, idOrSlug: string, { now }: WriteContext): Promise<AdminSpecialist> {
  const current = await specialistRow(db, idOrSlug);
  if (current.archived_at !== null) {
    await db.updateTable('specialists').set({ archived_at: null, updated_at: new Date(now) }).where('id', '=', current.id).execute();
  }
  return getSpecialist(db, current.id);
}
