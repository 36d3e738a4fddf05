// Proof that a visitor receives mail at an address: a six-digit code sent to it (stored only as
// a keyed hash, valid 10 minutes, 5 wrong tries and it is dead, at most 3 per hour per address),
// exchanged for a visitor session (a bearer token, hashed, one hour) that opens what belongs to
// the address: the whole consultation history, an export, erasure. Requests answer the same
// whether or not the address has bookings here, so nobody learns who is a client.
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, hashToken, newToken, safeEqual } from '../auth/tokens.ts';
import { emailHash } from '../abuse/identity.ts';
import { HttpError } from '../http/errors.ts';
import { applyMailCap } from '../notifications/outbox.ts';
import { seal, keyedHash } from '../security/crypto.ts';

export const CODE_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 60 * 60_000;
export const MAX_ATTEMPTS = 5;
export const CODES_PER_HOUR = 3;

const codeHash = (key: Buffer, email: string, code: string) => keyedHash(key, 'email-code', `${email}\n${code}`);

/** Issues a code for the address and queues its mail (when the address has bookings here). */
export async function requestCode(app: FastifyInstance, email: string, locale: string | undefined): Promise<{ expiresAt: number }> {
  const now = app.clock.now();
  const address = email.trim().toLowerCase();
  const hash = emailHash(app.config.secretKey, address);
  const expiresAt = now + CODE_TTL_MS;
  await app.db.transaction().execute(async (trx) => {
    // One request at a time per address, so the hourly count is exact.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`email-code:${hash}`}, 0))`.execute(trx);
    const recent = await trx.selectFrom('email_verifications').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('email_hash', '=', hash).where('created_at', '>', new Date(now - 3_600_000)).executeTakeFirstOrThrow();
    if (Number(recent.n) >= CODES_PER_HOUR) {
      throw new HttpError(429, 'too_many_codes', `At most ${CODES_PER_HOUR} codes per hour for one address; use the last one or try again later.`, { headers: { 'retry-after': '3600' } });
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // A new code replaces the older ones.
    await trx.updateTable('email_verifications').set({ consumed_at: new Date(now) }).where('email_hash', '=', hash).where('consumed_at', 'is', null).execute();
    await trx.insertInto('email_verifications').values({
      email_hash: hash, code_hash: codeHash(app.config.secretKey, address, code), expires_at: new Date(expiresAt), created_at: new Date(now),
    }).execute();
    const known = await trx.selectFrom('bookings').select('id').where(sql<string>`lower(visitor_email)`, '=', address).limit(1).executeTakeFirst();
    if (known === undefined) return; // nothing to open: no mail to an address we have no business with
    const planned = [{ kind: 'visitor.verification_code', channel: 'email' as const, recipient: email.trim(), sendAt: now, payload: { codeSealed: seal(app.config.secretKey, code), locale: locale ?? 'en' } }];
    const rows = await applyMailCap(trx, { secretKey: app.config.secretKey, smsEnabled: false, mailCapPerAddress: app.config.mailCapPerAddress }, address, planned, now);
    if (rows.length === 0) return;
    await trx.insertInto('notifications').values(rows.map((r) => ({
      booking_id: null, kind: r.kind, channel: r.channel, recipient: r.recipient, payload: JSON.stringify(r.payload),
      send_at: new Date(r.sendAt), created_at: new Date(now), updated_at: new Date(now),
    }))).execute();
  });
  void app.notifications?.nudge().catch(() => {});
  return { expiresAt };
}

const wrongCode = (left?: number) => new HttpError(400, 'invalid_code', left === undefined || left <= 0
  ? 'This code is wrong, expired or used up: request a new one.'
  : `This code is wrong (${left} ${left === 1 ? 'try' : 'tries'} left).`, { field: 'body.code' });

/** Exchanges a code for a visitor session; the address counts as verified from then on. */
export async function openSession(app: FastifyInstance, email: string, code: string): Promise<{ token: string; email: string; expiresAt: number }> {
  const now = app.clock.now();
  const address = email.trim().toLowerCase();
  const hash = emailHash(app.config.secretKey, address);
  return app.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('email_verifications').selectAll().where('email_hash', '=', hash)
      .where('consumed_at', 'is', null).where('expires_at', '>', new Date(now))
      .orderBy('created_at', 'desc').limit(1).forUpdate().executeTakeFirst();
    if (row === undefined || row.attempts >= MAX_ATTEMPTS) throw wrongCode();
    if (!safeEqual(row.code_hash, codeHash(app.config.secretKey, address, code))) {
      await trx.updateTable('email_verifications').set({ attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
      // Committed although the request fails: the attempt must count.
      return { failed: MAX_ATTEMPTS - row.attempts - 1 } as const;
    }
    await trx.updateTable('email_verifications').set({ consumed_at: new Date(now) }).where('id', '=', row.id).execute();
    await trx.insertInto('verified_emails').values({ email_hash: hash, verified_at: new Date(now) })
      .onConflict((oc) => oc.column('email_hash').doUpdateSet({ verified_at: new Date(now) })).execute();
    const token = newToken('vs');
    await trx.insertInto('visitor_sessions').values({ token_hash: hashToken(token), email: address, expires_at: new Date(now + SESSION_TTL_MS), created_at: new Date(now) }).execute();
    return { token, email: address, expiresAt: now + SESSION_TTL_MS };
  }).then((r) => {
    if ('failed' in r) throw wrongCode(r.failed);
    return r;
  });
}

/** The verified address behind a visitor session token, or 401. */
export async function requireVisitor(request: FastifyRequest): Promise<string> {
  const token = bearerToken(request.headers.authorization);
  const row = token === null ? undefined : await request.server.db.selectFrom('visitor_sessions').select('email')
    .where('token_hash', '=', hashToken(token)).where('expires_at', '>', new Date(request.server.clock.now())).executeTakeFirst();
  if (row === undefined) {
    throw new HttpError(401, 'unauthorized', 'A visitor session is required: confirm your email address with a code first.', { headers: { 'www-authenticate': 'Bearer' } });
  }
  return row.email;
}
