// Seeding availability data straight through Kysely (no admin API needed), for the API tests
// and the slots benchmark.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/db/pool.ts';
import type { BookingStatus, NewService } from '../../server/db/schema.ts';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${randomBytes(3).toString('hex')}`;

export async function addSpecialist(db: Db, o: { slug?: string; name?: string; timezone: string; archived?: boolean }) {
  return db.insertInto('specialists').values({
    slug: o.slug ?? unique('spec'),
    name: o.name ?? 'Specialist',
    email: `${o.slug ?? 'someone'}@private.example`,
    timezone: o.timezone,
    bio: 'Bio',
    archived_at: o.archived ? new Date('2020-01-01T00:00:00Z') : null,
  }).returningAll().executeTakeFirstOrThrow();
}

export async function addService(db: Db, o: Partial<NewService> & { archived?: boolean } = {}) {
  const { archived, ...rest } = o;
  return db.insertInto('services').values({
    slug: unique('svc'),
    name: 'Service',
    duration_min: 60,
    price_cents: null,
    currency: null,
    slot_step_min: null,
    max_per_day: null,
    archived_at: archived ? new Date('2020-01-01T00:00:00Z') : null,
    ...rest,
  }).returningAll().executeTakeFirstOrThrow();
}

export async function link(db: Db, specialistId: string, serviceId: string) {
  await db.insertInto('specialist_services').values({ specialist_id: specialistId, service_id: serviceId }).execute();
}

/** Weekly hours as [weekday, 'HH:MM', 'HH:MM'] ('24:00' allowed as an end). */
export async function addHours(db: Db, specialistId: string, hours: [number, string, string][]) {
  await db.insertInto('weekly_hours')
    .values(hours.map(([weekday, start_time, end_time]) => ({ specialist_id: specialistId, weekday, start_time, end_time })))
    .execute();
}

export const everyWeekday = (start: string, end: string, days = [1, 2, 3, 4, 5]): [number, string, string][] =>
  days.map((d) => [d, start, end]);

export async function addOverride(db: Db, specialistId: string, date: string, intervals: { start: string; end: string }[]) {
  await db.insertInto('date_overrides').values({ specialist_id: specialistId, date, intervals: JSON.stringify(intervals) }).execute();
}

export async function addBooking(db: Db, o: {
  specialistId: string; serviceId: string; start: string | number; durationMin: number;
  bufferBeforeMin?: number; bufferAfterMin?: number; status?: BookingStatus;
}) {
  const start = typeof o.start === 'number' ? o.start : Date.parse(o.start);
  const end = start + o.durationMin * 60_000;
  return db.insertInto('bookings').values({
    specialist_id: o.specialistId,
    service_id: o.serviceId,
    status: o.status ?? 'confirmed',
    starts_at: new Date(start),
    ends_at: new Date(end),
    blocked_from: new Date(start - (o.bufferBeforeMin ?? 0) * 60_000),
    blocked_until: new Date(end + (o.bufferAfterMin ?? 0) * 60_000),
    visitor_name: 'Visitor',
    visitor_email: 'visitor@example.com',
    visitor_timezone: 'UTC',
    service_terms: JSON.stringify({
      name: 'Service', durationMin: o.durationMin, priceCents: null, currency: null, cancellationPolicy: 'flexible',
      bufferBeforeMin: o.bufferBeforeMin ?? 0, bufferAfterMin: o.bufferAfterMin ?? 0, videoEnabled: true,
    }),
    manage_token_hash: randomBytes(16).toString('hex'),
  }).returning('id').executeTakeFirstOrThrow();
}

/** External busy rows need a calendar connection; one per specialist is made on first use. */
export async function addBusy(db: Db, specialistId: string, ranges: [start: string | number, end: string | number][]) {
  let conn = await db.selectFrom('calendar_connections').select('id').where('specialist_id', '=', specialistId).executeTakeFirst();
  conn ??= await db.insertInto('calendar_connections')
    .values({ specialist_id: specialistId, provider: 'google', tokens_encrypted: 'sealed' })
    .returning('id').executeTakeFirstOrThrow();
  const ms = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));
  await db.insertInto('external_busy').values(ranges.map(([s, e]) => ({
    connection_id: conn.id, specialist_id: specialistId, starts_at: new Date(ms(s)), ends_at: new Date(ms(e)),
  }))).execute();
}
