// After the call: the specialist's private notes and the summary shared with the visitor, and
// each side's consultation history. The visitor's view never selects `notes` at all, so no
// serializer or future field can leak them.
import type { Db } from '../db/pool.ts';

/** How many consultations a history page lists (newest first). */
export const HISTORY_LIMIT = 100;

export interface NotesUpdate {
  notes?: string;
  summary?: string;
}

export async function readNotes(db: Db, bookingId: string) {
  return db.selectFrom('bookings').select(['id', 'notes', 'summary', 'updated_at']).where('id', '=', bookingId).executeTakeFirstOrThrow();
}

export async function writeNotes(db: Db, bookingId: string, update: NotesUpdate, now: Date) {
  return db.updateTable('bookings')
    .set({ ...(update.notes === undefined ? {} : { notes: update.notes }), ...(update.summary === undefined ? {} : { summary: update.summary }), updated_at: now })
    .where('id', '=', bookingId)
    .returning(['id', 'notes', 'summary', 'updated_at'])
    .executeTakeFirstOrThrow();
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
