// A visitor's personal data, out of every place it reached: the bookings (name, email, phone,
// answers, the specialist's notes and summary, reasons), the notifications (addresses, sealed
// manage tokens, webhook snapshots), the specialists' calendars (through the calendar outbox
// jobs), recordings at the video provider, and verification records. Bookings stay as anonymous
// rows, so the practice's schedule and statistics remain true. Retention uses the same steps.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Database, Booking } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { emitBookingChanged } from '../bookings/hooks.ts';
import { lockSpecialists } from '../bookings/store.ts';
import { queueRefund, refundOwed } from '../payments/refunds.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import { emailHash } from '../abuse/identity.ts';
import { videoProvider } from '../video/select.ts';
import { deleteFilesOf } from '../intake-files/store.ts';

export const ERASED_NAME = 'Erased visitor';
type Trx = Transaction<Database> | Kysely<Database>;

/** Removes the personal data of these bookings and of their notifications (one transaction). */
export async function anonymiseBookings(trx: Trx, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  const at = new Date(now);
  await trx.updateTable('bookings').set({
    visitor_name: ERASED_NAME, visitor_email: '', visitor_phone: null, answers: '{}', notes: '', summary: '',
    cancel_reason: null, idempotency_key: null, request_fingerprint: null, email_key: null, client_key: null,
    recording_url: null, return_url: null, anonymised_at: at, updated_at: at,
  }).where('id', 'in', ids).execute();
  await deleteFilesOf(trx, ids);
  // Nothing more goes to the visitor; what was sent keeps no address, token or snapshot.
  await trx.updateTable('notifications').set({ status: 'cancelled', last_error: 'not sent: personal data erased', updated_at: at })
    .where('booking_id', 'in', ids).where('status', '=', 'pending').where('kind', 'like', 'visitor.%').execute();
  await trx.updateTable('notifications').set({ recipient: '(erased)' })
    .where('booking_id', 'in', ids).where('channel', 'in', ['email', 'sms']).where('kind', 'like', 'visitor.%').execute();
  await sql`
    UPDATE notifications
       SET payload = CASE WHEN payload #> '{event,data,visitor}' IS NULL THEN payload - 'manageTokenSealed'
                          ELSE jsonb_set(jsonb_set(jsonb_set(payload - 'manageTokenSealed', '{event,data,visitor}', ${JSON.stringify({ name: ERASED_NAME, email: null, phone: null })}::jsonb),
                                                   '{event,data,answers}', '[]'::jsonb), '{event,data,review}', 'null'::jsonb) END
     WHERE booking_id = ANY(${ids}::uuid[])`.execute(trx);
  // A review's rating stays (it names nobody); its words may not.
  await trx.updateTable('reviews').set({ comment: '', published: false }).where('booking_id', 'in', ids).execute();
}

/** Calendar events of bookings that are not being cancelled (past ones) carry the visitor's name: delete them too. */
async function deleteCalendarEvents(trx: Trx, bookings: Booking[], now: number): Promise<void> {
  const withEvents = bookings.filter((b) => b.google_event_id !== null || b.outlook_event_id !== null);
  if (withEvents.length === 0) return;
  const connections = await trx.selectFrom('calendar_connections').select(['id', 'provider', 'specialist_id'])
    .where('specialist_id', 'in', [...new Set(withEvents.map((b) => b.specialist_id))]).where('status', '=', 'active').execute();
  const rows = withEvents.flatMap((b) => connections.filter((c) => c.specialist_id === b.specialist_id).map((c) => ({
    booking_id: b.id, kind: 'calendar.delete', channel: 'calendar' as const, recipient: c.id,
    payload: JSON.stringify({ bookingId: b.id, connectionId: c.id, provider: c.provider }),
    send_at: new Date(now), created_at: new Date(now), updated_at: new Date(now),
  })));
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
}

export interface ErasureReport {
  bookings: number;
  cancelled: number;
  calendarEvents: number;
  recordingsDeleted: number;
  recordingsPending: number;
}

/**
 * Erases everything about one email address (case-insensitive). Upcoming bookings are cancelled
 * first (the time is freed, the specialist told with an anonymous notice, calendar events
 * removed), then every booking is anonymised. Recordings are deleted at the provider after the
 * commit; one that fails is retried by the maintenance sweep (its id stays until it is gone).
 */
