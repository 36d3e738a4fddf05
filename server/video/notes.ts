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
 * Whether a booking proves its holder is the person behind its email. A manage token goes to
 * whoever made the booking, and emails are not verified, so anyone could book under another
 * person's address; having actually taken part in a session with a specialist is the proof.
 */
export function attended(booking: { status: string; visitor_joined_at: Date | null }): boolean {
  return booking.visitor_joined_at !== null || booking.status === 'completed';
}

/**
 * The visitor's consultations, summaries only: every one under the booking's email (matched
 * case-insensitively) when the booking was attended, else just that booking.
 */
export async function visitorHistory(db: Db, booking: { id: string; visitor_email: string; status: string; visitor_joined_at: Date | null }) {
  const scope = attended(booking) ? 'email' as const : 'booking' as const;
  const rows = await historyBase(db).where((eb) => scope === 'email'
    ? eb(eb.fn('lower', ['bookings.visitor_email']), '=', booking.visitor_email.toLowerCase())
    : eb('bookings.id', '=', booking.id)).execute();
  return { scope, rows };
}

/** A specialist's own consultations with one visitor, with the private notes. */
export async function specialistHistory(db: Db, specialistId: string, email: string) {
  return historyBase(db)
    .select('bookings.notes')
    .where('bookings.specialist_id', '=', specialistId)
    .where((eb) => eb(eb.fn('lower', ['bookings.visitor_email']), '=', email.toLowerCase()))
    .execute();
}
