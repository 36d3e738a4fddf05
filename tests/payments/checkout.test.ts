// Prepayment through Stripe Checkout with the real SDK against the fake: a hold that only a
// verified webhook confirms, one hold per slot under a race, holds that expire and free the time,
// and the configuration a prepaid service needs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_TOKEN } from '../helpers/app.ts';
import { addPractice, bookingBody, http, overlapCount } from '../bookings/fixtures.ts';
import { bookingRow, hold, HOUR, MIN, paymentRow, prepaidPractice, sessionOf, startPayments, type PaymentsHarness } from './support.ts';

let h: PaymentsHarness;
before(async () => { h = await startPayments(); });
after(() => h.close());

const START = Date.parse('2026-12-10T10:00:00Z');

describe('holds and Checkout', () => {
  test('a prepaid booking is held, paid at Checkout, and confirmed only by the signed webhook', async () => {
    const p = await prepaidPractice(h);
    const b = await hold(h, p, START, { returnUrl: 'http://embedder.test/book?x=1&token=leak' });
    assert.equal(b.status, 'awaiting_payment');
    assert.match(b.manageToken, /^bm_/);
    assert.equal(b.payment.status, 'open');
    assert.equal(b.payment.amountCents, 9000);
    assert.equal(b.payment.currency, 'EUR');
    assert.equal(b.payment.holdExpiresAt, new Date(h.clock.now() + 15 * MIN).toISOString());
    assert.equal(b.refundPreview, null, 'nothing paid, nothing to refund');
    assert.deepEqual(b.actions, ['cancel']);

    // The session carries what the booking says, under a key derived from the payment.
    const session = h.stripe.sessions.get(sessionOf(b.payment.checkoutUrl))!;
    assert.equal(session.amount_total, 9000);
    assert.equal(session.currency, 'eur');
    assert.equal(session.client_reference_id, b.id);
    assert.equal(session.customer_email, 'vera@example.com');
    assert.equal(session.expires_at, Math.floor((h.clock.now() + 45 * MIN) / 1000), 'Checkout outlives the hold by 30 min');
    assert.equal(session.success_url, `http://embedder.test/book?x=1&bw_booking=${b.id}&bw_payment=success`);
    assert.equal(session.cancel_url, `http://embedder.test/book?x=1&bw_booking=${b.id}&bw_payment=cancelled`);
    const create = h.stripe.requests.find((r) => r.path === '/v1/checkout/sessions')!;
    const payment = await paymentRow(h, b.id);
    assert.equal(create.idempotencyKey, `bw-checkout-${payment.id}`);

    // Nothing is announced while the hold waits for its money.
    const rows = await h.t.database.db.selectFrom('notifications').select(['kind', 'channel']).where('booking_id', '=', b.id).execute();
    assert.deepEqual(rows, [{ kind: 'payment.close_hold', channel: 'payment' }]);

    // Asking again for the Checkout gives the same page (no second session).
    const again = await h.call('POST', `/api/bookings/${b.id}/checkout`, b.manageToken);
    assert.equal(again.status, 200);
    assert.equal(again.body.url, b.payment.checkoutUrl);
    assert.equal(h.stripe.sessions.size, 1);

    // The visitor pays; the signed checkout.session.completed confirms.
    h.stripe.pay(session.id);
    await h.stripe.drained();
    const confirmed = await h.call('GET', `/api/bookings/${b.id}`, b.manageToken);
    assert.equal(confirmed.body.status, 'confirmed');
    assert.equal(confirmed.body.payment.status, 'paid');
    assert.equal(confirmed.body.payment.checkoutUrl, null);
    assert.equal(confirmed.body.refundPreview.percent, 100);
    assert.equal(confirmed.body.refundPreview.cents, 9000);
    assert.ok((await paymentRow(h, b.id)).stripe_payment_intent_id?.startsWith('pi_'));

    // The usual confirmation follows (with the amount paid), the hold's end finds nothing to do.
    h.clock.advance(16 * MIN);
    await h.runJobs();
    const mail = h.mails.find((m) => m.to === 'vera@example.com' && String(m.subject).startsWith('Confirmed'));
    assert.ok(mail, h.mails.map((m) => m.subject).join(', '));
    assert.match(String(mail!.text), /Paid: €90\.00/);
    assert.equal((await bookingRow(h, b.id)).status, 'confirmed');
    assert.equal(h.stripe.count('POST', `/v1/checkout/sessions/${session.id}/expire`), 0, 'a paid Checkout is not expired');
    assert.equal(await h.call('POST', `/api/bookings/${b.id}/checkout`, b.manageToken).then((r) => r.body.error), 'no_payment_due');
  });

  test('two visitors racing for one slot: one hold, one 409; the hold blocks the time like a booking', async () => {
    const p = await prepaidPractice(h);
    const start = START + 2 * HOUR;
    const [a, b] = await Promise.all([0, 1].map((i) => h.call('POST', '/api/bookings', null,
      bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start, { visitor: { name: `V${i}`, email: `v${i}@example.com`, timezone: 'UTC' } }))));
    assert.deepEqual([a!.status, b!.status].sort(), [201, 409]);
    const loser = a!.status === 409 ? a! : b!;
    assert.equal(loser.body.error, 'slot_taken');
    const slots = await h.call('GET', `/api/specialists/${p.specialist.slug}/slots?service=${p.service.slug}&from=2026-12-10&to=2026-12-10&timezone=UTC`);
    assert.ok(!slots.body.days[0].slots.some((s: { start: string }) => s.start === new Date(start).toISOString()), 'the held time is not offered');
    assert.equal(await overlapCount(h.t.database.db), 0);
  });

  test('an unpaid hold expires on time: the slot is free again, its Checkout closed, and only a "hold expired" note is sent', async () => {
    const p = await prepaidPractice(h);
    const start = START + 4 * HOUR;
    const b = await hold(h, p, start, { visitor: { name: 'Late Larry', email: 'larry@example.com', timezone: 'UTC' } });
    const sessionId = sessionOf(b.payment.checkoutUrl);
    h.mails.length = 0;

    h.clock.advance(15 * MIN - 1);
    await h.runJobs();
    assert.equal((await bookingRow(h, b.id)).status, 'awaiting_payment', 'not a millisecond early');
    h.clock.advance(1);
    await h.runJobs();
    assert.equal((await bookingRow(h, b.id)).status, 'expired');
    assert.equal(h.stripe.sessions.get(sessionId)!.status, 'expired');
    assert.equal((await paymentRow(h, b.id)).status, 'expired');
    assert.deepEqual(h.mails.filter((m) => m.to === 'larry@example.com').map((m) => m.subject), ['Not booked: Session with Dr. Test']);
    const view = await h.call('GET', `/api/bookings/${b.id}`, b.manageToken);
    assert.equal(view.body.status, 'expired');
    assert.deepEqual(view.body.actions, []);
    assert.equal(view.body.payment.checkoutUrl, null);
    assert.equal((await h.call('POST', `/api/bookings/${b.id}/checkout`, b.manageToken)).body.error, 'hold_expired');

    // The time is bookable again.
    const next = await hold(h, p, start, { visitor: { name: 'Next', email: 'next@example.com', timezone: 'UTC' } });
    assert.equal(next.status, 'awaiting_payment');
  });

  test('a visitor who gives up releases the time at once; nobody is told', async () => {
    const p = await prepaidPractice(h);
    const b = await hold(h, p, START + 6 * HOUR, { visitor: { name: 'Gina Giveup', email: 'gina@example.com', timezone: 'UTC' } });
    const cancelled = await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, {});
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.cancellation.refund, null);
    await h.runJobs();
    assert.equal(h.stripe.sessions.get(sessionOf(b.payment.checkoutUrl))!.status, 'expired');
    assert.equal((await paymentRow(h, b.id)).status, 'canceled');
    assert.deepEqual(h.mails.filter((m) => m.to === 'gina@example.com' || String(m.text).includes('Gina')), []);
    await hold(h, p, START + 6 * HOUR, { visitor: { name: 'Next', email: 'next@example.com', timezone: 'UTC' } });
  });

  test('returnUrl must be a page of an allowed embedding origin', async () => {
    const p = await prepaidPractice(h);
    const res = await h.call('POST', '/api/bookings', null, bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, START + 7 * HOUR, { returnUrl: 'https://evil.example/phish' }));
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_return_url');
    assert.equal(res.body.field, 'body.returnUrl');
    assert.equal(await h.t.database.db.selectFrom('bookings').select('id').where('starts_at', '=', new Date(START + 7 * HOUR)).executeTakeFirst(), undefined);
  });

  test('Stripe unreachable when booking: the hold stands and /checkout gets the page later', async () => {
    const p = await prepaidPractice(h);
    h.stripe.failNext(500, 4, { path: '/v1/checkout/sessions' });
    const b = await hold(h, p, START + 3 * HOUR);
    assert.equal(b.status, 'awaiting_payment');
    assert.equal(b.payment.checkoutUrl, null);
    const res = await h.call('POST', `/api/bookings/${b.id}/checkout`, b.manageToken);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(h.stripe.sessions.size > 0, true);
    // Every attempt carried the same key; Stripe made one session for them.
    const payment = await paymentRow(h, b.id);
    const tries = h.stripe.requests.filter((r) => r.idempotencyKey === `bw-checkout-${payment.id}`);
    assert.equal(tries.length, 5);
    assert.equal([...h.stripe.sessions.values()].filter((s) => s.metadata.payment_id === payment.id).length, 1);
  });
});

