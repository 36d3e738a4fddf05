// What the payment tests share: the API listening on loopback (Stripe's events need a URL), the
// fake Stripe pointed at it and sharing the test's clock, a prepaid practice, and the outbox
// delivered by hand with the real sender (payment jobs run the real Stripe SDK; emails are
// captured instead of sent).
import type { AddressInfo } from 'node:net';
import type { SendMailOptions } from 'nodemailer';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeStripe } from '../fakes/stripe.ts';
import { addPractice, bookingBody, http, type Practice, type Reply } from '../bookings/fixtures.ts';
import { deliverDue, type Delivery } from '../../server/notifications/deliver.ts';
import { createSender } from '../../server/notifications/sender.ts';
import { createMailTransport } from '../../server/notifications/channels/email.ts';
import type { NewService } from '../../server/db/schema.ts';

export const silentLog = { info() {}, warn() {}, error() {} };
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export interface PaymentsHarness {
  t: TestApp;
  api: string;
  stripe: FakeStripe;
  clock: TestClock;
  mails: (SendMailOptions & { messageId: string })[];
  delivery: Delivery;
  /** Delivers every outbox row due now (payment jobs, emails, ...) until none is left. */
  runJobs(): Promise<number>;
  call(method: string, path: string, token?: string | null, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export async function startPayments(o: { clock?: TestClock; env?: Record<string, string> } = {}): Promise<PaymentsHarness> {
  const stripe = await new FakeStripe().start();
  const clock = o.clock ?? new TestClock('2026-12-01T09:00:00Z');
  stripe.now = () => clock.now();
  const t = await startTestApp({ env: { ...stripe.env(), ...o.env }, clock });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  stripe.webhookUrl = `${api}/api/webhooks/stripe`;
  const mails: PaymentsHarness['mails'] = [];
  const delivery: Delivery = {
    db: t.database.db, clock, log: silentLog, maxAttempts: 6, backoffMs: 30_000,
    send: createSender({
      config: t.config, db: t.database.db, clock, log: silentLog, mail: createMailTransport(t.config.mail, silentLog),
      transports: { email: async (m) => { mails.push(m); }, webhook: async () => {}, calendar: async () => {} },
    }),
  };
  return {
    t, api, stripe, clock, mails, delivery,
    async runJobs() {
      let total = 0;
      for (let n = 1; n > 0; total += n) n = await deliverDue(delivery, 50);
      return total;
    },
    call: (method, path, token = null, body = undefined) => http(api, method, path, { token: token ?? undefined, body }),
    async close() {
      await stripe.stop();
      await t.close();
    },
  };
}

/** A practice whose one service is prepaid (EUR 90.00 unless told otherwise). */
export async function prepaidPractice(h: PaymentsHarness, service: Partial<NewService> = {}): Promise<Practice> {
  return addPractice(h.t.database.db, { service: { price_cents: 9000, currency: 'EUR', payment: 'prepay', cancellation_policy: 'moderate', horizon_days: 90, ...service } });
}

/** Books and returns the 201 body (an awaiting_payment hold with its Checkout URL). */
export async function hold(h: PaymentsHarness, p: Practice, start: number | string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await h.call('POST', '/api/bookings', null, bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start, extra));
  if (res.status !== 201) throw new Error(`hold: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The Stripe session id behind a booking's Checkout URL. */
export function sessionOf(checkoutUrl: string): string {
  return checkoutUrl.split('/').pop()!;
}

/** Holds and pays (the visitor clicks Pay on the hosted page), then waits for the webhook to land. */
export async function paidBooking(h: PaymentsHarness, p: Practice, start: number | string): Promise<any> {
  const b = await hold(h, p, start);
  h.stripe.pay(sessionOf(b.payment.checkoutUrl));
  await h.stripe.drained();
  return b;
}

export async function bookingRow(h: PaymentsHarness, id: string) {
  return h.t.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function paymentRow(h: PaymentsHarness, bookingId: string) {
  return h.t.database.db.selectFrom('payments').selectAll().where('booking_id', '=', bookingId).executeTakeFirstOrThrow();
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
