// Manage links and the lifecycle: who may see and change a booking (the authorization matrix),
// cancellation refunds at every policy boundary, reschedule, and the specialist's decisions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, ADMIN_TOKEN, type TestApp } from '../helpers/app.ts';
import { canTransition } from '../../server/bookings/lifecycle.ts';
import { refundPercent } from '../../server/bookings/policy.ts';
import type { BookingStatus, CancellationPolicy } from '../../server/db/schema.ts';
import { DAY, HOUR, T0, addPractice, bookingBody, type Practice } from './fixtures.ts';

const MIN = 60_000;
const clock = new TestClock(T0);
let t: TestApp;
let p: Practice;

async function call(method: 'GET' | 'POST', url: string, token?: string, payload?: object) {
  const res = await t.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: res.json() };
}

async function book(q: Practice, start: number | string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: q.specialist.id, service: q.service.id }, start, extra) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; manageToken: string; start: string; status: string };
}

before(async () => {
  t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  p = await addPractice(t.database.db, { service: { price_cents: 10000, currency: 'EUR' } });
});
after(() => t.close());

describe('authorization matrix', () => {
  let a: { id: string; manageToken: string };
  let b: { id: string; manageToken: string };
  let other: Practice;
  before(async () => {
    clock.set(T0);
    a = await book(p, '2026-12-03T10:00:00Z');
    b = await book(p, '2026-12-03T12:00:00Z');
    other = await addPractice(t.database.db);
  });

  test('the booking\'s own token, its specialist and the site owner may see it', async () => {
    const visitor = await call('GET', `/api/bookings/${a.id}`, a.manageToken);
    assert.equal(visitor.status, 200);
    assert.deepEqual(visitor.body.actions, ['cancel', 'reschedule']);
    const specialist = await call('GET', `/api/bookings/${a.id}`, p.credential);
    assert.equal(specialist.status, 200);
    assert.deepEqual(specialist.body.actions, ['cancel', 'reschedule']);
    const admin = await call('GET', `/api/bookings/${a.id}`, ADMIN_TOKEN);
    assert.equal(admin.status, 200);
  });

  test('everyone else gets the same 404 as for an id that does not exist', async () => {
    const unknown = await call('GET', '/api/bookings/6f1c1f0e-5b7a-4c1e-9d6a-2a4f8c3b9e10', a.manageToken);
    assert.equal(unknown.status, 404);
    const attempts = [
      ['another booking\'s token', a.id, b.manageToken],
      ['no token', a.id, undefined],
      ['a made-up token', a.id, 'bm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['a guessed id', '6f1c1f0e-5b7a-4c1e-9d6a-2a4f8c3b9e10', a.manageToken],
      ['a malformed id', 'not-a-uuid', a.manageToken],
      ['another specialist', a.id, other.credential],
    ] as const;
    for (const [name, id, token] of attempts) {
      for (const [method, path, payload] of [
        ['GET', `/api/bookings/${id}`, undefined],
        ['POST', `/api/bookings/${id}/cancel`, {}],
        ['POST', `/api/bookings/${id}/reschedule`, { start: '2026-12-03T15:00:00Z' }],
      ] as const) {
        const res = await call(method, path, token, payload);
        assert.equal(res.status, 404, `${name}: ${method} ${path}`);
        assert.deepEqual(res.body, unknown.body, `${name}: the answer reveals nothing`);
      }
    }
    const still = await call('GET', `/api/bookings/${a.id}`, a.manageToken);
    assert.equal(still.body.status, 'confirmed');
    assert.equal(still.body.start, '2026-12-03T10:00:00.000Z');
  });

  test('specialist routes need the specialist\'s own credential', async () => {
    assert.equal((await call('POST', `/api/specialist/bookings/${a.id}/complete`)).status, 401);
    assert.equal((await call('POST', `/api/specialist/bookings/${a.id}/complete`, a.manageToken)).status, 401, 'a manage token is no credential');
    assert.equal((await call('POST', `/api/specialist/bookings/${a.id}/complete`, other.credential)).status, 404);
    const list = await call('GET', '/api/specialist/bookings?from=2026-12-01T00:00:00Z&until=2026-12-31T00:00:00Z', other.credential);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.bookings, []);
  });
});

