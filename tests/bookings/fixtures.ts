// A small practice for booking tests, written straight through Kysely, plus HTTP helpers.
import { sql } from 'kysely';
import { hashToken, newToken } from '../../server/auth/tokens.ts';
import type { Db } from '../../server/db/pool.ts';
import type { NewService } from '../../server/db/schema.ts';
import { addHours, addService, addSpecialist, link } from '../availability/fixtures.ts';


export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Tuesday. Tests book a few days later, inside the default 60-day horizon. */
export const T0 = Date.parse('2026-12-01T00:00:00Z');

/** Every day 08:00-20:00 in the specialist's zone. */
export const ALL_WEEK: [number, string, string][] = [1, 2, 3, 4, 5, 6, 7].map((d) => [d, '08:00', '20:00']);

export async function addCredential(db: Db, specialistId: string): Promise<string> {
  const token = newToken('spk');
  await db.insertInto('specialist_credentials').values({ specialist_id: specialistId, token_hash: hashToken(token) }).execute();
  return token;
}

export interface Practice {
  specialist: { id: string; slug: string; timezone: string };
  service: { id: string; slug: string };
  credential: string;
}

/** One specialist offering one service, open every day 08:00-20:00. */
export async function addPractice(db: Db, o: { timezone?: string; service?: Partial<NewService>; hours?: [number, string, string][] } = {}): Promise<Practice> {
  const specialist = await addSpecialist(db, { timezone: o.timezone ?? 'UTC', name: 'Dr. Test' });
  const service = await addService(db, { name: 'Session', duration_min: 60, slot_step_min: 30, ...o.service });
  await link(db, specialist.id, service.id);
  await addHours(db, specialist.id, o.hours ?? ALL_WEEK);
  return { specialist, service, credential: await addCredential(db, specialist.id) };
}

export function bookingBody(p: { specialist: string; service: string }, start: string | number, extra: Record<string, unknown> = {}) {
  return {
    specialist: p.specialist,
    service: p.service,
    start: typeof start === 'number' ? new Date(start).toISOString() : start,
    visitor: { name: 'Vera Visitor', email: 'vera@example.com', timezone: 'America/New_York' },
    ...extra,
  };
}

export interface Reply { status: number; body: any }

/** A JSON request over real HTTP (undici keep-alive), never throwing on a status. */
export async function http(base: string, method: string, path: string, o: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(base + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Active bookings of one specialist that overlap another active one (must always be 0). */
export async function overlapCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM bookings a JOIN bookings b
      ON a.specialist_id = b.specialist_id AND a.id < b.id
     AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
     WHERE a.status NOT IN ('cancelled', 'expired') AND b.status NOT IN ('cancelled', 'expired')`.execute(db);
  return rows[0]!.n;
}
