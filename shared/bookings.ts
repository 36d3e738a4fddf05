// Booking requests and views, shared by the API (validation, serialisation, OpenAPI) and the
// widget (types only, via `import type`).
import { Type, type Static } from 'typebox';
import { CancellationPolicy, IsoInstant, RecordingState, TimeZoneName, Uuid } from './schemas.ts';
import { PaymentSummary } from './payments.ts';

// One enum (not a union of literals) so a wrong value is one validation error, not eight.
export const BookingStatusSchema = Type.Enum(
  ['awaiting_payment', 'pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show', 'expired'],
  { type: 'string', description: 'awaiting_payment: a prepaid booking held until its payment arrives; expired: that hold lapsed unpaid (it blocks no time)' },
);
export type BookingStatus = Static<typeof BookingStatusSchema>;

const ActorName = Type.Union([Type.Literal('visitor'), Type.Literal('specialist'), Type.Literal('admin')]);

export const IdempotencyKey = Type.String({
  minLength: 8,
  maxLength: 200,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'Any unique string per booking attempt (a UUID works); a retry with it returns the first booking.',
});

export const VisitorInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  timezone: TimeZoneName,
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()./-]{5,30}$', description: 'Digits, spaces and + ( ) . / -; stored in E.164. Without "+" it is read in `country`, else the locale\'s region, else the time zone\'s country. With SMS configured it must be able to receive SMS (no landline).' })),
  country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 country of the visitor, for a phone number written without "+"' })),
  locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 })),
}, { additionalProperties: false });

/**
 * An intake answer: text for text-like questions, a boolean for checkboxes. Left untyped in the
 * schema on purpose: the API's validator coerces types, so a union would turn `true` into "true"
 * (or "true" into `true`); server/bookings/intake.ts checks each answer against its question.
 */
export const Answer = Type.Unsafe<string | boolean>({ description: 'A string, or a boolean for checkbox questions' });

