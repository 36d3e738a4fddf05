// Who did not come to a no-show session: the visitor (the specialist waited, or marked it), or the
// specialist (the visitor was in the call and the host never joined). Every no-show before this
// migration was the visitor's (only the specialist could mark one). The party means something only
// while the status is no_show (readers take a missing one as the visitor's). A specialist's no-show gives a
// prepaid visitor all their money back: a refund reason of its own, so its idempotency key differs
// from any cancellation's.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE bookings ADD COLUMN no_show_party text CHECK (no_show_party IN ('visitor', 'specialist'))`.execute(db);
  await sql`UPDATE bookings SET no_show_party = 'visitor' WHERE status = 'no_show'`.execute(db);
  await sql`ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check`.execute(db);
  await sql`ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check
    CHECK (reason IN ('visitor_cancellation', 'practice_cancellation', 'declined', 'late_payment', 'external', 'specialist_no_show'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check`.execute(db);
  await sql`ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check
    CHECK (reason IN ('visitor_cancellation', 'practice_cancellation', 'declined', 'late_payment', 'external'))`.execute(db);
  await sql`ALTER TABLE bookings DROP COLUMN IF EXISTS no_show_party`.execute(db);
}
