// Who is calling: the site owner (admin token), a specialist (their credential), or a visitor
// (a booking's manage token, checked by the bookings module against that one booking).
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { bearerToken, hashToken, safeEqual } from './tokens.ts';

const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer' } });

export function requireAdmin(request: FastifyRequest): void {
  const expected = request.server.config.adminToken;
  if (expected === null) throw new HttpError(503, 'admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
  const token = bearerToken(request.headers.authorization);
  if (token === null || !safeEqual(token, expected)) throw unauthorized('A valid admin token is required.');
}

export function isAdmin(request: FastifyRequest): boolean {
  const expected = request.server.config.adminToken;
  const token = bearerToken(request.headers.authorization);
  return expected !== null && token !== null && safeEqual(token, expected);
}

/** The specialist id behind a valid, unrevoked credential. */
export async function authenticateSpecialist(request: FastifyRequest): Promise<string | null> {
  const token = bearerToken(request.headers.authorization);
  if (token === null) return null;
  const row = await request.server.db
    .updateTable('specialist_credentials')
    .set({ last_used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .returning('specialist_id')
    .executeTakeFirst();
  return row?.specialist_id ?? null;
}

export async function requireSpecialist(request: FastifyRequest): Promise<string> {
  const id = await authenticateSpecialist(request);
  if (id === null) throw unauthorized('A valid specialist credential is required.');
  return id;
}
