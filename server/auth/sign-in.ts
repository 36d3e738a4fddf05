// Ways into the console. By email: a single-use link (15 minutes; an invitation 72 hours),
// stored as a hash and mailed through the notifications outbox like every other message. By
// key: a specialist pastes the credential the site owner issued, or the site owner pastes
// ADMIN_TOKEN; either is exchanged for a short-lived session at once, so the long-lived secret
// never has to stay in the browser. Every way ends in a session (sessions.ts).
import { sql } from 'kysely';
import type { ConsoleRole, IssuedSession } from '../../shared/auth.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { HttpError } from '../http/errors.ts';
import { seal } from '../security/crypto.ts';
import { openSession, type SessionSubject } from './sessions.ts';
import { hashToken, newToken, safeEqual } from './tokens.ts';

export const LINK_PREFIX = 'bsl';
export const LINK_TTL_MS = 15 * 60_000;
export const INVITE_TTL_MS = 72 * 3600_000;

export type LinkKind = 'account.sign_in' | 'account.invite';

export interface Account { subject: SessionSubject; name: string; email: string }

/** What the emailed link carries besides the token: where the console goes after sign-in. */
export interface LinkTarget { booking?: string; action?: 'join' }

/** The active account of `role` with this email (case-insensitive), or null. */
export async function accountByEmail(db: Db, role: ConsoleRole, email: string): Promise<Account | null> {
  const address = email.trim().toLowerCase();
  if (role === 'specialist') {
    const s = await db.selectFrom('specialists').select(['id', 'name', 'email'])
      .where(sql<string>`lower(email)`, '=', address).where('archived_at', 'is', null).orderBy('created_at').executeTakeFirst();
    return s ? { subject: { role, specialistId: s.id }, name: s.name, email: s.email } : null;
  }
  const o = await db.selectFrom('owners').select(['id', 'name', 'email'])
    .where(sql<string>`lower(email)`, '=', address).where('archived_at', 'is', null).executeTakeFirst();
  return o ? { subject: { role, ownerId: o.id }, name: o.name, email: o.email } : null;
}

/**
 * Creates a sign-in link for the account and its email in one transaction: the link exists only
 * if the email will go out. The token travels sealed in the outbox row (like manage tokens).
 */
export async function sendSignInLink(db: Db, secretKey: Buffer, account: Account,
  o: { now: number; kind: LinkKind; locale?: string; target?: LinkTarget }): Promise<void> {
  const token = newToken(LINK_PREFIX);
  const ttl = o.kind === 'account.invite' ? INVITE_TTL_MS : LINK_TTL_MS;
  const at = new Date(o.now);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('sign_in_links').values({
      token_hash: hashToken(token), role: account.subject.role,
      specialist_id: account.subject.specialistId ?? null, owner_id: account.subject.ownerId ?? null,
      created_at: at, expires_at: new Date(o.now + ttl),
    }).execute();
    await trx.insertInto('notifications').values({
      booking_id: null, kind: o.kind, channel: 'email', recipient: account.email, send_at: at, created_at: at, updated_at: at,
      payload: JSON.stringify({
        linkSealed: seal(secretKey, token), role: account.subject.role, name: account.name, locale: o.locale ?? 'en',
        expiresInMin: ttl / 60_000, ...o.target,
      }),
    }).execute();
  });
}

const invalidLink = () => new HttpError(400, 'invalid_link', 'This sign-in link is invalid, used or expired: ask for a new one.', { field: 'body.token' });

/** Redeems a link once: the UPDATE that marks it used is the only way to get its session. */
export async function redeemLink(db: Db, token: string, now: number, label: string): Promise<IssuedSession> {
  const link = await db.updateTable('sign_in_links').set({ used_at: new Date(now) })
    .where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).where('expires_at', '>', new Date(now))
    .returningAll().executeTakeFirst();
  if (!link) throw invalidLink();
  // The account may have been archived since the link was sent.
  const active = link.role === 'specialist'
    ? await db.selectFrom('specialists').select('id').where('id', '=', link.specialist_id!).where('archived_at', 'is', null).executeTakeFirst()
    : await db.selectFrom('owners').select('id').where('id', '=', link.owner_id!).where('archived_at', 'is', null).executeTakeFirst();
  if (!active) throw invalidLink();
  const subject: SessionSubject = link.role === 'specialist' ? { role: 'specialist', specialistId: link.specialist_id! } : { role: 'owner', ownerId: link.owner_id! };
  return openSession(db, subject, { now, method: 'link', label });
}

/** A pasted key: ADMIN_TOKEN (owner) or an unrevoked specialist credential of an active specialist. */
export async function signInWithKey(db: Db, config: Config, key: string, now: number, label: string): Promise<IssuedSession> {
  const trimmed = key.trim();
  if (config.adminToken !== null && safeEqual(trimmed, config.adminToken)) {
    return openSession(db, { role: 'owner', ownerId: null }, { now, method: 'admin_token', label });
  }
  const credential = await db.updateTable('specialist_credentials').set({ last_used_at: new Date(now) })
    .where('token_hash', '=', hashToken(trimmed)).where('revoked_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('specialists').select('specialists.id')
      .whereRef('specialists.id', '=', 'specialist_credentials.specialist_id').where('specialists.archived_at', 'is', null)))
    .returning('specialist_id').executeTakeFirst();
  if (!credential) {
    throw new HttpError(401, 'invalid_key', 'This key is not valid: check it with the site owner, or sign in by email.', { field: 'body.key' });
  }
  return openSession(db, { role: 'specialist', specialistId: credential.specialist_id }, { now, method: 'credential', label });
}
