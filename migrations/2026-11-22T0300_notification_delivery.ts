// Delivery bookkeeping for the notifications outbox: when a row was put on the queue (so the relay
// enqueues each row once and removes the jobs of cancelled rows), and when a failed attempt may be
// retried by the in-process scheduler used without Redis.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE notifications ADD COLUMN enqueued_at timestamptz, ADD COLUMN next_attempt_at timestamptz`.execute(db);
  // The relay's two scans: pending rows not yet on the queue, and finished rows whose job may remain.
  await sql`CREATE INDEX notifications_unqueued ON notifications (send_at) WHERE status = 'pending' AND enqueued_at IS NULL`.execute(db);
  await sql`CREATE INDEX notifications_dequeue ON notifications (updated_at) WHERE status <> 'pending' AND enqueued_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS notifications_dequeue`.execute(db);
  await sql`DROP INDEX IF EXISTS notifications_unqueued`.execute(db);
  await sql`ALTER TABLE notifications DROP COLUMN IF EXISTS next_attempt_at, DROP COLUMN IF EXISTS enqueued_at`.execute(db);
}