describe('cancellation policy', () => {
  const H24 = 24 * HOUR;
  // [policy, lead time before the start, expected percent]
  const boundaries: [CancellationPolicy, number, number][] = [
    ['flexible', H24 + 1, 100], ['flexible', H24, 100], ['flexible', H24 - 1, 0], ['flexible', 0, 0],
    ['moderate', 5 * DAY + 1, 100], ['moderate', 5 * DAY, 100], ['moderate', 5 * DAY - 1, 50],
    ['moderate', H24 + 1, 50], ['moderate', H24, 50], ['moderate', H24 - 1, 0],
    ['strict', 30 * DAY, 50], ['strict', 14 * DAY + 1, 50], ['strict', 14 * DAY, 50], ['strict', 14 * DAY - 1, 0], ['strict', H24, 0],
    ['none', 30 * DAY, 0], ['none', H24, 0],
  ];

  test('refundPercent at, just before and just after every boundary (pure)', () => {
    const start = Date.parse('2027-01-20T10:00:00Z');
    for (const [policy, lead, percent] of boundaries) {
      assert.equal(refundPercent(policy, start, start - lead), percent, `${policy} cancelled ${lead} ms before`);
    }
  });

  // Refund amounts of paid bookings under every policy reach Stripe in tests/payments/refunds.test.ts.
  test('a booking not paid online refunds nothing under any policy: no preview, no stored refund', async () => {
    const practices = new Map<CancellationPolicy, Practice>();
    for (const policy of ['flexible', 'moderate', 'strict', 'none'] as const) {
      practices.set(policy, await addPractice(t.database.db, { service: { cancellation_policy: policy, price_cents: 9999, currency: 'EUR', horizon_days: 60 } }));
    }
    // Boundaries that matter at a minute's resolution as well as exactly.
    const cases: [CancellationPolicy, number, number][] = [
      ['flexible', 24 * HOUR, 100], ['flexible', 24 * HOUR - MIN, 0],
      ['moderate', 5 * DAY, 100], ['moderate', 5 * DAY - MIN, 50], ['moderate', 24 * HOUR, 50], ['moderate', 24 * HOUR - MIN, 0],
      ['strict', 14 * DAY, 50], ['strict', 14 * DAY - MIN, 0],
      ['none', 30 * DAY, 0],
    ];
    let i = 0;
    for (const [policy, lead, percent] of cases) {
      const q = practices.get(policy)!;
      const start = Date.parse('2026-12-25T08:00:00Z') + (i++) * HOUR;
      clock.set(T0);
      const booking = await book(q, start);
      // Changing the service's policy afterwards must not change this booking's terms.
      await t.database.db.updateTable('services').set({ cancellation_policy: policy === 'none' ? 'flexible' : 'none' })
        .where('id', '=', q.service.id).execute();
      clock.set(start - lead);
      const preview = await call('GET', `/api/bookings/${booking.id}`, booking.manageToken);
      assert.equal(preview.body.refundPreview, null, `${policy} preview at ${lead / MIN} min (policy would give ${percent}%)`);
      const res = await call('POST', `/api/bookings/${booking.id}/cancel`, booking.manageToken, { reason: 'Plans changed' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'cancelled');
      assert.equal(res.body.cancellation.refund, null, `${policy} at ${lead / MIN} min`);
      assert.equal(res.body.cancellation.by, 'visitor');
      assert.equal(res.body.cancellation.reason, 'Plans changed');
      assert.deepEqual(res.body.actions, []);
      const row = await t.database.db.selectFrom('bookings').select(['refund_percent', 'refund_cents', 'cancelled_at'])
        .where('id', '=', booking.id).executeTakeFirstOrThrow();
      assert.equal(row.refund_percent, null);
      assert.equal(row.refund_cents, null);
      assert.equal(row.cancelled_at?.getTime(), start - lead);
      await t.database.db.updateTable('services').set({ cancellation_policy: policy }).where('id', '=', q.service.id).execute();
    }
    clock.set(T0);
  });

  test('a cancellation by the practice of a booking paid on site, or of a free one, claims no refund', async () => {
    const q = await addPractice(t.database.db, { service: { cancellation_policy: 'strict', price_cents: 5000, currency: 'USD' } });
    clock.set(T0);
    const booking = await book(q, '2026-12-02T10:00:00Z');
    const res = await call('POST', `/api/bookings/${booking.id}/cancel`, q.credential, {});
    assert.equal(res.status, 200);
    assert.equal(res.body.cancellation.refund, null);
    assert.equal(res.body.cancellation.by, 'specialist');

    const free = await addPractice(t.database.db);
    const fb = await book(free, '2026-12-04T10:00:00Z');
    const fres = await call('POST', `/api/bookings/${fb.id}/cancel`, fb.manageToken);
    assert.equal(fres.status, 200, JSON.stringify(fres.body));
    assert.equal(fres.body.cancellation.refund, null);
  });

  test('cancelling twice, or after the start, is 409 invalid_transition; a cancelled slot is free again', async () => {
    clock.set(T0);
    const booking = await book(p, '2026-12-06T10:00:00Z');
    assert.equal((await call('POST', `/api/bookings/${booking.id}/cancel`, booking.manageToken, {})).status, 200);
    const twice = await call('POST', `/api/bookings/${booking.id}/cancel`, booking.manageToken, {});
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error, 'invalid_transition');
    await book(p, '2026-12-06T10:00:00Z');

    const late = await book(p, '2026-12-06T14:00:00Z');
    clock.set('2026-12-06T14:10:00Z');
    const res = await call('POST', `/api/bookings/${late.id}/cancel`, late.manageToken, {});
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'invalid_transition');
    clock.set(T0);
  });
});

