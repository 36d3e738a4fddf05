// The review link in the review request: /review/<booking id>?sig=<HMAC of the id under a key of
// its own>. Anyone holding the email can review once (reviews.booking_id is unique, so the link
// is single-use), and only within REVIEW_WINDOW_DAYS of the session's end.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../auth/tokens.ts';
import { subkey } from '../security/crypto.ts';

export const REVIEW_WINDOW_DAYS = 30;

export function reviewSignature(secretKey: Buffer, bookingId: string): string {
  return createHmac('sha256', subkey(secretKey, 'review-link')).update(bookingId).digest('base64url');
}

export function reviewUrl(publicUrl: string, secretKey: Buffer, bookingId: string): string {
  return `${publicUrl}/review/${encodeURIComponent(bookingId)}?sig=${reviewSignature(secretKey, bookingId)}`;
}

export function validReviewSignature(secretKey: Buffer, bookingId: string, sig: string): boolean {
  return safeEqual(sig, reviewSignature(secretKey, bookingId));
}