export async function eraseVisitor(app: FastifyInstance, email: string, by: 'visitor' | 'admin'): Promise<ErasureReport> {
  const now = app.clock.now();
  const address = email.trim().toLowerCase();
  const { cancelled, report } = await app.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('bookings').select(['id', 'specialist_id']).where(sql<string>`lower(visitor_email)`, '=', address)
      .where('anonymised_at', 'is', null).execute();
    // The specialists' booking locks first (the order every booking write takes), then the rows.
    await lockSpecialists(trx, found.map((b) => b.specialist_id));
    const bookings = found.length === 0 ? [] : await trx.selectFrom('bookings').selectAll().where('id', 'in', found.map((b) => b.id))
      .where('anonymised_at', 'is', null).orderBy('id').forUpdate().execute();
    const upcoming = bookings.filter((b) => (b.status === 'pending' || b.status === 'confirmed') && b.starts_at.getTime() > now);
    for (const b of upcoming) {
      const owed = await refundOwed(trx, b, by, now);
      await trx.updateTable('bookings').set({
        status: 'cancelled', cancelled_at: new Date(now), cancelled_by: by, cancel_reason: null,
        refund_percent: owed?.refund.percent ?? null, refund_cents: owed?.refund.cents ?? null, updated_at: new Date(now),
      }).where('id', '=', b.id).execute();
      if (owed && owed.refund.cents! > 0) {
        await queueRefund(trx, owed.payment, by === 'visitor' ? 'visitor_cancellation' : 'practice_cancellation', owed.refund.cents!, now);
      }
    }
    const ids = bookings.map((b) => b.id);
    await anonymiseBookings(trx, ids, now);
    // Written after anonymising: the specialist's notice and webhook snapshots name nobody.
    for (const b of upcoming) await writeBookingNotifications(trx, b.id, 'cancelled', now);
    await anonymiseBookings(trx, upcoming.map((b) => b.id), now); // the cancellation notice to the visitor is not sent either
    await deleteCalendarEvents(trx, bookings.filter((b) => !upcoming.includes(b)), now);
    await forgetAddress(trx, app.config.secretKey, address);
    // The cancellations queued theirs too (one per connected calendar).
    const queued = ids.length === 0 ? { n: '0' } : await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('booking_id', 'in', ids).where('kind', '=', 'calendar.delete').where('status', '=', 'pending').executeTakeFirstOrThrow();
    return {
      cancelled: upcoming.map((b) => b.id),
      report: { bookings: ids.length, cancelled: upcoming.length, calendarEvents: Number(queued.n), recordingsDeleted: 0, recordingsPending: 0 },
    };
  });
  for (const id of cancelled) void emitBookingChanged(app, id, 'cancelled');
  const recordings = await deleteRecordings(app, now);
  return { ...report, recordingsDeleted: recordings.deleted, recordingsPending: recordings.pending };
}

/** Verification records and sessions of the address, and codes mailed to it. */
async function forgetAddress(trx: Trx, secretKey: Buffer, address: string): Promise<void> {
  const hash = emailHash(secretKey, address);
  await trx.deleteFrom('email_verifications').where('email_hash', '=', hash).execute();
  await trx.deleteFrom('verified_emails').where('email_hash', '=', hash).execute();
  await trx.deleteFrom('visitor_sessions').where(sql<string>`lower(email)`, '=', address).execute();
  await trx.updateTable('notifications').set({ recipient: '(erased)', payload: sql`payload - 'codeSealed'` })
    .where('booking_id', 'is', null).where('channel', '=', 'email').where(sql<string>`lower(recipient)`, '=', address).execute();
}

/** Deletes the recordings of anonymised bookings at the provider; what fails stays for the next sweep. */
export async function deleteRecordings(app: Pick<FastifyInstance, 'db' | 'config' | 'log'>, _now: number, limit = 50): Promise<{ deleted: number; pending: number }> {
  const rows = await app.db.selectFrom('bookings').select(['id', 'recording_id'])
    .where('anonymised_at', 'is not', null).where('recording_id', 'is not', null).limit(limit).execute();
  if (rows.length === 0) return { deleted: 0, pending: 0 };
  const provider = await videoProvider(app.config);
  if (provider === null) return { deleted: 0, pending: rows.length };
  let deleted = 0;
  for (const r of rows) {
    try {
      await provider.deleteRecording(r.recording_id!);
      await app.db.updateTable('bookings').set({ recording_id: null }).where('id', '=', r.id).execute();
      deleted++;
    } catch (err) {
      app.log.warn({ err, bookingId: r.id }, 'recording deletion failed; retried later');
    }
  }
  return { deleted, pending: rows.length - deleted };
}

/** Retention: anonymises bookings that ended more than `days` ago, a batch at a time, safe across instances. */
export async function anonymiseExpired(db: Db, days: number, now: number, batch = 200): Promise<number> {
  if (days <= 0) return 0;
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('bookings').select('id')
      .where('anonymised_at', 'is', null).where('ends_at', '<', new Date(now - days * 86_400_000))
      .where('status', 'not in', ['pending', 'confirmed', 'in_progress'])
      .orderBy('ends_at').limit(batch).forUpdate().skipLocked().execute();
    // Ended long ago but never marked: as past as any other.
    const stale = rows.length < batch ? await trx.selectFrom('bookings').select('id')
      .where('anonymised_at', 'is', null).where('ends_at', '<', new Date(now - days * 86_400_000))
      .where('status', 'in', ['confirmed', 'in_progress'])
      .orderBy('ends_at').limit(batch - rows.length).forUpdate().skipLocked().execute() : [];
    const ids = [...rows, ...stale].map((r) => r.id);
    await anonymiseBookings(trx, ids, now);
    return ids.length;
  });
}
