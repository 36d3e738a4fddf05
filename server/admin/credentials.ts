// Specialist credentials: bearer tokens handed out once and stored only as SHA-256 hashes
// (server/auth/tokens.ts); requireSpecialist looks them up by hash.
import type { Credential, IssuedCredential } from '../../shared/admin.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Db } from '../db/pool.ts';
import type { Selectable } from 'kysely';
import type { SpecialistCredentialsTable } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { iso, type WriteContext } from './store.ts';

/** Prefix of specialist tokens, so a leaked one is recognisable in logs and secret scanners. */
export const SPECIALIST_TOKEN_PREFIX = 'spk';

function toRecord(row: Selectable<SpecialistCredentialsTable>): Credential {
  return {
    id: row.id, specialistId: row.specialist_id, label: row.label, createdAt: row.created_at.toISOString(),
    lastUsedAt: iso(row.last_used_at), revokedAt: iso(row.revoked_at),
  };
}

export async function issueCredential(db: Db, specialistId: string, label: string, { now }: WriteContext): Promise<IssuedCredential> {
  const specialist = await db.selectFrom('specialists').select('archived_at').where('id', '=', specialistId).executeTakeFirst();
  if (!specialist) throw notFound('Specialist');
  if (specialist.archived_at !== null) throw new HttpError(409, 'specialist_archived', 'Restore the specialist before issuing a credential.');
  const token = newToken(SPECIALIST_TOKEN_PREFIX);
  const row = await db.insertInto('specialist_credentials')
    .values({ specialist_id: specialistId, token_hash: hashToken(token), label, created_at: new Date(now) })
    .returningAll().executeTakeFirstOrThrow();
  return { ...toRecord(row), token };
}

export async function listCredentials(db: Db, specialistId: string): Promise<Credential[]> {
  const rows = await db.selectFrom('specialist_credentials').selectAll().where('specialist_id', '=', specialistId)
    .orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

/** Revocation takes effect on the next request (no cache). Revoking twice keeps the first time. */
export async function revokeCredential(db: Db, specialistId: string, credentialId: string, { now }: WriteContext): Promise<Credential> {
  await db.updateTable('specialist_credentials').set({ revoked_at: new Date(now) })
    .where('id', '=', credentialId).where('specialist_id', '=', specialistId).where('revoked_at', 'is', null).execute();
  const row = await db.selectFrom('specialist_credentials').selectAll()
    .where('id', '=', credentialId).where('specialist_id', '=', specialistId).executeTakeFirst();
  if (!row) throw notFound('Credential');
  return toRecord(row);
}
