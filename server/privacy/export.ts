// Everything stored about one email address, in one JSON document (the right of access): the
// bookings with what the visitor entered, their times, the summaries shared with them, and the
// messages sent to them. The specialists' private notes are included for the site owner only,
// who decides what of them to hand out.
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { emailHash } from '../abuse/identity.ts';

export async function exportVisitor(db: Db, secretKey: Buffer, email: string, opts: { withNotes: boolean; now: number }) {
  const address = email.trim().toLowerCase();
  const bookings = await db.selectFrom('bookings as b')
    .innerJoin('specialists as s', 's.id', 'b.specialist_id')
    .selectAll('b').select(['s.name as specialist_name'])
    .where(sql<string>`lower(b.visitor_email)`, '=', address)
    .orderBy('b.starts_at').execute();
  const ids = bookings.map((b) => b.id);
  const messages = await db.selectFrom('notifications').select(['booking_id', 'kind', 'channel', 'status', 'send_at', 'sent_at', 'recipient'])
    .where((eb) => eb.or([
      ...(ids.length > 0 ? [eb.and([eb('booking_id', 'in', ids), eb('kind', 'like', 'visitor.%')])] : []),
      eb.and([eb('booking_id', 'is', null), eb(sql<string>`lower(recipient)`, '=', address)]),
    ]))
    .orderBy('send_at').execute();
  const verified = await db.selectFrom('verified_emails').select('verified_at').where('email_hash', '=', emailHash(secretKey, address)).executeTakeFirst();
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  return {
    email: address,
    exportedAt: new Date(opts.now).toISOString(),
    verifiedAt: iso(verified?.verified_at ?? null),
    bookings: bookings.map((b) => ({
      id: b.id,
      status: b.status,
      start: b.starts_at.toISOString(),
      end: b.ends_at.toISOString(),
      specialist: b.specialist_name,
      service: b.service_terms.name,
      visitor: { name: b.visitor_name, email: b.visitor_email, phone: b.visitor_phone, timezone: b.visitor_timezone, locale: b.visitor_locale },
      answers: b.answers,
      summary: b.summary,
      ...(opts.withNotes ? { notes: b.notes } : {}),
      cancellation: b.cancelled_at === null ? null : { at: b.cancelled_at.toISOString(), by: b.cancelled_by, reason: b.cancel_reason },
      joinedAt: iso(b.visitor_joined_at),
      recording: b.recording_id !== null,
      createdAt: b.created_at.toISOString(),
    })),
    messages: messages.map((m) => ({
      bookingId: m.booking_id, kind: m.kind, channel: m.channel, status: m.status, to: m.recipient, sendAt: m.send_at.toISOString(), sentAt: iso(m.sent_at),
    })),
  };
}
