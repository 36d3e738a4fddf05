// Stripe's webhook: only a valid signature over the raw body counts, a replay changes nothing,
// events in any order settle the same way, and a payment that arrives after its hold expired is
// confirmed while the time is free and refunded in full (with a note) when it is not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bookingRow, hold, HOUR, MIN, paidBooking, paymentRow, prepaidPractice, sessionOf, startPayments, waitFor, type PaymentsHarness } from './support.ts';

let h: PaymentsHarness;
before(async () => { h = await startPayments(); });
after(() => h.close());

const START = Date.parse('2026-12-11T09:00:00Z');

describe('signatures and replays', () => {
  test('a forged, tampered or stale signature is 400 and changes nothing', async () => {
    const p = await prepaidPractice(h);
    h.stripe.autoDeliver = false;
    const b = await hold(h, p, START);
    h.stripe.pay(sessionOf(b.payment.checkoutUrl));
    const [completed] = h.stripe.pendingEvents().filter((e) => e.type === 'checkout.session.completed');
    const forged = await h.stripe.send(completed!, { secret: 'whsec_someone-else', retries: 0 });
    assert.equal(forged.status, 400);
    const tampered = await h.stripe.send(completed!, { tamper: true, retries: 0 });
    assert.equal(tampered.status, 400);
    const stale = await h.stripe.send(completed!, { timestamp: Math.floor(h.clock.now() / 1000) - 301, retries: 0 });
    assert.equal(stale.status, 400);
    const unsigned = await fetch(h.stripe.webhookUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(completed) });
    assert.equal(unsigned.status, 400);
    assert.equal((await unsigned.json()).error, 'invalid_signature');
    assert.equal((await bookingRow(h, b.id)).status, 'awaiting_payment');
    assert.equal(await h.t.database.db.selectFrom('stripe_events').select('id').where('id', '=', completed!.id).executeTakeFirst(), undefined);

    // The genuine delivery confirms; its replay is acknowledged and does nothing more.
    const first = await h.stripe.send(completed!, { retries: 0 });
    assert.equal(first.status, 200);
    const replay = await h.stripe.send(completed!, { retries: 0 });
    assert.equal(replay.status, 200);
    await h.stripe.deliver();
    h.stripe.autoDeliver = true;
    assert.equal((await bookingRow(h, b.id)).status, 'confirmed');
    const rows = await h.t.database.db.selectFrom('notifications').select('kind').where('booking_id', '=', b.id).where('kind', '=', 'visitor.confirmation').execute();
    assert.equal(rows.length, 1, 'one confirmation for two deliveries');
  });

  test('refund events out of order: a late "pending" never overwrites "succeeded"; a replay is a no-op', async () => {
    const p = await prepaidPractice(h, { cancellation_policy: 'flexible' });
    const b = await paidBooking(h, p, START + 2 * HOUR);
    h.stripe.autoDeliver = false;
    h.stripe.refundSettleMs = null;
    const res = await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, {});
    assert.equal(res.status, 200);
    await h.runJobs(); // sends the refund; Stripe answers pending
    h.clock.advance(2000);
    h.stripe.settleRefunds(); // refund.updated (succeeded), a second later
    const [created, updated] = [h.stripe.pendingEvents().find((e) => e.type === 'refund.created')!, h.stripe.pendingEvents().find((e) => e.type === 'refund.updated')!];
    await h.stripe.deliver([updated.id, created.id]);
    h.stripe.autoDeliver = true;
    h.stripe.refundSettleMs = 0;
    const refund = await h.t.database.db.selectFrom('refunds').selectAll().where('booking_id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.amount_cents, 9000);
    assert.equal((await paymentRow(h, b.id)).status, 'refunded');
    assert.equal((await paymentRow(h, b.id)).refunded_cents, 9000);
    // Replaying the old "pending" changes nothing either.
    assert.equal((await h.stripe.send(created, { retries: 0 })).status, 200);
    assert.equal((await h.t.database.db.selectFrom('refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow()).status, 'succeeded');
    const view = await h.call('GET', `/api/bookings/${b.id}`, b.manageToken);
    assert.equal(view.body.payment.status, 'refunded');
    assert.deepEqual(view.body.payment.refunds.map((r: { status: string; amountCents: number }) => [r.status, r.amountCents]), [['succeeded', 9000]]);
  });

  test('checkout.session.expired after the payment settled is ignored; async payment success settles once', async () => {
    const p = await prepaidPractice(h);
    h.stripe.autoDeliver = false;
    const b = await hold(h, p, START + 4 * HOUR);
    const s = h.stripe.pay(sessionOf(b.payment.checkoutUrl));
    const completed = h.stripe.pendingEvents().find((e) => e.type === 'checkout.session.completed')!;
    // The same payment reported twice (completed, then async_payment_succeeded), and a stray "expired".
    const again = { ...structuredClone(completed), id: `${completed.id}_async`, type: 'checkout.session.async_payment_succeeded' };
    const expired = { ...structuredClone(completed), id: `${completed.id}_exp`, type: 'checkout.session.expired', data: { object: { ...s, status: 'expired' } } };
    for (const e of [again, expired, completed]) assert.equal((await h.stripe.send(e, { retries: 0 })).status, 200);
    await h.stripe.deliver();
    h.stripe.autoDeliver = true;
    assert.equal((await bookingRow(h, b.id)).status, 'confirmed');
    assert.equal((await paymentRow(h, b.id)).status, 'paid');
    const confirmations = await h.t.database.db.selectFrom('notifications').select('id').where('booking_id', '=', b.id).where('kind', '=', 'visitor.confirmation').execute();
    assert.equal(confirmations.length, 1);
  });
});

describe('a payment after the hold expired', () => {
  /** Pays at the last moment, but Stripe's event only arrives after the hold has ended. */
  async function paidTooLate(start: number, email: string) {
    const p = await prepaidPractice(h, { cancellation_policy: 'strict' });
    const b = await hold(h, p, start, { visitor: { name: 'Slow Sam', email, timezone: 'UTC' } });
    h.stripe.autoDeliver = false;
    h.clock.advance(15 * MIN - 1000);
    h.stripe.pay(sessionOf(b.payment.checkoutUrl));
    h.clock.advance(1000);
    await h.runJobs(); // the hold ends: Checkout is complete, so it is left alone
    assert.equal((await bookingRow(h, b.id)).status, 'expired');
    assert.equal((await paymentRow(h, b.id)).status, 'open', 'a completed Checkout is not marked expired');
    return { p, b };
  }

  test('the time is still free: the booking is confirmed after all', async () => {
    const { b } = await paidTooLate(START + 6 * HOUR, 'sam1@example.com');
    await h.stripe.deliver();
    h.stripe.autoDeliver = true;
    assert.equal((await bookingRow(h, b.id)).status, 'confirmed');
    assert.equal((await paymentRow(h, b.id)).status, 'paid');
    assert.equal(await h.t.database.db.selectFrom('refunds').select('id').where('booking_id', '=', b.id).executeTakeFirst(), undefined);
  });

  test('the time was taken meanwhile: refunded in full, exactly once, and the visitor is told', async () => {
    const start = START + 8 * HOUR;
    const { p, b } = await paidTooLate(start, 'sam2@example.com');
    h.stripe.autoDeliver = true;
    const rival = await hold(h, p, start, { visitor: { name: 'Quick Quinn', email: 'quinn@example.com', timezone: 'UTC' } });
    assert.equal(rival.status, 'awaiting_payment');
    await h.stripe.deliver();
    await h.stripe.drained();
    assert.equal((await bookingRow(h, b.id)).status, 'expired', 'never confirmed over someone else');
    await h.runJobs(); // the refund job and the note
    await h.stripe.drained();
    const payment = await paymentRow(h, b.id);
    const refunds = h.stripe.refundsOf(payment.stripe_payment_intent_id!);
    assert.deepEqual(refunds.map((r) => r.amount), [9000]);
    assert.equal(refunds[0]!.metadata.reason, 'late_payment');
    await waitFor('refund settled', async () => (await paymentRow(h, b.id)).status === 'refunded');
    // First the hold's end, then the refund of the money that came too late.
    assert.deepEqual(h.mails.filter((m) => m.to === 'sam2@example.com').map((m) => m.subject), ['Not booked: Session with Dr. Test', 'Refunded: Session with Dr. Test']);
    const note = h.mails.find((m) => m.to === 'sam2@example.com' && String(m.subject).startsWith('Refunded'));
    assert.match(String(note!.text), /Refund \(to your card within 5–10 days\): €90\.00 \(100%\)/);
    // Running the jobs again (a duplicate job, a retried delivery) refunds nothing more.
    await h.runJobs();
    assert.equal(h.stripe.refundsOf(payment.stripe_payment_intent_id!).length, 1);
    assert.equal((await bookingRow(h, rival.id)).status, 'awaiting_payment');
  });
});
