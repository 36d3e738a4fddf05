// The demo practice loaded by `npm start`: two specialists in different zones, services of 30
// and 50 minutes, split working days, one blocked date and one custom-hours date. Idempotent:
// nothing is written when the demo specialists exist already.
import type { Db } from '../db/pool.ts';
import { addDays, instantToZoned, weekdayOf } from '../availability/zone.ts';

interface DemoSpecialist {
  slug: string; name: string; email: string; timezone: string; bio: string;
  hours: [weekday: number, start: string, end: string][];
}

const SPECIALISTS: DemoSpecialist[] = [
  {
    slug: 'dr-weber', name: 'Dr. Anna Weber', email: 'anna.weber@example.com', timezone: 'Europe/Berlin',
    bio: 'Clinical psychologist. Sessions in English and German.',
    hours: [1, 2, 3, 4, 5].flatMap((d) => [[d, '09:00', '12:00'], [d, '13:00', '17:00']] as [number, string, string][]),
  },
  {
    slug: 'james-carter', name: 'James Carter', email: 'james.carter@example.com', timezone: 'America/New_York',
    bio: 'Career coach for engineers and designers.',
    hours: [
      ...[1, 2, 3, 4].flatMap((d) => [[d, '10:00', '14:00'], [d, '15:00', '19:00']] as [number, string, string][]),
      [5, '09:00', '13:00'],
    ],
  },
];

const SERVICES = [
  {
    slug: 'consultation', name: 'Video consultation', description: 'A 50-minute one-on-one video session.',
    duration_min: 50, slot_step_min: 60, price_cents: 9000, currency: 'EUR', buffer_before_min: 0, buffer_after_min: 10,
    min_notice_min: 120, horizon_days: 60, max_per_day: 6, cancellation_policy: 'moderate' as const,
    intake_questions: [
      { id: 'topic', label: 'What would you like to talk about?', type: 'textarea', required: true },
      { id: 'first_visit', label: 'Is this your first session?', type: 'select', required: true, options: ['Yes', 'No'] },
    ],
  },
  {
    slug: 'intro-call', name: 'Intro call', description: 'A free 30-minute call to get to know each other.',
    duration_min: 30, slot_step_min: 30, price_cents: null, currency: null, buffer_before_min: 0, buffer_after_min: 0,
    min_notice_min: 60, horizon_days: 30, max_per_day: null, cancellation_policy: 'flexible' as const,
    intake_questions: [],
  },
];

/** The first date on or after `date` that falls on ISO weekday `weekday`. */
function nextWeekday(date: string, weekday: number): string {
  let d = date;
  while (weekdayOf(d) !== weekday) d = addDays(d, 1);
  return d;
}

export async function seedDemo(db: Db, { now }: { now: number }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('specialists').select('id').where('slug', 'in', SPECIALISTS.map((s) => s.slug)).execute();
    if (existing.length > 0) return false;

    const serviceIds: string[] = [];
    for (const s of SERVICES) {
      const row = await trx.insertInto('services')
        .values({ ...s, intake_questions: JSON.stringify(s.intake_questions) })
        .returning('id').executeTakeFirstOrThrow();
      serviceIds.push(row.id);
    }

    for (const s of SPECIALISTS) {
      const { id } = await trx.insertInto('specialists')
        .values({ slug: s.slug, name: s.name, email: s.email, timezone: s.timezone, bio: s.bio })
        .returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('specialist_services').values(serviceIds.map((service_id) => ({ specialist_id: id, service_id }))).execute();
      await trx.insertInto('weekly_hours')
        .values(s.hours.map(([weekday, start_time, end_time]) => ({ specialist_id: id, weekday, start_time, end_time })))
        .execute();
      // One blocked Wednesday and one Friday with custom hours, a week or two ahead.
      const today = instantToZoned(now, s.timezone).date;
      const blocked = nextWeekday(addDays(today, 7), 3);
      const custom = nextWeekday(addDays(today, 7), 5);
      await trx.insertInto('date_overrides').values([
        { specialist_id: id, date: blocked, intervals: '[]', reason: 'Conference' },
        { specialist_id: id, date: custom, intervals: JSON.stringify([{ start: '10:00', end: '13:00' }]), reason: 'Short day' },
      ]).execute();
    }
    return true;
  });
}
