// Runs the outbox rows of channel 'payment' (see queue.ts), for the notifications sender: loaded
// on first use, so processes that never see a payment job never load the Stripe SDK.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database, Notification } from '../db/schema.ts';
import { PermanentDeliveryError } from '../notifications/errors.ts';
import { closeHold } from './hold.ts';
import { PAYMENT_JOBS, type PaymentJobPayload } from './queue.ts';
import { sendRefund } from './refunds.ts';
import { stripeClient } from './stripe.ts';

export interface PaymentJobDeps {
  db: Kysely<Database>;
  config: Config;
  clock: { now(): number };
}

export async function deliverPaymentJob(deps: PaymentJobDeps, row: Notification): Promise<void> {
  if (deps.config.stripe === null) throw new PermanentDeliveryError('Stripe is not configured on this server (STRIPE_SECRET_KEY)');
  const p = row.payload as unknown as PaymentJobPayload;
  switch (row.kind) {
    case PAYMENT_JOBS.closeHold:
      await closeHold(deps, p.bookingId);
      return;
    case PAYMENT_JOBS.refund:
      if (!p.refundId) throw new PermanentDeliveryError('refund job without a refund id');
      await sendRefund({ db: deps.db, stripe: await stripeClient(deps.config.stripe) }, p.refundId);
      return;
    default:
      throw new PermanentDeliveryError(`unknown payment job "${row.kind}"`);
  }
}