describe('configuration', () => {
  test('without Stripe keys a prepaid service cannot be created (400), free and pay-on-site services work as before', async () => {
    const plain = await startTestApp();
    try {
      const admin = (method: string, path: string, body?: unknown) => plain.app.inject({ method, url: path, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: body as object });
      const refused = await admin('POST', '/api/admin/services', { slug: 'paid', name: 'Paid', durationMin: 30, priceCents: 5000, currency: 'EUR', payment: 'prepay' });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error, 'payments_not_configured');
      assert.equal(refused.json().field, 'body.payment');
      const onSite = await admin('POST', '/api/admin/services', { slug: 'on-site', name: 'On site', durationMin: 30, priceCents: 5000, currency: 'EUR' });
      assert.equal(onSite.statusCode, 201);
      assert.equal(onSite.json().payment, 'none');
      const later = await admin('PATCH', '/api/admin/services/on-site', { payment: 'prepay' });
      assert.equal(later.statusCode, 400);
      assert.equal(later.json().error, 'payments_not_configured');

      // A prepaid service left over from a configuration with Stripe: booking it says why it cannot work.
      const p = await addPractice(plain.database.db, { service: { price_cents: 5000, currency: 'EUR', payment: 'prepay' } });
      const res = await plain.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, START) });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error, 'payments_unavailable');
      const hook = await plain.app.inject({ method: 'POST', url: '/api/webhooks/stripe', payload: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(hook.statusCode, 404);
      assert.equal(hook.json().error, 'webhooks_not_configured');
    } finally {
      await plain.close();
    }
  });

  test('with Stripe configured: prepay needs a price of at least 50 minor units', async () => {
    const res = await http(h.api, 'POST', '/api/admin/services', { token: ADMIN_TOKEN, body: { slug: 'cheap', name: 'Cheap', durationMin: 30, priceCents: 20, currency: 'EUR', payment: 'prepay' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'price_required');
    const ok = await http(h.api, 'POST', '/api/admin/services', { token: ADMIN_TOKEN, body: { slug: 'paid-ok', name: 'Paid', durationMin: 30, priceCents: 5000, currency: 'eur', payment: 'prepay', cancellationPolicy: 'strict' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.payment, 'prepay');
    const pub = await http(h.api, 'GET', '/api/services');
    assert.equal(pub.body.find((s: { slug: string }) => s.slug === 'paid-ok').payment, 'prepay');
  });
});