export const CreateBookingBody = Type.Object({
  specialist: Type.String({ minLength: 1, maxLength: 64, description: 'Specialist id or slug, or "any" for the least busy free specialist offering the service' }),
  service: Type.String({ minLength: 1, maxLength: 64, description: 'Service id or slug' }),
  start: IsoInstant,
  visitor: VisitorInput,
  answers: Type.Optional(Type.Record(Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$' }), Answer)),
  idempotencyKey: Type.Optional(IdempotencyKey),
  returnUrl: Type.Optional(Type.String({
    maxLength: 2000,
    description: 'The page the visitor books on (an allowed embedding origin): their emailed manage and join links return there, and so does Stripe Checkout for a prepaid service. Omitted: the practice\'s booking page (BOOKING_PAGE_URL), else the hosted /book/<specialist>; Checkout returns to PUBLIC_URL',
  })),
  challenge: Type.Optional(Type.String({
    maxLength: 4096,
    description: 'The solved challenge of GET /api/challenge: the ALTCHA payload (base64 JSON) of the built-in proof of work, or the token of a third-party CAPTCHA the site owner plugged in. Single-use.',
  })),
}, { additionalProperties: false });
export type CreateBookingBody = Static<typeof CreateBookingBody>;

export const CancelBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type CancelBody = Static<typeof CancelBody>;

export const RescheduleBody = Type.Object({ start: IsoInstant }, { additionalProperties: false });
export type RescheduleBody = Static<typeof RescheduleBody>;

export const BookingIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const BookingListQuery = Type.Object({
  from: IsoInstant,
  until: IsoInstant,
  status: Type.Optional(BookingStatusSchema),
});
export type BookingListQuery = Static<typeof BookingListQuery>;

/** A moment shown in one zone: the zone, and the local time with its offset (2026-11-23T10:00:00+01:00). */
const LocalTime = Type.Object({ timezone: TimeZoneName, start: Type.String(), end: Type.String() });

export const Refund = Type.Object({
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  cents: Type.Union([Type.Integer(), Type.Null()], { description: 'In the currency\'s minor unit' }),
  currency: Type.Union([Type.String(), Type.Null()]),
}, { description: 'Only for money paid online: a booking paid on site or free has no refund' });
export type Refund = Static<typeof Refund>;

export const BookingAction = Type.Union([
  Type.Literal('cancel'), Type.Literal('reschedule'), Type.Literal('approve'),
  Type.Literal('decline'), Type.Literal('complete'), Type.Literal('no_show'),
]);
export type BookingAction = Static<typeof BookingAction>;

export const BookingView = Type.Object({
  id: Uuid,
  status: BookingStatusSchema,
  start: IsoInstant,
  end: IsoInstant,
  specialist: Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), timezone: TimeZoneName }),
  service: Type.Object({
    id: Uuid,
    name: Type.String(),
    durationMin: Type.Integer(),
    priceCents: Type.Union([Type.Integer(), Type.Null()]),
    currency: Type.Union([Type.String(), Type.Null()]),
    cancellationPolicy: CancellationPolicy,
    videoEnabled: Type.Boolean(),
  }),
  visitor: Type.Object({
    name: Type.String(),
    email: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    timezone: TimeZoneName,
  }),
  /** The same times in the specialist's and the visitor's zones. */
  times: Type.Object({ specialist: LocalTime, visitor: LocalTime }),
  answers: Type.Record(Type.String(), Answer),
  actions: Type.Array(BookingAction, { description: 'What the caller may do now' }),
  refundPreview: Type.Union([Refund, Type.Null()], { description: 'The refund if the caller cancelled now; null when cancel is not allowed or nothing was paid online' }),
  cancellation: Type.Union([Type.Object({
    at: IsoInstant,
    by: Type.Union([ActorName, Type.Literal('system')], { description: 'system: a pending request that expired unanswered' }),
    reason: Type.Union([Type.String(), Type.Null()]),
    refund: Type.Union([Refund, Type.Null()], { description: 'What the cancellation refunds of the online payment; null when nothing was paid' }),
  }), Type.Null()]),
  payment: Type.Union([PaymentSummary, Type.Null()], { description: 'The Stripe payment of a prepaid booking, with its refunds' }),
  noShow: Type.Optional(Type.Union([Type.Object({
    party: Type.Union([Type.Literal('visitor'), Type.Literal('specialist')], { description: 'Who did not come. specialist: the visitor was in the call and the specialist never joined' }),
    refund: Type.Union([Refund, Type.Null()], { description: 'The specialist\'s no-show refunds an online payment in full; null otherwise' }),
  }), Type.Null()], { description: 'Set while the status is no_show' })),
  attendance: Type.Optional(Type.Union([
    Type.Literal('imported'), Type.Literal('scope_missing'), Type.Literal('not_connected'), Type.Literal('unavailable'), Type.Literal('no_data'), Type.Null(),
  ], { description: 'Google Meet / Teams: reading who attended after the meeting. imported: the provider answered (the outcome follows from it); scope_missing (the calendar connection lacks the attendance permission: reconnect it), not_connected, unavailable, no_data: the provider could not say, so the specialist marks the session by hand; null: not asked (yet), or another provider' })),
  moves: Type.Array(Type.Object({ from: IsoInstant, to: IsoInstant, by: ActorName, at: IsoInstant })),
  summary: Type.String({ description: 'What the specialist shared with the visitor after the session; empty until then' }),
  recording: RecordingState,
  createdAt: IsoInstant,
});
export type BookingView = Static<typeof BookingView>;

export const BookingPage = Type.Object({
  bookings: Type.Array(BookingView),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last' }),
  total: Type.Integer({ description: 'Bookings matching the filters, all pages' }),
});
export type BookingPage = Static<typeof BookingPage>;

export const CreatedBooking = Type.Object({
  ...BookingView.properties,
  manageToken: Type.String({ description: 'Shown once: the bearer token for GET/cancel/reschedule of this booking' }),
});
export type CreatedBooking = Static<typeof CreatedBooking>;

export const BookingList = Type.Object({ bookings: Type.Array(BookingView) });
export type BookingList = Static<typeof BookingList>;

/** `details` of a 409 slot_taken / 422 slot_unavailable: the nearest starts that are free now. */
export const SlotAlternatives = Type.Object({
  alternatives: Type.Array(Type.Object({ start: IsoInstant, end: IsoInstant, specialist: Uuid })),
});
export type SlotAlternatives = Static<typeof SlotAlternatives>;

/** GET /api/challenge: whether POST /api/bookings needs a proof, and the ALTCHA challenge to solve. */
export const ChallengeOffer = Type.Object({
  required: Type.Boolean(),
  kind: Type.Optional(Type.String({ description: '"altcha" for the built-in proof of work; another name for a third-party CAPTCHA' })),
  site: Type.Optional(Type.String({ description: 'The third-party CAPTCHA\'s site key' })),
  challenge: Type.Optional(Type.Object({
    parameters: Type.Object({
      algorithm: Type.String(),
      nonce: Type.String(),
      salt: Type.String(),
      cost: Type.Integer(),
      keyLength: Type.Integer(),
      keyPrefix: Type.String(),
      keySignature: Type.Optional(Type.String()),
      data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    signature: Type.String(),
  })),
});
export type ChallengeOffer = Static<typeof ChallengeOffer>;
