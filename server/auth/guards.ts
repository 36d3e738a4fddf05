// Who is calling: the site owner (ADMIN_TOKEN, or an owner's console session), a specialist
// (their credential, or their console session), or a visitor (a booking's manage token, checked
// by the bookings module against that one booking). Resolved once per request.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { ConsoleSession } from '../db/schema.ts';
import { bearerToken, hashToken, safeEqual } from './tokens.ts';
import { isSessionToken, sessionByToken } from './sessions.ts';

export type Principal =
  | { kind: 'admin'; session: ConsoleSession | null }
  | { kind: 'specialist'; specialistId: string; session: ConsoleSession | null };

const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer' } });

/** Whether the bearer is ADMIN_TOKEN itself (no database involved). */
export function isAdminToken(request: FastifyRequest): boolean {
  const expected = request.server.config.adminToken;
  const token = bearerToken(request.headers.authorization);
  return expected !== null && token !== null && safeEqual(token, expected);
}

const resolved = new WeakMap<FastifyRequest, Promise<Principal | null>>();

/** The caller behind the bearer token, looked up once per request (sessions, then credentials). */
export function principalOf(request: FastifyRequest): Promise<Principal | null> {
  let p = resolved.get(request);
  if (!p) {
    p = resolve(request);
    resolved.set(request, p);
  }
  return p;
}

async function resolve(request: FastifyRequest): Promise<Principal | null> {
  const token = bearerToken(request.headers.authorization);
  if (token === null) return null;
  if (isAdminToken(request)) return { kind: 'admin', session: null };
  const { db, clock } = request.server;
  if (isSessionToken(token)) {
    const session = await sessionByToken(db, token, clock.now());
    if (session === null) return null;
    return session.role === 'owner' ? { kind: 'admin', session } : { kind: 'specialist', specialistId: session.specialist_id!, session };
  }
  const row = await db
    .updateTable('specialist_credentials')
    .set({ last_used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .returning('specialist_id')
    .executeTakeFirst();
  return row ? { kind: 'specialist', specialistId: row.specialist_id, session: null } : null;
}

export async function requireAdmin(request: FastifyRequest): Promise<void> {
  const principal = await principalOf(request);
  if (principal?.kind === 'admin') return;
  if (request.server.config.adminToken === null && principal === null) {
    throw new HttpError(503, 'admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
  }
  throw unauthorized('A valid admin token or site owner session is required.');
}

export async function isAdmin(request: FastifyRequest): Promise<boolean> {
  return (await principalOf(request))?.kind === 'admin';
}

/** The specialist id behind a valid credential or session. */
export async function authenticateSpecialist(request: FastifyRequest): Promise<string | null> {
  const principal = await principalOf(request);
  return principal?.kind === 'specialist' ? principal.specialistId : null;
}

export async function requireSpecialist(request: FastifyRequest): Promise<string> {
  const id = await authenticateSpecialist(request);
  if (id === null) throw unauthorized('A valid specialist credential or session is required.');
  return id;
}

/** The console session of this request (sign-out, session lists). */
export async function requireSession(request: FastifyRequest): Promise<ConsoleSession> {
  const session = (await principalOf(request))?.session ?? null;
  if (session === null) throw unauthorized('A valid console session is required.');
  return session;
}
