// The demo practice loaded by `npm start`: two specialists in different zones, services of 30
// and 50 minutes, split working days, one blocked date and one custom-hours date. Built through
// the same functions as the admin API, so it passes the same validation a site owner's data does.
// Idempotent: nothing is written when any demo specialist or service exists already.
import { sql } from 'kysely';
import type { ServiceCreate, SpecialistCreate, WeeklyInterval } from '../../shared/admin.ts';
import { createService, setServiceSpecialists } from '../admin/services.ts';
import { createSpecialist } from '../admin/specialists.ts';
import { addDays, instantToZoned, weekdayOf } from '../availability/zone.ts';
import type { Db } from '../db/pool.ts';
import { setDateOverride } from '../specialist/schedule.ts';

const day = (weekdays: number[], ...ranges: [string, string][]): WeeklyInterval[] =>
  weekdays.flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

const SPECIALISTS: SpecialistCreate[] = [
  {
    slug: 'dr-weber', name: 'Dr. Anna Weber', email: 'anna.weber@example.com', timezone: 'Europe/Berlin',
    bio: 'Sessions in English and German.', specialty: 'Clinical psychologist',
    hours: day([1, 2, 3, 4, 5], ['09:00', '12:00'], ['13:00', '17:00']),
  },
  {
    slug: 'james-carter', name: 'James Carter', email: 'james.carter@example.com', timezone: 'America/New_York',
    bio: 'For engineers and designers.', specialty: 'Career coach',
    hours: [...day([1, 2, 3, 4], ['10:00', '14:00'], ['15:00', '19:00']), ...day([5], ['09:00', '13:00'])],
  },
];

// With Stripe configured the paid services are prepaid, one per cancellation policy (moderate,
// flexible, strict), so every refund rule moves test-mode money; without it they are paid on site.
const SERVICES: ServiceCreate[] = [
  {
    slug: 'consultation', name: 'Video consultation', description: 'A 50-minute one-on-one video session.',
    durationMin: 50, slotStepMin: 60, priceCents: 9000, currency: 'EUR', bufferBeforeMin: 0, bufferAfterMin: 10,
    minNoticeMin: 120, horizonDays: 60, maxPerDay: 6, cancellationPolicy: 'moderate',
    intakeQuestions: [
      { id: 'topic', label: 'What would you like to talk about?', type: 'textarea', required: true },
      { id: 'first_visit', label: 'Is this your first session?', type: 'select', required: true, options: ['Yes', 'No'] },
    ],
  },
  {
    slug: 'intro-call', name: 'Intro call', description: 'A free 30-minute call to get to know each other.',
    durationMin: 30, slotStepMin: 30, priceCents: null, currency: null, bufferBeforeMin: 0, bufferAfterMin: 0,
    minNoticeMin: 60, horizonDays: 30, maxPerDay: null, cancellationPolicy: 'flexible', intakeQuestions: [],
  },
  {
    slug: 'follow-up', name: 'Follow-up session', description: 'A 30-minute follow-up; free cancellation up to 24 hours before.',
    durationMin: 30, slotStepMin: 30, priceCents: 4500, currency: 'EUR', bufferBeforeMin: 0, bufferAfterMin: 0,
    minNoticeMin: 120, horizonDays: 60, maxPerDay: null, cancellationPolicy: 'flexible', intakeQuestions: [],
  },
  {
    slug: 'intensive', name: 'Intensive session', description: 'A 90-minute deep-dive; half refunded up to 14 days before.',
    durationMin: 90, slotStepMin: 60, priceCents: 16000, currency: 'EUR', bufferBeforeMin: 0, bufferAfterMin: 15,
    minNoticeMin: 24 * 60, horizonDays: 90, maxPerDay: 2, cancellationPolicy: 'strict', intakeQuestions: [],
  },
];

/** The first date on or after `date` that falls on ISO weekday `weekday`. */
function nextWeekday(date: string, weekday: number): string {
  let d = date;
  while (weekdayOf(d) !== weekday) d = addDays(d, 1);
  return d;
}

export async function seedDemo(db: Db, { now, payments = false }: { now: number; payments?: boolean }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Two instances starting at once: the second waits here, then finds the data.
    await sql`SELECT pg_advisory_xact_lock(hashtext('booking-widget demo seed'))`.execute(trx);
    const specialists = await trx.selectFrom('specialists').select('id').where('slug', 'in', SPECIALISTS.map((s) => s.slug)).execute();
    const services = await trx.selectFrom('services').select('id').where('slug', 'in', SERVICES.map((s) => s.slug)).execute();
    if (specialists.length + services.length > 0) return false;

    const ctx = { now, paymentsEnabled: payments };
    const specialistIds: string[] = [];
    for (const profile of SPECIALISTS) {
      const specialist = await createSpecialist(trx, profile, ctx);
      specialistIds.push(specialist.id);
      // One blocked Wednesday and one Friday with custom hours, a week or two ahead.
      const today = instantToZoned(now, specialist.timezone).date;
      await setDateOverride(trx, specialist.id, { date: nextWeekday(addDays(today, 7), 3), intervals: [], reason: 'Conference' });
      await setDateOverride(trx, specialist.id, { date: nextWeekday(addDays(today, 7), 5), intervals: [{ start: '10:00', end: '13:00' }], reason: 'Short day' });
    }
    for (const input of SERVICES) {
      const paid = payments && input.priceCents != null;
      const service = await createService(trx, { ...input, payment: paid ? 'prepay' : 'none' }, ctx);
      await setServiceSpecialists(trx, service.id, specialistIds, ctx);
    }
    return true;
  });
}
