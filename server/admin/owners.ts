// Owner accounts: people who run the practice and sign in to the console by email, so the
// ADMIN_TOKEN can stay in the server's environment. Archiving ends their sessions at once.
import { sql } from 'kysely';
import type { OwnerAccount } from '../../shared/auth.ts';
import { revokeSessionsOf } from '../auth/sessions.ts';
import type { Db } from '../db/pool.ts';
import type { Owner } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { inTransaction, iso, type WriteContext } from './store.ts';

function toRecord(row: Owner): OwnerAccount {
  return { id: row.id, email: row.email, name: row.name, archivedAt: iso(row.archived_at), createdAt: row.created_at.toISOString() };
}

export async function listOwners(db: Db): Promise<OwnerAccount[]> {
  return (await db.selectFrom('owners').selectAll().orderBy('created_at').orderBy('id').execute()).map(toRecord);
}

export async function ownerRow(db: Db, id: string): Promise<Owner> {
  const row = await db.selectFrom('owners').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Owner');
  return row;
}

/** A new owner account; an address in use (any letter case) is 409 email_taken. */
export async function createOwner(db: Db, input: { email: string; name?: string }, { now }: WriteContext): Promise<OwnerAccount> {
  const taken = await db.selectFrom('owners').select('id').where(sql<string>`lower(email)`, '=', input.email.trim().toLowerCase()).executeTakeFirst();
  if (taken) throw new HttpError(409, 'email_taken', 'An owner account with this email exists already.', { field: 'body.email' });
  try {
    const row = await db.insertInto('owners').values({ email: input.email.trim(), name: input.name?.trim() ?? '', created_at: new Date(now) })
      .returningAll().executeTakeFirstOrThrow();
    return toRecord(row);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new HttpError(409, 'email_taken', 'An owner account with this email exists already.', { field: 'body.email' });
    throw err;
  }
}

export async function archiveOwner(db: Db, id: string, { now }: WriteContext): Promise<OwnerAccount> {
  return inTransaction(db, async (trx) => {
    const row = await ownerRow(trx, id);
    if (row.archived_at !== null) return toRecord(row);
    const updated = await trx.updateTable('owners').set({ archived_at: new Date(now) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await revokeSessionsOf(trx, { ownerId: id }, now);
    return toRecord(updated);
  });
}
