// Test data for the calendar tests, written directly with Kysely: a specialist with a
// credential, a service with weekly hours, and bookings.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../server/auth/tokens.ts';
import type { Db } from '../../server/db/pool.ts';
import type { Booking, BookingStatus, Notification } from '../../server/db/schema.ts';
import { availableSlots, findService } from '../../server/availability/load.ts';
import type { App } from '../../server/http/types.ts';

export interface Practice {
  specialistId: string;
  serviceId: string;
  token: string;
  auth: { authorization: string };
}

export async function createPractice(db: Db, slug = `sp-${randomBytes(3).toString('hex')}`): Promise<Practice> {
  const specialist = await db.insertInto('specialists')
    .values({ slug, name: 'Dr. Ada', email: `${slug}@practice.test`, timezone: 'UTC' })
    .returning('id').executeTakeFirstOrThrow();
  const service = await db.insertInto('services')
    .values({ slug: `consult-${slug}`, name: 'Consultation', duration_min: 60, price_cents: null, currency: null, intake_questions: '[]' })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('specialist_services').values({ specialist_id: specialist.id, service_id: service.id }).execute();
  await db.insertInto('weekly_hours').values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    specialist_id: specialist.id, weekday, start_time: '09:00', end_time: '17:00',
  }))).execute();
  const token = `spk_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('specialist_credentials').values({ specialist_id: specialist.id, token_hash: hashToken(token) }).execute();
  return { specialistId: specialist.id, serviceId: service.id, token, auth: { authorization: `Bearer ${token}` } };
}

export async function createBooking(db: Db, p: Practice, start: string, status: BookingStatus = 'confirmed', minutes = 60): Promise<Booking> {
  const startsAt = new Date(start);
  const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
  return db.insertInto('bookings').values({
    specialist_id: p.specialistId, service_id: p.serviceId, status,
    starts_at: startsAt, ends_at: endsAt, blocked_from: startsAt, blocked_until: endsAt,
    visitor_name: 'Vera Visitor', visitor_email: 'vera@visitor.test', visitor_timezone: 'Europe/Berlin',
    service_terms: JSON.stringify({
      name: 'Consultation', durationMin: minutes, priceCents: null, currency: null, cancellationPolicy: 'flexible',
      bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: true,
    }),
    manage_token_hash: hashToken(randomBytes(16).toString('hex')),
  }).returningAll().executeTakeFirstOrThrow();
}

export async function moveBooking(db: Db, id: string, start: string, minutes = 60): Promise<Booking> {
  const startsAt = new Date(start);
  const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
  return db.updateTable('bookings').set({ starts_at: startsAt, ends_at: endsAt, blocked_from: startsAt, blocked_until: endsAt })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function cancelBooking(db: Db, id: string): Promise<void> {
  await db.updateTable('bookings').set({ status: 'cancelled', cancelled_by: 'visitor', cancelled_at: new Date() }).where('id', '=', id).execute();
}

/** An outbox row as the bookings module writes it (one per connection). */
export async function calendarRow(db: Db, booking: Pick<Booking, 'id'>, kind: 'calendar.upsert' | 'calendar.delete', connectionId?: string): Promise<Notification> {
  return db.insertInto('notifications').values({
    booking_id: booking.id, kind, channel: 'calendar', recipient: connectionId ?? 'all',
    payload: JSON.stringify({ bookingId: booking.id, ...(connectionId ? { connectionId } : {}) }),
    send_at: new Date(),
  }).returningAll().executeTakeFirstOrThrow();
}

export async function getBooking(db: Db, id: string): Promise<Booking> {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A silent logger for calling the calendar functions directly. */
export const quietLog = { info() {}, warn() {}, error() {} };

/** The slot start times ('HH:MM', UTC) the availability engine offers the practice on one UTC day. */
export async function slotsOn(db: Db, now: number, p: Practice, day: string): Promise<string[]> {
  const service = (await findService(db, p.serviceId))!;
  const slots = await availableSlots(db, {
    specialistId: p.specialistId, timezone: 'UTC', service,
    from: Date.parse(`${day}T00:00:00Z`), until: Date.parse(`${day}T23:59:59Z`), now,
  });
  return slots.map((s) => new Date(s.start).toISOString().slice(11, 16));
}

/** The whole browser round trip: our connect URL, the provider's consent redirect, our callback. */
export async function connectCalendar(app: App, provider: 'google' | 'outlook', p: Practice) {
  const start = await app.inject({ url: `/api/specialist/calendar/${provider}/connect`, headers: p.auth });
  assert.equal(start.statusCode, 200, start.body);
  const consent = await fetch(start.json().url, { redirect: 'manual' });
  assert.equal(consent.status, 302);
  const back = new URL(consent.headers.get('location')!);
  const res = await app.inject({ url: back.pathname + back.search });
  assert.equal(res.statusCode, 200, res.body);
  return { start, back, res };
}
