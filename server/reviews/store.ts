// Reviews in the database: one per booking, written with its booking.reviewed outbox rows in one
// transaction; listed for the owner (all) and a specialist (their own).
import type { Db } from '../db/pool.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { writeBookingNotifications } from '../notifications/outbox.ts';
import type { PublicReviewList, ReviewRecord } from '../../shared/reviews.ts';
import { REVIEW_WINDOW_DAYS, validReviewSignature } from './link.ts';

/** Sessions that can be reviewed: they took place, or were at least due to. */
const REVIEWABLE = new Set(['confirmed', 'in_progress', 'completed']);

export async function submitReview(db: Db, secretKey: Buffer, bookingId: string, input: { sig: string; rating: number; comment?: string }, now: number) {
  // A wrong signature and an unknown booking are the same 404.
  if (!validReviewSignature(secretKey, bookingId, input.sig)) throw notFound('Review link');
  return db.transaction().execute(async (trx) => {
    const b = await trx.selectFrom('bookings').select(['id', 'status', 'starts_at', 'ends_at', 'specialist_id']).where('id', '=', bookingId).forUpdate().executeTakeFirst();
    if (!b) throw notFound('Review link');
    if (!REVIEWABLE.has(b.status) || b.starts_at.getTime() > now) throw new HttpError(409, 'not_reviewable', 'This session cannot be reviewed (it has not taken place).');
    if (now > b.ends_at.getTime() + REVIEW_WINDOW_DAYS * 86_400_000) throw new HttpError(410, 'review_link_expired', `Reviews are taken up to ${REVIEW_WINDOW_DAYS} days after the session.`);
    const row = await trx.insertInto('reviews').values({
      booking_id: b.id, specialist_id: b.specialist_id, rating: input.rating, comment: (input.comment ?? '').trim(), created_at: new Date(now),
    }).onConflict((oc) => oc.column('booking_id').doNothing()).returning('id').executeTakeFirst();
    // The link is single-use: the first review stands.
    if (!row) throw new HttpError(409, 'already_reviewed', 'This session has already been reviewed. Thank you!');
    await writeBookingNotifications(trx, b.id, 'reviewed', now);
    return row.id;
  });
}

export async function listReviews(db: Db, filter: { specialistId?: string }): Promise<ReviewRecord[]> {
  let q = db.selectFrom('reviews as r').innerJoin('bookings as b', 'b.id', 'r.booking_id')
    .select(['r.id', 'r.booking_id', 'r.specialist_id', 'r.rating', 'r.comment', 'r.published', 'r.created_at', 'b.visitor_name', 'b.starts_at', 'b.service_terms']);
  if (filter.specialistId) q = q.where('r.specialist_id', '=', filter.specialistId);
  const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id').limit(200).execute();
  return rows.map((r) => ({
    id: r.id, bookingId: r.booking_id, specialistId: r.specialist_id, serviceName: r.service_terms.name, visitorName: r.visitor_name,
    sessionStart: r.starts_at.toISOString(), rating: r.rating, comment: r.comment, published: r.published, createdAt: r.created_at.toISOString(),
  }));
}

export async function setPublished(db: Db, id: string, published: boolean): Promise<void> {
  const res = await db.updateTable('reviews').set({ published }).where('id', '=', id).executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound('Review');
}

/** How a published review is signed: the first name and the initial of the last ("Vera V."), never more. Pure. */
export function reviewAuthor(visitorName: string): string {
  const words = visitorName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const last = words.length > 1 ? words.at(-1)! : '';
  return last ? `${words[0]} ${[...last][0]!.toLocaleUpperCase()}.` : words[0]!;
}

/** A specialist's published reviews, newest first (at most 50), with the mean and count of all published ones. */
export async function publishedReviews(db: Db, specialistId: string): Promise<PublicReviewList> {
  const published = db.selectFrom('reviews as r').where('r.specialist_id', '=', specialistId).where('r.published', '=', true);
  const [rows, all] = await Promise.all([
    published.innerJoin('bookings as b', 'b.id', 'r.booking_id').select(['r.rating', 'r.comment', 'r.created_at', 'b.visitor_name'])
      .orderBy('r.created_at', 'desc').orderBy('r.id').limit(50).execute(),
    published.select((eb) => [eb.fn.avg<string>('r.rating').as('avg'), eb.fn.countAll<string>().as('n')]).executeTakeFirstOrThrow(),
  ]);
  return {
    reviews: rows.map((r) => ({ rating: r.rating, comment: r.comment, author: reviewAuthor(r.visitor_name), createdAt: r.created_at.toISOString() })),
    average: all.avg === null ? null : Math.round(Number(all.avg) * 10) / 10,
    count: Number(all.n),
  };
}
