// Payments as the API shows them: the summary inside every booking view (visitor, specialist,
// owner) and the owner's full record with Stripe's ids. Amounts in the currency's minor unit.
import { Type, type Static } from 'typebox';
import { IsoInstant, Uuid } from './schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PaymentStatus = Type.Union([
  Type.Literal('open'), Type.Literal('paid'), Type.Literal('expired'), Type.Literal('canceled'),
  Type.Literal('partially_refunded'), Type.Literal('refunded'),
], { description: 'open: waiting for the visitor at Stripe Checkout; expired/canceled: never paid; refunded amounts follow Stripe' });
export type PaymentStatus = Static<typeof PaymentStatus>;

export const RefundStatus = Type.Union([
  Type.Literal('queued'), Type.Literal('pending'), Type.Literal('requires_action'),
  Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('canceled'),
], { description: 'queued: not yet sent to Stripe; the rest are Stripe\'s refund statuses, from its events' });

export const RefundReason = Type.Union([
  Type.Literal('visitor_cancellation'), Type.Literal('practice_cancellation'), Type.Literal('declined'),
  Type.Literal('late_payment'), Type.Literal('external'), Type.Literal('specialist_no_show'),
], { description: 'late_payment: paid after the hold lapsed and the time was gone; external: made in the Stripe dashboard; specialist_no_show: the visitor was in the call and the specialist never came (all of it back)' });

export const PaymentRefund = Type.Object({
  id: Uuid,
  amountCents: Type.Integer(),
  currency: Type.String(),
  reason: RefundReason,
  status: RefundStatus,
  createdAt: IsoInstant,
});
export type PaymentRefund = Static<typeof PaymentRefund>;

export const PaymentSummary = Type.Object({
  status: PaymentStatus,
  amountCents: Type.Integer(),
  currency: Type.String(),
  checkoutUrl: Nullable(Type.String({ description: 'Stripe Checkout, while the payment is open and the hold stands' })),
  holdExpiresAt: Nullable(IsoInstant),
  paidAt: Nullable(IsoInstant),
  refundedCents: Type.Integer({ description: 'Refunds Stripe reports as succeeded' }),
  refunds: Type.Array(PaymentRefund),
});
export type PaymentSummary = Static<typeof PaymentSummary>;

export const AdminPayment = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  ...PaymentSummary.properties,
  refunds: Type.Array(Type.Object({
    ...PaymentRefund.properties,
    stripeRefundId: Nullable(Type.String()),
    failureReason: Nullable(Type.String()),
  })),
  stripeCheckoutSessionId: Nullable(Type.String()),
  stripePaymentIntentId: Nullable(Type.String()),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type AdminPayment = Static<typeof AdminPayment>;

export const AdminPaymentList = Type.Object({ payments: Type.Array(AdminPayment), nextCursor: Nullable(Type.String()) });

export const AdminPaymentQuery = Type.Object({
  status: Type.Optional(PaymentStatus),
  bookingId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'nextCursor of the previous page' })),
});

export const CheckoutResponse = Type.Object({
  url: Type.String({ description: 'Stripe Checkout: send the visitor here' }),
  expiresAt: IsoInstant,
});
