// Reviews: what a visitor sends through the signed review link, and what the owner and the
// specialist read.
import { Type, type Static } from 'typebox';

export const ReviewInput = Type.Object({
  sig: Type.String({ minLength: 10, maxLength: 100, description: 'The signature of the review link' }),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type ReviewInput = Static<typeof ReviewInput>;

export const ReviewRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  bookingId: Type.String({ format: 'uuid' }),
  specialistId: Type.String({ format: 'uuid' }),
  serviceName: Type.String(),
  visitorName: Type.String(),
  sessionStart: Type.String({ format: 'date-time' }),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.String(),
  published: Type.Boolean({ description: 'Shown on the specialist\'s public profile' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ReviewRecord = Static<typeof ReviewRecord>;
export const ReviewList = Type.Object({ reviews: Type.Array(ReviewRecord, { description: 'Newest first, at most 200' }) });
export type ReviewList = Static<typeof ReviewList>;

export const PublicReview = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.String(),
  author: Type.String({ description: 'The visitor\'s first name and last initial ("Vera V."), nothing more' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export const PublicReviewList = Type.Object({
  reviews: Type.Array(PublicReview, { description: 'Newest first, at most 50' }),
  average: Type.Union([Type.Number(), Type.Null()], { description: 'Mean rating of the published reviews (one decimal); null when there are none' }),
  count: Type.Integer({ minimum: 0, description: 'How many reviews are published' }),
});
export type PublicReviewList = Static<typeof PublicReviewList>;