describe('reschedule', () => {
  test('moves atomically, keeps the history and frees the old time', async () => {
    clock.set(T0);
    const booking = await book(p, '2026-12-08T10:00:00Z');
    const res = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-08T15:00:00Z' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.start, '2026-12-08T15:00:00.000Z');
    assert.equal(res.body.end, '2026-12-08T16:00:00.000Z');
    assert.equal(res.body.moves.length, 1);
    assert.deepEqual(res.body.moves[0], { from: '2026-12-08T10:00:00.000Z', to: '2026-12-08T15:00:00.000Z', by: 'visitor', at: new Date(T0).toISOString() });
    const row = await t.database.db.selectFrom('bookings').select(['blocked_from', 'blocked_until']).where('id', '=', booking.id).executeTakeFirstOrThrow();
    assert.equal(row.blocked_from.toISOString(), '2026-12-08T15:00:00.000Z');
    await book(p, '2026-12-08T10:00:00Z'); // the old time is free
    const rows = await t.database.db.selectFrom('notifications').select('kind').where('booking_id', '=', booking.id).execute();
    assert.ok(rows.length > 0);
  });

  test('it may overlap its own old time', async () => {
    const booking = await book(p, '2026-12-09T10:00:00Z');
    const res = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-09T10:30:00Z' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('a taken target is 409 with alternatives, a non-slot 422, and the booking stays put', async () => {
    const booking = await book(p, '2026-12-10T10:00:00Z');
    await book(p, '2026-12-10T13:00:00Z');
    const taken = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-10T12:30:00Z' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error, 'slot_taken');
    assert.ok(taken.body.details.alternatives.length > 0);
    const off = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-10T21:00:00Z' });
    assert.equal(off.status, 422);
    assert.equal(off.body.error, 'slot_unavailable');
    const view = await call('GET', `/api/bookings/${booking.id}`, booking.manageToken);
    assert.equal(view.body.start, '2026-12-10T10:00:00.000Z');
    assert.deepEqual(view.body.moves, []);
  });

  test('the booked duration holds even if the service changed since', async () => {
    const q = await addPractice(t.database.db);
    const booking = await book(q, '2026-12-11T10:00:00Z');
    await t.database.db.updateTable('services').set({ duration_min: 120 }).where('id', '=', q.service.id).execute();
    const res = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-11T14:00:00Z' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.end, '2026-12-11T15:00:00.000Z');
  });

  test('a cancelled or started booking cannot be moved', async () => {
    const booking = await book(p, '2026-12-12T10:00:00Z');
    await call('POST', `/api/bookings/${booking.id}/cancel`, booking.manageToken, {});
    const res = await call('POST', `/api/bookings/${booking.id}/reschedule`, booking.manageToken, { start: '2026-12-12T15:00:00Z' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'invalid_transition');

    const started = await book(p, '2026-12-12T12:00:00Z');
    clock.set('2026-12-12T12:05:00Z');
    const late = await call('POST', `/api/bookings/${started.id}/reschedule`, started.manageToken, { start: '2026-12-13T15:00:00Z' });
    assert.equal(late.status, 409);
    clock.set(T0);
  });
});

describe('lifecycle', () => {
  test('canTransition follows the documented lifecycle', () => {
    const all: BookingStatus[] = ['pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'];
    const allowed = new Set([
      'pending>confirmed', 'pending>cancelled', 'confirmed>in_progress', 'confirmed>cancelled',
      'confirmed>completed', 'confirmed>no_show', 'in_progress>completed', 'in_progress>no_show',
    ]);
    for (const from of all) for (const to of all) assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} -> ${to}`);
  });

  test('the specialist approves or declines requests; declining frees the slot with a full refund', async () => {
    clock.set(T0);
    const q = await addPractice(t.database.db, { service: { requires_approval: true, price_cents: 8000, currency: 'EUR', cancellation_policy: 'none' } });
    const one = await book(q, '2026-12-14T10:00:00Z');
    const two = await book(q, '2026-12-14T12:00:00Z');
    const seen = await call('GET', `/api/bookings/${one.id}`, q.credential);
    assert.deepEqual(seen.body.actions, ['cancel', 'reschedule', 'approve', 'decline']);

    const approved = await call('POST', `/api/specialist/bookings/${one.id}/approve`, q.credential);
    assert.equal(approved.status, 200);
    assert.equal(approved.body.status, 'confirmed');
    const again = await call('POST', `/api/specialist/bookings/${one.id}/approve`, q.credential);
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'invalid_transition');

    const declined = await call('POST', `/api/specialist/bookings/${two.id}/decline`, q.credential, { reason: 'Fully booked' });
    assert.equal(declined.status, 200);
    assert.equal(declined.body.status, 'cancelled');
    assert.equal(declined.body.cancellation.refund, null, 'a declined request paid on site "refunds" nothing');
    assert.equal(declined.body.cancellation.reason, 'Fully booked');
    await book(q, '2026-12-14T12:00:00Z');
    const kinds = await t.database.db.selectFrom('notifications').select('kind').where('booking_id', '=', two.id).execute();
    assert.ok(kinds.length > 0);
  });

  test('completed and no-show only after the start, and only once', async () => {
    clock.set(T0);
    const one = await book(p, '2026-12-15T10:00:00Z');
    const two = await book(p, '2026-12-15T12:00:00Z');
    const early = await call('POST', `/api/specialist/bookings/${one.id}/complete`, p.credential);
    assert.equal(early.status, 409);
    assert.equal(early.body.error, 'invalid_transition');

    clock.set('2026-12-15T13:30:00Z');
    const seen = await call('GET', `/api/bookings/${one.id}`, p.credential);
    assert.deepEqual(seen.body.actions, ['cancel', 'complete', 'no_show']);
    const done = await call('POST', `/api/specialist/bookings/${one.id}/complete`, p.credential);
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'completed');
    const noShow = await call('POST', `/api/specialist/bookings/${two.id}/no-show`, p.credential);
    assert.equal(noShow.body.status, 'no_show');
    for (const [id, path] of [[one.id, 'no-show'], [two.id, 'complete'], [one.id, 'decline']]) {
      const res = await call('POST', `/api/specialist/bookings/${id}/${path}`, p.credential);
      assert.equal(res.status, 409, `${path} after the end`);
      assert.equal(res.body.error, 'invalid_transition');
    }
    assert.equal((await call('POST', `/api/bookings/${one.id}/cancel`, one.manageToken, {})).status, 409);
    clock.set(T0);
  });

  test('the specialist lists their own bookings by date range', async () => {
    const q = await addPractice(t.database.db);
    const x = await book(q, '2026-12-16T10:00:00Z');
    const y = await book(q, '2026-12-17T10:00:00Z');
    await book(q, '2026-12-19T10:00:00Z');
    await call('POST', `/api/bookings/${y.id}/cancel`, y.manageToken, {});
    const list = await call('GET', '/api/specialist/bookings?from=2026-12-16T00:00:00Z&until=2026-12-18T00:00:00Z', q.credential);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.bookings.map((b: { id: string }) => b.id), [x.id, y.id]);
    assert.equal(list.body.bookings[0].visitor.email, 'vera@example.com');
    const active = await call('GET', '/api/specialist/bookings?from=2026-12-16T00:00:00Z&until=2026-12-18T00:00:00Z&status=confirmed', q.credential);
    assert.deepEqual(active.body.bookings.map((b: { id: string }) => b.id), [x.id]);
    const backwards = await call('GET', '/api/specialist/bookings?from=2026-12-18T00:00:00Z&until=2026-12-16T00:00:00Z', q.credential);
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.field, 'query.until');
    const huge = await call('GET', '/api/specialist/bookings?from=2026-01-01T00:00:00Z&until=2027-01-01T00:00:00Z', q.credential);
    assert.equal(huge.status, 400);
    const missing = await call('GET', '/api/specialist/bookings?from=2026-12-16T00:00:00Z', q.credential);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'query.until');
  });
});
