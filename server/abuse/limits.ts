// Anti-hoarding: how many active future bookings one email or one client may hold, and how many
// it may create per hour and per day. Counted in PostgreSQL, so the limits hold across API
// instances; inside the booking transaction each identity is locked (after the specialist locks,
// email keys before client keys, each kind sorted, so two booking transactions, one attempt's or
// several's, can never wait on each other in a cycle), which makes the count and the insert one
// step for everyone sharing that email or client.
import { sql, type CompiledQuery } from 'kysely';
import type { DbOrTrx } from '../availability/load.ts';
import { named } from '../db/prepared.ts';
import { readerFor } from '../db/pool.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import type { BookingIdentity } from './identity.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Limits = Config['bookingLimits'];
type Who = 'email' | 'client';

interface Usage {
  active: number;
  hourly: number;
  daily: number;
  hourlyOldest: Date | null;
  dailyOldest: Date | null;
}

function usageQuery(db: DbOrTrx, column: 'email_key' | 'client_key', key: string, now: number): CompiledQuery {
  const at = new Date(now);
  return named(sql`
    SELECT count(*) FILTER (WHERE status IN ('pending', 'confirmed') AND starts_at > ${at}) AS active,
           count(*) FILTER (WHERE created_at > ${new Date(now - HOUR)}) AS hourly,
           count(*) FILTER (WHERE created_at > ${new Date(now - DAY)}) AS daily,
           min(created_at) FILTER (WHERE created_at > ${new Date(now - HOUR)}) AS hourly_oldest,
           min(created_at) FILTER (WHERE created_at > ${new Date(now - DAY)}) AS daily_oldest
      FROM bookings
     WHERE ${sql.ref(column)} = ${key}`.compile(db));
}

function usageOf(rows: unknown[]): Usage {
  const r = rows[0] as { active: string; hourly: string; daily: string; hourly_oldest: Date | null; daily_oldest: Date | null };
  return { active: Number(r.active), hourly: Number(r.hourly), daily: Number(r.daily), hourlyOldest: r.hourly_oldest, dailyOldest: r.daily_oldest };
}

function refuse(kind: string, max: number, message: string, retryAfterS?: number): HttpError {
  return new HttpError(429, 'booking_limit', message, {
    details: { limit: kind, max },
    ...(retryAfterS === undefined ? {} : { headers: { 'retry-after': String(Math.max(1, retryAfterS)) } }),
  });
}

function judge(who: Who, u: Usage, limits: Limits, now: number): HttpError | null {
  const e = who === 'email';
  const active = e ? limits.activePerEmail : limits.activePerClient;
  const hourly = e ? limits.hourlyPerEmail : limits.hourlyPerClient;
  const daily = e ? limits.dailyPerEmail : limits.dailyPerClient;
  const whose = e ? 'this email address' : 'this network address';
  if (active > 0 && u.active >= active) {
    return refuse(`active_per_${who}`, active, `${e ? 'This email address' : 'This network address'} already holds ${u.active} upcoming bookings (at most ${active}); cancel one or wait until one has taken place.`);
  }
  const wait = (oldest: Date | null, window: number) => (oldest === null ? undefined : Math.ceil((oldest.getTime() + window - now) / 1000));
  if (hourly > 0 && u.hourly >= hourly) return refuse(`hourly_per_${who}`, hourly, `Too many bookings from ${whose} in the last hour (at most ${hourly}).`, wait(u.hourlyOldest, HOUR));
  if (daily > 0 && u.daily >= daily) return refuse(`daily_per_${who}`, daily, `Too many bookings from ${whose} in the last 24 hours (at most ${daily}).`, wait(u.dailyOldest, DAY));
  return null;
}

export function limitsEnabled(limits: Limits): { email: boolean; client: boolean } {
  return {
    email: limits.activePerEmail + limits.hourlyPerEmail + limits.dailyPerEmail > 0,
    client: limits.activePerClient + limits.hourlyPerClient + limits.dailyPerClient > 0,
  };
}

/**
 * A limit check as statements and a verdict. `locks` are the identities' advisory-lock keys (email
 * before client): inside the booking transaction they are taken after the specialist locks
 * (identityLock), before `queries`, each enabled identity's usage, run. `verdict` takes the
 * queries' rows, in order, and gives the 429 `booking_limit` (details.limit names which one) a
 * new booking would earn, or null. The statements may be run one by one or pipelined.
 */
export function limitCheck(db: DbOrTrx, limits: Limits, who: BookingIdentity, now: number): {
  locks: string[];
  queries: CompiledQuery[];
  verdict(rows: unknown[][]): HttpError | null;
} {
  const on = limitsEnabled(limits);
  const identities = [
    ...(on.email ? [{ who: 'email' as const, column: 'email_key' as const, key: who.emailKey }] : []),
    ...(on.client ? [{ who: 'client' as const, column: 'client_key' as const, key: who.clientKey }] : []),
  ];
  return {
    locks: identities.map((c) => lockKey(c.who, c.key)),
    queries: identities.map((c) => usageQuery(db, c.column, c.key, now)),
    verdict: (rows) => {
      for (const [i, c] of identities.entries()) {
        const refused = judge(c.who, usageOf(rows[i]!), limits, now);
        if (refused) return refused;
      }
      return null;
    },
  };
}

/**
 * The statement taking one identity's lock (a key from limitCheck's `locks`). Every transaction
 * takes them in one order, email keys before client keys and each kind sorted, so two can
 * never wait on each other in a cycle (identityLockOrder).
 */
export function identityLock(db: DbOrTrx, key: string): CompiledQuery {
  return sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.compile(db);
}

const lockKey = (who: Who, key: string) => `limit-${who}:${key}`;

/** Sort order of identity-lock keys: email before client, then by key. */
export function identityLockOrder(a: string, b: string): number {
  const kind = (k: string) => (k.startsWith(lockKey('email', '')) ? 0 : 1);
  return kind(a) - kind(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Throws 429 `booking_limit` when a new booking would obviously exceed a limit: the cheap early
 * answer before any lock is taken (the definitive one is limitCheck's, under the locks).
 */
export async function checkBookingLimits(db: DbOrTrx, limits: Limits, who: BookingIdentity, now: number): Promise<void> {
  const check = limitCheck(db, limits, who, now);
  // Lock-free single statements: on the shared readers, not a pooled connection the booking transactions need.
  const reader = readerFor(db);
  const rows = await Promise.all(check.queries.map(async (q) => (await reader.executeQuery(q)).rows as unknown[]));
  const refused = check.verdict(rows);
  if (refused) throw refused;
}

/** The limits as the OpenAPI description states them. */
export function describeLimits(limits: Limits): string {
  const part = (n: number, what: string) => (n > 0 ? `${n} ${what}` : null);
  const email = [part(limits.activePerEmail, 'upcoming'), part(limits.hourlyPerEmail, 'created per hour'), part(limits.dailyPerEmail, 'per 24 h')].filter(Boolean);
  const client = [part(limits.activePerClient, 'upcoming'), part(limits.hourlyPerClient, 'created per hour'), part(limits.dailyPerClient, 'per 24 h')].filter(Boolean);
  return [
    email.length ? `per email address (case and +tags ignored): at most ${email.join(', ')}` : 'no per-email limit',
    client.length ? `per client address (an IPv6 /64 counts as one): at most ${client.join(', ')}` : 'no per-client limit',
  ].join('; ');
}
