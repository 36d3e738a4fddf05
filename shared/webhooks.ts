// The body of every webhook delivery (Standard Webhooks: type, timestamp, data), version 1. One
// schema for the OpenAPI document's `webhooks`, docs/webhooks.md and the tests that check real
// deliveries against it. Additive changes keep the version; anything else bumps it.
import { Type, type Static } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Money = Type.Object({ amountCents: Type.Integer(), currency: Type.Union([Type.String(), Type.Null()]) });

export const BOOKING_WEBHOOK_TYPES = [
  'booking.created', 'booking.confirmed', 'booking.declined', 'booking.rescheduled', 'booking.cancelled',
  'booking.completed', 'booking.no_show', 'booking.expired', 'booking.reviewed', 'booking.hold_expired', 'booking.payment_refunded',
] as const;

export const BookingWebhookEvent = Type.Object({
  type: Type.Union(BOOKING_WEBHOOK_TYPES.map((t) => Type.Literal(t)), { description: 'What happened; endpoints subscribe by type, "booking.*" or "*"' }),
  version: Type.Literal(1, { description: 'Payload version' }),
  timestamp: Type.String({ format: 'date-time', description: 'When it happened' }),
  data: Type.Object({
    id: Type.String({ format: 'uuid' }),
    status: Type.String({ description: 'The booking status after the event' }),
    specialistId: Type.String({ format: 'uuid' }),
    serviceId: Type.String({ format: 'uuid' }),
    serviceName: Type.String(),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    visitor: Type.Object({
      name: Type.String(), email: Type.String(), phone: Nullable(Type.String({ description: 'E.164' })),
      timezone: Type.String(), locale: Type.String(),
    }),
    specialist: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), timezone: Type.String() }), Type.Null()]),
    service: Type.Object({
      id: Type.String(), name: Type.String(), durationMin: Type.Integer(), videoEnabled: Type.Boolean(), cancellationPolicy: Type.String(),
    }),
    answers: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), value: Type.Union([Type.String(), Type.Boolean()]) }), { description: 'Intake answers, with the question labels' }),
    noShowParty: Type.Union([Type.Literal('visitor'), Type.Literal('specialist'), Type.Null()], { description: 'booking.no_show (and any no_show booking): who did not come. specialist: the visitor was in the call and the specialist never joined (a prepaid booking is refunded in full)' }),
    cancelReason: Nullable(Type.String()),
    cancelledBy: Nullable(Type.String()),
    price: Type.Union([Money, Type.Null()], { description: 'The service price the booking was made at' }),
    payment: Type.Union([Type.Object({ status: Type.String(), amountCents: Type.Integer(), currency: Type.String(), refundedCents: Type.Integer() }), Type.Null()], { description: 'The online payment (Stripe), if any' }),
    refund: Type.Union([Type.Object({ percent: Type.Integer(), amountCents: Type.Integer(), currency: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], { description: 'What a cancellation (or the specialist\'s no-show) refunds' }),
    previous: Type.Union([Type.Object({ startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }) }), Type.Null()], { description: 'booking.rescheduled: the time before the move' }),
    review: Type.Union([Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.String(), createdAt: Type.String({ format: 'date-time' }) }), Type.Null()]),
    links: Type.Object({ console: Nullable(Type.String({ format: 'uri', description: 'The booking in the console (sign-in required)' })) }),
  }),
}, { $id: 'BookingWebhookEvent', description: 'Sent as the JSON body of a POST, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)' });
export type BookingWebhookEvent = Static<typeof BookingWebhookEvent>;
