// What a verified payment does to its booking (called from the Stripe webhook, inside the
// transaction that records the event, with the payment row locked). A hold that is still held
// becomes the booking it was meant to be: confirmed, or pending when the service needs approval,
// with the usual confirmation, reminders, calendar event and video room. A payment that arrives
// after its hold expired confirms it only if the time is still free; otherwise, and for a hold the
// visitor cancelled, the money goes back in full and the visitor is told.
import type { Transaction } from 'kysely';
import type { BusyRange } from '../availability/engine.ts';
import type { Booking, Database, Payment } from '../db/schema.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import { queueRefund } from '../payments/refunds.ts';
import { isBlocked, lockSpecialists } from './store.ts';
import { pendingExpiresAt } from './lifecycle.ts';

export type Settlement = 'confirmed' | 'refunded';

export interface PaidInput {
  /** The payment as marked paid in this transaction. */
  payment: Payment;
  now: number;
  /** The specialist's external calendar busy time around the booking, fetched before the transaction. */
  busy: BusyRange[];
  /** PENDING_EXPIRY_HOURS: a paid request waits for approval no longer than any other. */
  pendingExpiryHours: number;
}

async function stillFree(trx: Transaction<Database>, b: Booking, now: number, busy: BusyRange[]): Promise<boolean> {
  const from = b.blocked_from.getTime();
  const until = b.blocked_until.getTime();
  if (b.starts_at.getTime() <= now) return false;
  if (busy.some((x) => x.start < until && x.end > from)) return false;
  return !(await isBlocked(trx, b.specialist_id, from, until, b.id));
}

export async function settlePaidBooking(trx: Transaction<Database>, { payment, now, busy, pendingExpiryHours }: PaidInput): Promise<{ bookingId: string; settlement: Settlement }> {
  const bookingId = payment.booking_id;
  const seen = await trx.selectFrom('bookings').select('specialist_id').where('id', '=', bookingId).executeTakeFirstOrThrow();
  // The same lock every booking write takes: the slot check below cannot race a new booking.
  await lockSpecialists(trx, [seen.specialist_id]);
  const b = await trx.selectFrom('bookings').selectAll().where('id', '=', bookingId).forUpdate().executeTakeFirstOrThrow();

  const confirmable = b.status === 'awaiting_payment' || (b.status === 'expired' && (await stillFree(trx, b, now, busy)));
  if (confirmable) {
    const service = await trx.selectFrom('services').select('requires_approval').where('id', '=', b.service_id).executeTakeFirstOrThrow();
    const pending = service.requires_approval;
    await trx.updateTable('bookings').set({
      status: pending ? 'pending' : 'confirmed',
      pending_expires_at: pending ? pendingExpiresAt(now, b.starts_at.getTime(), pendingExpiryHours) : null,
      updated_at: new Date(now),
    })
      .where('id', '=', b.id).where('status', '=', b.status).execute();
    await writeBookingNotifications(trx, b.id, 'created', now);
    return { bookingId, settlement: 'confirmed' };
  }
  await queueRefund(trx, payment, 'late_payment', payment.amount_cents, now);
  await writeBookingNotifications(trx, b.id, 'payment_refunded', now);
  return { bookingId, settlement: 'refunded' };
}
