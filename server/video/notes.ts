// After the call: the specialist's private notes and the summary shared with the visitor, and
// each side's consultation history. The visitor's view never selects `notes` at all, so no
// serializer or future field can leak them.
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { HttpError } from '../http/errors.ts';
import { writeSummaryNotification } from '../notifications/outbox.ts';

/** How many consultations a history page lists (newest first). */
export const HISTORY_LIMIT = 100;

export interface NotesUpdate {
  notes?: string;
  summary?: string;
}

const NOTE_COLUMNS = ['id', 'notes', 'summary', 'summary_sent_at', 'updated_at'] as const;

export async function readNotes(db: Db, bookingId: string) {
  return db.selectFrom('bookings').select(NOTE_COLUMNS).where('id', '=', bookingId).executeTakeFirstOrThrow();
}

/** Saves notes and/or the summary; a changed summary counts as not sent yet (it may be sent again). */
export async function writeNotes(db: Db, bookingId: string, update: NotesUpdate, now: Date) {
  return db.updateTable('bookings')
    .set({
      ...(update.notes === undefined ? {} : { notes: update.notes }),
      ...(update.summary === undefined ? {} : {
        summary: update.summary,
        summary_sent_at: sql<Date | null>`CASE WHEN summary IS DISTINCT FROM ${update.summary} THEN NULL ELSE summary_sent_at END`,
      }),
      updated_at: now,
    })
    .where('id', '=', bookingId)
    .returning(NOTE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Statuses after which a summary makes sense (the session happened, or was due). */
const SUMMARY_STATUSES = new Set(['confirmed', 'in_progress', 'completed', 'no_show']);

/**
 * Emails the saved summary to the visitor, once per version of it: the marker set here is
 * cleared when the text changes. Marking and queueing share one transaction.
 */
export async function sendSummary(db: Db, bookingId: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const b = await trx.selectFrom('bookings').select(['status', 'summary', 'summary_sent_at']).where('id', '=', bookingId).forUpdate().executeTakeFirstOrThrow();
    if (!SUMMARY_STATUSES.has(b.status)) throw new HttpError(409, 'invalid_transition', `A ${b.status} booking has no summary to send.`);
    if (b.summary.trim() === '') throw new HttpError(409, 'no_summary', 'Write and save a summary before sending it.');
    if (b.summary_sent_at !== null) throw new HttpError(409, 'already_sent', 'This summary was sent already; change it to send it again.');
    const row = await trx.updateTable('bookings').set({ summary_sent_at: now }).where('id', '=', bookingId).returning(NOTE_COLUMNS).executeTakeFirstOrThrow();
    await writeSummaryNotification(trx, bookingId, now.getTime());
    return row;
  });
}

function historyBase(db: Db) {
  return db.selectFrom('bookings')
    .innerJoin('specialists', 'specialists.id', 'bookings.specialist_id')
    .select([
      'bookings.id', 'bookings.status', 'bookings.starts_at', 'bookings.ends_at', 'bookings.service_terms',
      'bookings.summary', 'bookings.visitor_name', 'bookings.visitor_email', 'specialists.name as specialist_name',
    ])
    .orderBy('bookings.starts_at', 'desc')
    .limit(HISTORY_LIMIT);
}

/**
 * What a manage token shows: that booking only. A manage token goes to whoever made the booking,
 * and anyone can book under another person's address, so it proves nothing about the email; the
 * whole history needs a verified address (emailHistory, through a visitor session).
 */
export async function bookingHistory(db: Db, bookingId: string) {
  return historyBase(db).where('bookings.id', '=', bookingId).execute();
}

/** Every consultation under a verified address (case-insensitive), summaries only. */
export async function emailHistory(db: Db, email: string) {
  return historyBase(db).where((eb) => eb(eb.fn('lower', ['bookings.visitor_email']), '=', email.toLowerCase())).execute();
}

/** A specialist's own consultations with one visitor, with the private notes. */
export async function specialistHistory(db: Db, specialistId: string, email: string) {
  return historyBase(db)
    .select('bookings.notes')
    .where('bookings.specialist_id', '=', specialistId)
    .where((eb) => eb(eb.fn('lower', ['bookings.visitor_email']), '=', email.toLowerCase()))
    .execute();
}

type HistoryRow = Awaited<ReturnType<typeof bookingHistory>>[number] & { notes?: string };

/** One consultation as a history lists it. */
export const historyItem = (row: HistoryRow) => ({
  bookingId: row.id,
  status: row.status,
  startsAt: row.starts_at.toISOString(),
  endsAt: row.ends_at.toISOString(),
  serviceName: row.service_terms.name,
  specialistName: row.specialist_name,
  summary: row.summary,
  ...(row.notes === undefined ? {} : { notes: row.notes }),
});
