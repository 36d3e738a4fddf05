// A specialist's schedule: weekly hours (wall-clock in their zone) and date overrides. Used by
// the specialist's own routes, the admin's routes for any specialist, and the demo seed.
import { sql } from 'kysely';
import { MAX_VACATION_DAYS, type DateOverride, type DateOverrideBody, type Interval, type VacationBody, type WeeklyHours, type WeeklyInterval } from '../../shared/admin.ts';
import { checkIntervals } from '../admin/validate.ts';
import { inTransaction } from '../admin/store.ts';
import { addDays, compareDates, isValidDate } from '../availability/zone.ts';
import type { Db } from '../db/pool.ts';
import { badRequest, notFound } from '../http/errors.ts';

/** PostgreSQL `time` text ('09:00:00', '24:00:00') -> 'HH:MM'. */
const hhmm = (t: string) => t.slice(0, 5);

function checkDate(date: string, field: string): void {
  if (!isValidDate(date)) throw badRequest('invalid_date', `"${date}" is not a calendar date.`, field);
}

/** Locks the specialist's row so concurrent schedule writes of one specialist run one after another. */
async function lockSpecialist(trx: Db, specialistId: string): Promise<string> {
  const row = await trx.selectFrom('specialists').select('timezone').where('id', '=', specialistId).forUpdate().executeTakeFirst();
  if (!row) throw notFound('Specialist');
  return row.timezone;
}

export async function getWeeklyHours(db: Db, specialistId: string): Promise<WeeklyHours> {
  const specialist = await db.selectFrom('specialists').select(['id', 'timezone']).where('id', '=', specialistId).executeTakeFirst();
  if (!specialist) throw notFound('Specialist');
  const rows = await db.selectFrom('weekly_hours').select(['weekday', 'start_time', 'end_time'])
    .where('specialist_id', '=', specialistId).orderBy('weekday').orderBy('start_time').execute();
  return {
    specialistId, timezone: specialist.timezone,
    hours: rows.map((r) => ({ weekday: r.weekday, start: hhmm(r.start_time), end: hhmm(r.end_time) })),
  };
}

/**
 * Replaces the whole week in one transaction: readers see the old week or the new one, never
 * a mix, and two concurrent replacements cannot interleave into a union (the row lock).
 */
export async function replaceWeeklyHours(db: Db, specialistId: string, hours: WeeklyInterval[]): Promise<WeeklyHours> {
  checkIntervals(hours, (i, key) => `body.hours[${i}].${key}`, (h) => h.weekday);
  await inTransaction(db, async (trx) => {
    await lockSpecialist(trx, specialistId);
    await trx.deleteFrom('weekly_hours').where('specialist_id', '=', specialistId).execute();
    if (hours.length > 0) {
      await trx.insertInto('weekly_hours')
        .values(hours.map((h) => ({ specialist_id: specialistId, weekday: h.weekday, start_time: h.start, end_time: h.end })))
        .execute();
    }
  });
  return getWeeklyHours(db, specialistId);
}

function toOverride(row: { id: string; date: string; intervals: Interval[]; reason: string }): DateOverride {
  return { id: row.id, date: row.date, intervals: row.intervals, blocked: row.intervals.length === 0, reason: row.reason };
}

export async function listOverrides(db: Db, specialistId: string, range: { from?: string; to?: string } = {}): Promise<DateOverride[]> {
  if (range.from !== undefined) checkDate(range.from, 'query.from');
  if (range.to !== undefined) checkDate(range.to, 'query.to');
  if (range.from !== undefined && range.to !== undefined && compareDates(range.from, range.to) > 0) {
    throw badRequest('invalid_range', '`from` is after `to`.', 'query.to');
  }
  let q = db.selectFrom('date_overrides').select(['id', 'date', 'intervals', 'reason']).where('specialist_id', '=', specialistId);
  if (range.from !== undefined) q = q.where('date', '>=', range.from);
  if (range.to !== undefined) q = q.where('date', '<=', range.to);
  return (await q.orderBy('date').execute()).map(toOverride);
}

/** Upserts overrides, one per date; a date that already has one gets the new one. */
async function upsertOverrides(db: Db, specialistId: string, entries: { date: string; intervals: Interval[]; reason: string }[]): Promise<DateOverride[]> {
  return inTransaction(db, async (trx) => {
    await lockSpecialist(trx, specialistId);
    const rows = await trx.insertInto('date_overrides')
      .values(entries.map((e) => ({ specialist_id: specialistId, date: e.date, intervals: JSON.stringify(e.intervals), reason: e.reason })))
      .onConflict((oc) => oc.columns(['specialist_id', 'date']).doUpdateSet({
        intervals: sql`excluded.intervals`, reason: sql`excluded.reason`,
      }))
      .returning(['id', 'date', 'intervals', 'reason'])
      .execute();
    return rows.map(toOverride).sort((a, b) => compareDates(a.date, b.date));
  });
}

/** One date's hours: custom intervals, or none to block the day. */
export async function setDateOverride(db: Db, specialistId: string, body: DateOverrideBody): Promise<DateOverride> {
  checkDate(body.date, 'body.date');
  checkIntervals(body.intervals, (i, key) => `body.intervals[${i}].${key}`);
  const intervals = [...body.intervals].sort((a, b) => a.start.localeCompare(b.start));
  const [row] = await upsertOverrides(db, specialistId, [{ date: body.date, intervals, reason: body.reason ?? '' }]);
  return row!;
}

/** A vacation: a blocked override for every date of an inclusive, bounded range. */
export async function blockDateRange(db: Db, specialistId: string, body: VacationBody): Promise<DateOverride[]> {
  checkDate(body.from, 'body.from');
  checkDate(body.to, 'body.to');
  if (compareDates(body.from, body.to) > 0) throw badRequest('invalid_range', 'The range ends before it starts.', 'body.to');
  if (compareDates(addDays(body.from, MAX_VACATION_DAYS - 1), body.to) < 0) {
    throw badRequest('range_too_long', `A range blocks at most ${MAX_VACATION_DAYS} days at once.`, 'body.to');
  }
  const dates: string[] = [];
  for (let d = body.from; compareDates(d, body.to) <= 0; d = addDays(d, 1)) dates.push(d);
  return upsertOverrides(db, specialistId, dates.map((date) => ({ date, intervals: [], reason: body.reason ?? '' })));
}

/** Removes one of this specialist's overrides; another specialist's id is as unknown as a made-up one. */
export async function removeOverride(db: Db, specialistId: string, overrideId: string): Promise<void> {
  const result = await db.deleteFrom('date_overrides').where('id', '=', overrideId).where('specialist_id', '=', specialistId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Override');
}
