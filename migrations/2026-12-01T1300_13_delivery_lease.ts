// Delivery without a transaction held across the send: a sender claims a row by giving it a
// claim token and a lease (claimed_until), commits, sends, and records the result under that
// token. A crashed sender's rows become claimable again when their lease runs out.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE notifications ADD COLUMN claim_token uuid, ADD COLUMN claimed_until timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE notifications DROP COLUMN IF EXISTS claimed_until, DROP COLUMN IF EXISTS claim_token`.execute(db);
}
