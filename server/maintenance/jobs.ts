// Periodic jobs, safe with any number of API instances running them at once: each claims its
// rows with FOR UPDATE SKIP LOCKED and changes them with conditional updates, so two instances
// never handle one row twice. Pure of timers: the plugin (or a test) decides when they run.
import type { FastifyInstance } from 'fastify';
import { emitBookingChanged } from '../bookings/hooks.ts';
import { queueRefund, refundOwed } from '../payments/refunds.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import { anonymiseExpired, deleteRecordings } from '../privacy/erase.ts';
import { settleFinishedCalls } from '../video/outcomes.ts';

/** Receipts are kept well past any provider's replay window (Daily 5 min, LiveKit's token lifetime). */
export const RECEIPT_RETENTION_MS = 24 * 3_600_000;

/** Pending requests nobody answered in time: cancelled by the system, both sides told. */
export async function expirePendingRequests(app: FastifyInstance, now: number, batch = 100): Promise<number> {
  const expired = await app.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('bookings').selectAll()
      .where('status', '=', 'pending').where('pending_expires_at', '<=', new Date(now))
      .orderBy('pending_expires_at').limit(batch).forUpdate().skipLocked().execute();
    const ids: string[] = [];
    for (const b of rows) {
      // A request paid up front (a prepaid service needing approval) gets all its money back.
      const owed = await refundOwed(trx, b, 'system', now);
      const done = await trx.updateTable('bookings').set({
        status: 'cancelled', cancelled_at: new Date(now), cancelled_by: 'system', cancel_reason: 'The request was not answered in time.',
        refund_percent: owed?.refund.percent ?? null, refund_cents: owed?.refund.cents ?? null, updated_at: new Date(now),
      }).where('id', '=', b.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
      if (!done) continue;
      if (owed && owed.refund.cents! > 0) await queueRefund(trx, owed.payment, 'practice_cancellation', owed.refund.cents!, now);
      await writeBookingNotifications(trx, b.id, 'expired', now);
      ids.push(b.id);
    }
    return ids;
  });
  for (const id of expired) void emitBookingChanged(app, id, 'expired');
  return expired.length;
}

/** Spent challenges, old webhook receipts, dead codes and sessions. */
export async function cleanUp(app: FastifyInstance, now: number): Promise<void> {
  const at = new Date(now);
  await app.db.deleteFrom('used_challenges').where('expires_at', '<', at).execute();
  await app.db.deleteFrom('webhook_receipts').where('received_at', '<', new Date(now - RECEIPT_RETENTION_MS)).execute();
  await app.db.deleteFrom('email_verifications').where('expires_at', '<', new Date(now - 3_600_000)).execute();
  await app.db.deleteFrom('visitor_sessions').where('expires_at', '<', at).execute();
}

/** One round of everything; what each did, for logs and tests. */
export async function runMaintenance(app: FastifyInstance, now = app.clock.now()) {
  const expired = await expirePendingRequests(app, now);
  const anonymised = await anonymiseExpired(app.db, app.config.retentionDays, now);
  const recordings = await deleteRecordings(app, now);
  // Calls over without an outcome: the specialist who never came, Meet/Teams attendance.
  const calls = await settleFinishedCalls(app, now);
  await cleanUp(app, now);
  return { expired, anonymised, recordingsDeleted: recordings.deleted, callsSettled: calls.settled };
}
