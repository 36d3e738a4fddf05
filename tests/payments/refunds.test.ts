// Refunds through Stripe's Refund API, with the real SDK against the fake: the amount each policy
// boundary gives reaches Stripe exactly once; the practice's cancellations and declines refund in
// full; a reschedule keeps the payment; 429 and 500 are retried with backoff under the same key;
// a worker killed in the middle of a refund never refunds twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, TestClock } from '../helpers/app.ts';
import { expirePendingRequests } from '../../server/maintenance/jobs.ts';
import type { CancellationPolicy } from '../../server/db/schema.ts';
import { DAY, HOUR, MIN, bookingRow, paidBooking, paymentRow, prepaidPractice, startPayments, waitFor, type PaymentsHarness } from './support.ts';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const root = path.resolve(import.meta.dirname, '../..');

async function stripeRefunds(h: PaymentsHarness, bookingId: string) {
  const pi = (await paymentRow(h, bookingId)).stripe_payment_intent_id!;
  return h.stripe.refundsOf(pi);
}

describe('refunds under the policy the booking was made under', () => {
  let h: PaymentsHarness;
  before(async () => { h = await startPayments({ clock: new TestClock(T0) }); });
  after(() => h.close());

  test('every policy boundary: the computed amount reaches Stripe once (or nothing when 0%)', async () => {
    const cases: [CancellationPolicy, number, number][] = [
      ['flexible', 24 * HOUR, 100], ['flexible', 24 * HOUR - MIN, 0],
      ['moderate', 5 * DAY, 100], ['moderate', 5 * DAY - MIN, 50], ['moderate', 24 * HOUR, 50], ['moderate', 24 * HOUR - MIN, 0],
      ['strict', 14 * DAY, 50], ['strict', 14 * DAY - MIN, 0],
    ];
    const practices = new Map<CancellationPolicy, Awaited<ReturnType<typeof prepaidPractice>>>();
    for (const policy of ['flexible', 'moderate', 'strict'] as const) practices.set(policy, await prepaidPractice(h, { cancellation_policy: policy, price_cents: 9999 }));
    let i = 0;
    for (const [policy, lead, percent] of cases) {
      const p = practices.get(policy)!;
      const start = Date.parse('2026-12-20T08:00:00Z') + (i++) * HOUR;
      h.clock.set(T0);
      const b = await paidBooking(h, p, start);
      // The service's policy changes afterwards; the booking keeps its own terms.
      await h.t.database.db.updateTable('services').set({ cancellation_policy: 'none' }).where('id', '=', p.service.id).execute();
      h.clock.set(start - lead);
      const preview = await h.call('GET', `/api/bookings/${b.id}`, b.manageToken);
      const cents = Math.round((9999 * percent) / 100);
      assert.deepEqual(preview.body.refundPreview, { percent, cents, currency: 'EUR' }, `${policy} preview ${lead / MIN} min before`);
      const res = await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, { reason: 'Plans changed' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.cancellation.refund, { percent, cents, currency: 'EUR' });
      await h.runJobs();
      await h.runJobs(); // a second pass (a duplicate job, a retry) changes nothing
      await h.stripe.drained();
      const made = await stripeRefunds(h, b.id);
      assert.deepEqual(made.map((r) => r.amount), percent > 0 ? [cents] : [], `${policy} ${lead / MIN} min before: ${percent}%`);
      if (percent > 0) {
        assert.equal(made[0]!.metadata.reason, 'visitor_cancellation');
        assert.equal(made[0]!.reason, 'requested_by_customer');
        await waitFor('refund state from Stripe', async () => (await paymentRow(h, b.id)).refunded_cents === cents);
        assert.equal((await paymentRow(h, b.id)).status, percent === 100 ? 'refunded' : 'partially_refunded');
      } else {
        assert.equal((await paymentRow(h, b.id)).status, 'paid', 'nothing goes back');
      }
      const mail = h.mails.find((m) => String(m.subject).startsWith('Cancelled') && m.to === 'vera@example.com' && String(m.text).includes(`(${percent}%)`));
      assert.ok(mail, `cancellation email with the refund (${policy}, ${percent}%)`);
      await h.t.database.db.updateTable('services').set({ cancellation_policy: policy }).where('id', '=', p.service.id).execute();
    }
  });

  test('the system\'s cancellations refund in full: a paid request left unanswered, and the visitor\'s data erased by the owner', async () => {
    h.clock.set(T0);
    const p = await prepaidPractice(h, { cancellation_policy: 'strict', requires_approval: true, price_cents: 12000 });
    const request = await paidBooking(h, p, Date.parse('2026-12-10T10:00:00Z'));
    assert.equal((await bookingRow(h, request.id)).status, 'pending');
    h.clock.set(T0 + 49 * HOUR); // past the 48 h a request may wait
    assert.equal(await expirePendingRequests(h.t.app, h.clock.now()), 1);
    const expired = await bookingRow(h, request.id);
    assert.equal(expired.status, 'cancelled');
    assert.deepEqual([expired.refund_percent, expired.refund_cents], [100, 12000], 'strict policy binds the visitor, not the practice');

    const free = await prepaidPractice(h, { cancellation_policy: 'strict', price_cents: 8000 });
    const confirmed = await paidBooking(h, free, Date.parse('2026-12-11T10:00:00Z'));
    const erased = await h.call('POST', '/api/admin/visitors/erase', ADMIN_TOKEN, { email: 'vera@example.com' });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));

    await h.runJobs();
    await h.runJobs();
    await h.stripe.drained();
    assert.deepEqual((await stripeRefunds(h, request.id)).map((r) => [r.amount, r.metadata.reason]), [[12000, 'practice_cancellation']]);
    assert.deepEqual((await stripeRefunds(h, confirmed.id)).map((r) => [r.amount, r.metadata.reason]), [[8000, 'practice_cancellation']]);
  });

  test('a decline and a cancellation by the specialist or the owner refund in full; a reschedule keeps the payment', async () => {
    h.clock.set(T0);
    const strict = await prepaidPractice(h, { cancellation_policy: 'strict', requires_approval: true, price_cents: 15000, currency: 'USD' });
    const request = await paidBooking(h, strict, Date.parse('2026-12-03T10:00:00Z'));
    assert.equal((await bookingRow(h, request.id)).status, 'pending', 'paid, then waiting for the specialist');
    const declined = await h.call('POST', `/api/specialist/bookings/${request.id}/decline`, strict.credential, { reason: 'Fully booked' });
    assert.equal(declined.status, 200);
    assert.deepEqual(declined.body.cancellation.refund, { percent: 100, cents: 15000, currency: 'USD' });

    const moderate = await prepaidPractice(h, { cancellation_policy: 'moderate' });
    const bySpecialist = await paidBooking(h, moderate, Date.parse('2026-12-02T10:00:00Z'));
    assert.equal((await h.call('POST', `/api/bookings/${bySpecialist.id}/cancel`, moderate.credential, {})).status, 200);
    const byOwner = await paidBooking(h, moderate, Date.parse('2026-12-02T12:00:00Z'));
    assert.equal((await h.call('POST', `/api/bookings/${byOwner.id}/cancel`, ADMIN_TOKEN, {})).status, 200);

    const moved = await paidBooking(h, moderate, Date.parse('2026-12-04T10:00:00Z'));
    const res = await h.call('POST', `/api/bookings/${moved.id}/reschedule`, moved.manageToken, { start: '2026-12-05T10:00:00Z' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.payment.status, 'paid');

    await h.runJobs();
    await h.stripe.drained();
    assert.deepEqual((await stripeRefunds(h, request.id)).map((r) => [r.amount, r.currency, r.metadata.reason]), [[15000, 'usd', 'declined']]);
    assert.deepEqual((await stripeRefunds(h, bySpecialist.id)).map((r) => [r.amount, r.metadata.reason]), [[9000, 'practice_cancellation']]);
    assert.deepEqual((await stripeRefunds(h, byOwner.id)).map((r) => [r.amount, r.metadata.reason]), [[9000, 'practice_cancellation']]);
    assert.deepEqual(await stripeRefunds(h, moved.id), []);

    // The owner sees every payment with its refunds and Stripe ids; no card data exists to show.
    const list = await h.call('GET', `/api/admin/payments?bookingId=${request.id}`, ADMIN_TOKEN);
    assert.equal(list.status, 200);
    const [pay] = list.body.payments;
    assert.equal(pay.amountCents, 15000);
    assert.match(pay.stripePaymentIntentId, /^pi_/);
    assert.match(pay.stripeCheckoutSessionId, /^cs_test_/);
    assert.equal(pay.refunds[0].reason, 'declined');
    assert.match(pay.refunds[0].stripeRefundId, /^re_/);
    const one = await h.call('GET', `/api/admin/payments/${pay.id}`, ADMIN_TOKEN);
    assert.deepEqual(one.body, pay);
    assert.equal((await h.call('GET', '/api/admin/payments', null)).status, 401);
    const page = await h.call('GET', '/api/admin/payments?limit=2', ADMIN_TOKEN);
    assert.equal(page.body.payments.length, 2);
    const next = await h.call('GET', `/api/admin/payments?limit=2&cursor=${page.body.nextCursor}`, ADMIN_TOKEN);
    assert.ok(!next.body.payments.some((x: { id: string }) => page.body.payments.some((y: { id: string }) => y.id === x.id)));
  });

  test('Stripe answering 500 (the SDK retries) or 429 (the job retries after Retry-After): one refund, one key', async () => {
    h.clock.set(T0);
    const p = await prepaidPractice(h, { cancellation_policy: 'flexible' });
    const a = await paidBooking(h, p, Date.parse('2026-12-06T10:00:00Z'));
    const b = await paidBooking(h, p, Date.parse('2026-12-06T12:00:00Z'));

    h.stripe.failNext(500, 2, { path: '/v1/refunds', method: 'POST' });
    await h.call('POST', `/api/bookings/${a.id}/cancel`, a.manageToken, {});
    await h.runJobs();
    const keyA = (await h.t.database.db.selectFrom('refunds').select('idempotency_key').where('booking_id', '=', a.id).executeTakeFirstOrThrow()).idempotency_key;
    assert.equal(h.stripe.count('POST', '/v1/refunds', (r) => r.idempotencyKey === keyA), 3, 'two 500s, then the same request succeeds');
    assert.equal((await stripeRefunds(h, a.id)).length, 1);

    h.stripe.failNext(429, 1, { path: '/v1/refunds', method: 'POST', retryAfter: 40 });
    await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, {});
    await h.runJobs();
    assert.equal((await stripeRefunds(h, b.id)).length, 0, 'rate limited: nothing yet');
    const job = await h.t.database.db.selectFrom('notifications').selectAll().where('booking_id', '=', b.id).where('kind', '=', 'payment.refund').executeTakeFirstOrThrow();
    assert.equal(job.status, 'pending');
    assert.equal(job.next_attempt_at!.getTime(), h.clock.now() + 40_000, 'waits what Stripe asked (more than the 30 s backoff)');
    h.clock.advance(39_000);
    await h.runJobs();
    assert.equal((await stripeRefunds(h, b.id)).length, 0);
    h.clock.advance(1_000);
    await h.runJobs();
    const keyB = (await h.t.database.db.selectFrom('refunds').select('idempotency_key').where('booking_id', '=', b.id).executeTakeFirstOrThrow()).idempotency_key;
    assert.equal(h.stripe.count('POST', '/v1/refunds', (r) => r.idempotencyKey === keyB), 2);
    assert.deepEqual((await stripeRefunds(h, b.id)).map((r) => r.amount), [9000]);
  });

  test('an answer lost on the way back: the SDK retries with the same key and Stripe replays the one refund', async () => {
    h.clock.set(T0);
    const p = await prepaidPractice(h, { cancellation_policy: 'flexible' });
    const b = await paidBooking(h, p, Date.parse('2026-12-07T10:00:00Z'));
    h.stripe.dropAnswers('/v1/refunds');
    await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, {});
    await h.runJobs();
    const key = (await h.t.database.db.selectFrom('refunds').select('idempotency_key').where('booking_id', '=', b.id).executeTakeFirstOrThrow()).idempotency_key;
    const tries = h.stripe.requests.filter((r) => r.method === 'POST' && r.idempotencyKey === key);
    assert.deepEqual(tries.map((r) => r.replayed), [false, true]);
    assert.equal((await stripeRefunds(h, b.id)).length, 1);
    const row = await h.t.database.db.selectFrom('refunds').selectAll().where('booking_id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(row.stripe_refund_id, (await stripeRefunds(h, b.id))[0]!.id);
  });
});

