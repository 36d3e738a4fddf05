// Console sessions: short-lived bearer tokens (192 random bits, prefix "bcs") that the console
// keeps in memory and sessionStorage, never in a cookie, so it works embedded cross-origin.
// Stored only as SHA-256 hashes; a session dies at expires_at, when revoked (sign-out, the site
// owner, archiving the account) or when its account is archived.
import type { IssuedSession, SessionInfo, SessionSummary } from '../../shared/auth.ts';
import type { Db } from '../db/pool.ts';
import type { ConsoleSession } from '../db/schema.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_PREFIX = 'bcs';
/** A working day; after that the console asks to sign in again. */
export const SESSION_TTL_MS = 8 * 3600_000;

/** Whose session it is. An owner session without owner account is the ADMIN_TOKEN holder's. */
export type SessionSubject =
  | { role: 'specialist'; specialistId: string; ownerId?: undefined }
  | { role: 'owner'; ownerId: string | null; specialistId?: undefined };

export interface OpenOptions { now: number; method: ConsoleSession['method']; label: string }

export function isSessionToken(token: string): boolean {
  return token.startsWith(`${SESSION_PREFIX}_`);
}

export async function openSession(db: Db, subject: SessionSubject, o: OpenOptions): Promise<IssuedSession> {
  const token = newToken(SESSION_PREFIX);
  const row = await db.insertInto('console_sessions').values({
    token_hash: hashToken(token), role: subject.role, specialist_id: subject.specialistId ?? null, owner_id: subject.ownerId ?? null,
    method: o.method, label: o.label.slice(0, 200), created_at: new Date(o.now), expires_at: new Date(o.now + SESSION_TTL_MS),
  }).returningAll().executeTakeFirstOrThrow();
  return { ...(await sessionInfo(db, row)), token };
}

/**
 * The live session behind a token: unrevoked, unexpired at `now`, its account not archived.
 * Marks it used (the owner's session list shows when each was last active).
 */
export async function sessionByToken(db: Db, token: string, now: number): Promise<ConsoleSession | null> {
  const row = await db.updateTable('console_sessions')
    .set({ last_used_at: new Date(now) })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date(now))
    .where((eb) => eb.or([
      eb('specialist_id', 'is', null),
      eb.exists(eb.selectFrom('specialists').select('specialists.id')
        .whereRef('specialists.id', '=', 'console_sessions.specialist_id').where('specialists.archived_at', 'is', null)),
    ]))
    .where((eb) => eb.or([
      eb('owner_id', 'is', null),
      eb.exists(eb.selectFrom('owners').select('owners.id')
        .whereRef('owners.id', '=', 'console_sessions.owner_id').where('owners.archived_at', 'is', null)),
    ]))
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function sessionInfo(db: Db, s: ConsoleSession): Promise<SessionInfo> {
  const specialist = s.specialist_id === null ? null
    : await db.selectFrom('specialists').select(['id', 'slug', 'name', 'email', 'timezone']).where('id', '=', s.specialist_id).executeTakeFirstOrThrow();
  const owner = s.role !== 'owner' ? null
    : s.owner_id === null ? { id: null, name: '', email: '' }
      : await db.selectFrom('owners').select(['id', 'name', 'email']).where('id', '=', s.owner_id).executeTakeFirstOrThrow();
  return {
    id: s.id, role: s.role, method: s.method, createdAt: s.created_at.toISOString(), expiresAt: s.expires_at.toISOString(),
    specialist, owner,
  };
}

/** The sessions of the same account as `current` that are still alive, newest first. */
export async function listSessions(db: Db, current: ConsoleSession, now: number): Promise<SessionSummary[]> {
  let q = db.selectFrom('console_sessions').selectAll()
    .where('revoked_at', 'is', null).where('expires_at', '>', new Date(now)).where('role', '=', current.role);
  q = current.specialist_id !== null ? q.where('specialist_id', '=', current.specialist_id)
    : current.owner_id !== null ? q.where('owner_id', '=', current.owner_id) : q.where('owner_id', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => summary(r, current.id));
}

export function summary(r: ConsoleSession, currentId: string | null): SessionSummary {
  return {
    id: r.id, role: r.role, method: r.method, label: r.label, createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null, current: r.id === currentId,
  };
}

/** Revokes one session of the account `of` (another account's id is as unknown as a made-up one). */
export async function revokeSession(db: Db, of: ConsoleSession, sessionId: string, now: number): Promise<boolean> {
  let q = db.updateTable('console_sessions').set({ revoked_at: new Date(now) })
    .where('id', '=', sessionId).where('revoked_at', 'is', null).where('role', '=', of.role);
  q = of.specialist_id !== null ? q.where('specialist_id', '=', of.specialist_id)
    : of.owner_id !== null ? q.where('owner_id', '=', of.owner_id) : q.where('owner_id', 'is', null);
  return (await q.executeTakeFirst()).numUpdatedRows > 0n;
}

/** Ends every session of an account (archiving it, or the site owner signing a specialist out everywhere). */
export async function revokeSessionsOf(db: Db, account: { specialistId: string } | { ownerId: string }, now: number): Promise<number> {
  const q = db.updateTable('console_sessions').set({ revoked_at: new Date(now) }).where('revoked_at', 'is', null);
  const result = await ('specialistId' in account ? q.where('specialist_id', '=', account.specialistId) : q.where('owner_id', '=', account.ownerId)).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function specialistSessions(db: Db, specialistId: string, now: number): Promise<SessionSummary[]> {
  const rows = await db.selectFrom('console_sessions').selectAll().where('specialist_id', '=', specialistId)
    .where('revoked_at', 'is', null).where('expires_at', '>', new Date(now)).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => summary(r, null));
}
