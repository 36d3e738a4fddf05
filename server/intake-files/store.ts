// The documents of intake questions in PostgreSQL (bytea): an upload waits unclaimed for an hour,
// a booking claims its answers' uploads in its own transaction, erasure deletes them with the
// booking's data. Queries are plain functions taking the database or a transaction first.
import type { Kysely, Transaction } from 'kysely';
import type { Database, IntakeQuestion } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How long an upload waits for the booking it belongs to. */
export const UNCLAIMED_TTL_MS = 60 * 60_000;

export interface StoredFile { id: string; questionId: string; name: string; contentType: string; size: number }

export async function saveUpload(db: Db, f: { serviceId: string; questionId: string; name: string; contentType: string; data: Buffer }, now: number): Promise<StoredFile> {
  // Expired uploads go on the way (no timer needed for correctness).
  await db.deleteFrom('intake_files').where('booking_id', 'is', null).where('expires_at', '<', new Date(now)).execute();
  const row = await db.insertInto('intake_files').values({
    service_id: f.serviceId, question_id: f.questionId, name: f.name, content_type: f.contentType, size: f.data.length, data: f.data,
    created_at: new Date(now), expires_at: new Date(now + UNCLAIMED_TTL_MS),
  }).returning(['id', 'question_id', 'name', 'content_type', 'size']).executeTakeFirstOrThrow();
  return { id: row.id, questionId: row.question_id, name: row.name, contentType: row.content_type, size: row.size };
}

/**
 * Attaches the uploads the answers name to the booking: each must be an unclaimed, unexpired
 * upload of that service and question. Otherwise 400 (the transaction rolls back).
 */
export async function claimUploads(trx: Db, bookingId: string, serviceId: string, questions: readonly IntakeQuestion[], answers: Record<string, unknown>, now: number): Promise<void> {
  for (const q of questions) {
    const id = answers[q.id];
    if (q.type !== 'file' || typeof id !== 'string') continue;
    const claimed = await trx.updateTable('intake_files').set({ booking_id: bookingId, expires_at: null })
      .where('id', '=', id).where('service_id', '=', serviceId).where('question_id', '=', q.id)
      .where('booking_id', 'is', null).where('expires_at', '>', new Date(now))
      .returning('id').executeTakeFirst();
    if (!claimed) {
      throw new HttpError(400, 'invalid_answer', `"${q.label}": the uploaded file was not found or has expired; attach it again.`, { field: `body.answers.${q.id}` });
    }
  }
}

/** The files of bookings, without their bytes. */
export async function filesOf(db: Db, bookingIds: string[]): Promise<Map<string, StoredFile[]>> {
  const out = new Map<string, StoredFile[]>();
  if (bookingIds.length === 0) return out;
  const rows = await db.selectFrom('intake_files').select(['id', 'booking_id', 'question_id', 'name', 'content_type', 'size'])
    .where('booking_id', 'in', bookingIds).orderBy('created_at').execute();
  for (const r of rows) {
    const list = out.get(r.booking_id!) ?? [];
    list.push({ id: r.id, questionId: r.question_id, name: r.name, contentType: r.content_type, size: r.size });
    out.set(r.booking_id!, list);
  }
  return out;
}

export function readFile(db: Db, bookingId: string, fileId: string) {
  return db.selectFrom('intake_files').select(['name', 'content_type', 'size', 'data'])
    .where('id', '=', fileId).where('booking_id', '=', bookingId).executeTakeFirst();
}

/** Erasure and retention: the documents go with the booking's personal data. */
export async function deleteFilesOf(db: Db, bookingIds: string[]): Promise<void> {
  if (bookingIds.length > 0) await db.deleteFrom('intake_files').where('booking_id', 'in', bookingIds).execute();
}