describe('a worker killed in the middle of a refund', () => {
  let h: PaymentsHarness;
  let dataDir: string;
  // The worker runs on the real clock: so does this app.
  before(async () => {
    h = await startPayments({ clock: new TestClock(Date.now()) });
    dataDir = mkdtempSync(path.join(tmpdir(), 'bw-worker-'));
  });
  after(async () => {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker() {
    const env = {
      ...process.env, ...h.stripe.env(), NODE_ENV: 'test', DATABASE_URL: h.t.database.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir,
      PUBLIC_URL: 'http://localhost:3000', REDIS_URL: '', IN_PROCESS_WORKER: 'true',
      // Its claims outlive it by this lease (server/notifications/deliver.ts): short, so the retry comes soon.
      NOTIFICATION_LEASE_MS: '2000',
    };
    const child = spawn(process.execPath, [path.join(root, 'server/notifications/worker.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => { stderr += c; });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  for (const forgotten of [false, true]) {
    test(forgotten ? 'even after Stripe forgot the idempotency key (24 h later), the retry finds the refund it made'
      : 'SIGKILL after Stripe took the refund: the retry does not refund again', async () => {
      const day = new Date(h.clock.now() + 10 * DAY).toISOString().slice(0, 10);
      const p = await prepaidPractice(h, { cancellation_policy: 'moderate' });
      const b = await paidBooking(h, p, Date.parse(`${day}T${forgotten ? '12' : '10'}:00:00Z`));
      const release = h.stripe.hold('/v1/refunds');
      const cancelled = await h.call('POST', `/api/bookings/${b.id}/cancel`, b.manageToken, {});
      assert.equal(cancelled.body.cancellation.refund.percent, 100);

      const worker = startWorker();
      const pi = (await paymentRow(h, b.id)).stripe_payment_intent_id!;
      await waitFor('the worker reaches Stripe', async () => h.stripe.refundsOf(pi).length === 1, 20_000).catch(async (err) => {
        const rows = await h.t.database.db.selectFrom('notifications').select(['kind', 'status', 'last_error', 'send_at', 'attempts']).where('booking_id', '=', b.id).execute();
        throw new Error(`${err.message}\n${worker.stderr()}\n${JSON.stringify(rows)}\n${JSON.stringify(h.stripe.requests.slice(-3))}`);
      });
      worker.child.kill('SIGKILL');
      await worker.exited;
      release();
      if (forgotten) h.stripe.forgetIdempotencyKeys();

      // The dead worker's claim runs out with its lease; the worker leased by the wall clock, this
      // harness delivers on its test clock, so the lease's end is put in the test clock's past.
      await h.t.database.db.updateTable('notifications').set({ claimed_until: new Date(0) })
        .where('booking_id', '=', b.id).where('claim_token', 'is not', null).execute();
      // The job is claimable again, and runs here.
      await waitFor('the refund recorded', async () => {
        await h.runJobs();
        return (await h.t.database.db.selectFrom('refunds').select('stripe_refund_id').where('booking_id', '=', b.id).executeTakeFirstOrThrow()).stripe_refund_id;
      }, 20_000);
      await waitFor('the refund job done', async () => {
        await h.runJobs();
        return (await h.t.database.db.selectFrom('notifications').select(['status']).where('booking_id', '=', b.id).where('kind', '=', 'payment.refund').executeTakeFirstOrThrow()).status === 'sent';
      }, 20_000);
      await h.stripe.drained();
      assert.deepEqual(h.stripe.refundsOf(pi).map((r) => r.amount), [9000], 'one refund at Stripe');
      assert.equal(h.stripe.count('POST', '/v1/refunds'), 1, 'the retry found the refund instead of making one');
      const job = await h.t.database.db.selectFrom('notifications').select(['status']).where('booking_id', '=', b.id).where('kind', '=', 'payment.refund').executeTakeFirstOrThrow();
      assert.equal(job.status, 'sent');
      h.stripe.requests.length = 0;
    });
  }
});
