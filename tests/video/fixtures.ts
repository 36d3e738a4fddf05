// Test data for the video module, written straight to the database with Kysely: a practice with
// two specialists (each with a credential) and services with video on, off, and recorded.
import type { Db } from '../../server/db/pool.ts';
import type { BookingStatus, ServiceTerms } from '../../server/db/schema.ts';
import { hashToken, newToken } from '../../server/auth/tokens.ts';

export interface Practice {
  specialistId: string;
  specialistToken: string;
  otherSpecialistId: string;
  otherSpecialistToken: string;
  videoServiceId: string;
  recordedServiceId: string;
  inPersonServiceId: string;
}

async function specialist(db: Db, slug: string, name: string) {
  const row = await db.insertInto('specialists').values({ slug, name, email: `${slug}@practice.test`, timezone: 'Europe/Berlin' }).returning('id').executeTakeFirstOrThrow();
  const token = newToken('sp');
  await db.insertInto('specialist_credentials').values({ specialist_id: row.id, token_hash: hashToken(token) }).execute();
  return { id: row.id, token };
}

async function service(db: Db, slug: string, video: boolean, recording: boolean) {
  const row = await db.insertInto('services').values({
    slug, name: `Service ${slug}`, duration_min: 30, price_cents: null, currency: null,
    video_enabled: video, recording_enabled: recording, intake_questions: '[]',
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function seedPractice(db: Db): Promise<Practice> {
  const a = await specialist(db, 'dr-ada', 'Dr Ada');
  const b = await specialist(db, 'dr-bob', 'Dr Bob');
  return {
    specialistId: a.id,
    specialistToken: a.token,
    otherSpecialistId: b.id,
    otherSpecialistToken: b.token,
    videoServiceId: await service(db, 'video-consult', true, false),
    recordedServiceId: await service(db, 'recorded-consult', true, true),
    inPersonServiceId: await service(db, 'in-person', false, false),
  };
}

export interface BookingOptions {
  specialistId: string;
  serviceId: string;
  startsAt: string;
  durationMin?: number;
  status?: BookingStatus;
  email?: string;
  name?: string;
  videoEnabled?: boolean;
  summary?: string;
  notes?: string;
}

/** A booking as the bookings module would store it; returns its id and the visitor's manage token. */
export async function createBooking(db: Db, o: BookingOptions): Promise<{ id: string; manageToken: string }> {
  const start = new Date(o.startsAt);
  const end = new Date(start.getTime() + (o.durationMin ?? 30) * 60_000);
  const manageToken = newToken('mt');
  const svc = await db.selectFrom('services').selectAll().where('id', '=', o.serviceId).executeTakeFirstOrThrow();
  const terms: ServiceTerms = {
    name: svc.name, durationMin: o.durationMin ?? 30, priceCents: null, currency: null, cancellationPolicy: 'flexible',
    bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: o.videoEnabled ?? svc.video_enabled, recordingEnabled: svc.recording_enabled,
  };
  const row = await db.insertInto('bookings').values({
    specialist_id: o.specialistId, service_id: o.serviceId, status: o.status ?? 'confirmed',
    starts_at: start, ends_at: end, blocked_from: start, blocked_until: end,
    visitor_name: o.name ?? 'Vera Visitor', visitor_email: o.email ?? 'vera@example.test', visitor_timezone: 'Europe/Berlin',
    service_terms: JSON.stringify(terms), manage_token_hash: hashToken(manageToken),
    summary: o.summary ?? '', notes: o.notes ?? '',
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, manageToken };
}

/** Decodes a JWT's claims without checking its signature (the fakes check signatures). */
export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const MIN = 60_000;
/** The clock's start in the join and webhook tests. */
export const BASE = Date.parse('2026-12-01T10:00:00.000Z');

/** Start times one day apart from BASE, so bookings of one file never overlap. */
export function dailyStarts(): () => string {
  let day = 0;
  return () => new Date(BASE + day++ * 24 * 60 * MIN).toISOString();
}
