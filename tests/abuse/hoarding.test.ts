// Slot hoarding, measured from outside: many client addresses under one email, many emails from
// one address, cancel-and-rebook cycles, and concurrent attempts, each against the configured
// ceiling; and the proof of work that every anonymous booking pays with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ABUSE_DEFAULTS, ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { HOUR, T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { bookFrom, solve } from './support.ts';

const MIN = 60_000;
const clock = new TestClock(T0);
const env = { ...ABUSE_DEFAULTS, RATE_LIMIT_WRITES_PER_MINUTE: '100000', BOOKING_CHALLENGE_MAX_NUMBER: '2000' };
let t: TestApp;
let p: Practice;

/** The hourly slots from 2026-12-03 on, 12 a day (the practice is open 08:00-20:00, sessions last an hour). */
const slot = (i: number) => T0 + 2 * 24 * HOUR + Math.floor(i / 12) * 24 * HOUR + (8 + (i % 12)) * HOUR;
const visitor = (email: string) => ({ name: 'Hoarder', email, timezone: 'UTC' });
const body = (i: number, email: string) => ({ ...bookingBody({ specialist: p.specialist.id, service: p.service.id }, slot(i)), visitor: visitor(email) });

before(async () => {
  t = await startTestApp({ clock, env });
  p = await addPractice(t.database.db);
});
after(() => t.close());

async function activeBookings(): Promise<number> {
  const r = await t.database.db.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['pending', 'confirmed']).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function clear() {
  await t.database.db.deleteFrom('notifications').execute();
  await t.database.db.deleteFrom('bookings').execute();
  clock.set(T0);
}

describe('one email, however many client addresses', () => {
  before(clear);
  test('49 addresses booking the slots of five days under one email hold 3 upcoming bookings, no more', async () => {
    const replies = [];
    for (let i = 0; i < 49; i++) replies.push(await bookFrom(t.app, `127.0.0.${i + 2}`, body(i, 'hoarder@example.com')));
    const created = replies.filter((r) => r.status === 201).length;
    assert.equal(created, 3, JSON.stringify(replies.map((r) => r.status)));
    const refused = replies.filter((r) => r.status === 429);
    assert.equal(refused.length, 46);
    for (const r of refused) {
      assert.equal(r.body.error, 'booking_limit');
      assert.equal(r.body.details.limit, 'active_per_email');
      assert.equal(r.body.details.max, 3);
    }
    assert.equal(await activeBookings(), 3);
  });

  test('case and +tags do not make one mailbox many', async () => {
    const r = await bookFrom(t.app, '127.0.1.1', body(60, 'Hoarder+again@EXAMPLE.com'));
    assert.equal(r.status, 429);
    assert.equal(r.body.details.limit, 'active_per_email');
  });
});

describe('one client address, however many emails', () => {
  before(clear);
  test('one address holds at most 6 upcoming bookings whatever the emails', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await bookFrom(t.app, '10.1.2.3', body(i, `person${i}@example.com`))).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
  });

  test('addresses of one IPv6 /64 are one client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await bookFrom(t.app, `2001:db8:aa:bb::${i + 1}`, body(20 + i, `v6-${i}@example.com`))).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 429, 429]);
    // Another /64 is another client.
    assert.equal((await bookFrom(t.app, '2001:db8:aa:cc::1', body(30, 'v6-other@example.com'))).status, 201);
  });
});

describe('behind a trusted proxy: X-Forwarded-For addresses', () => {
  let proxied: TestApp;
  before(async () => {
    proxied = await startTestApp({ clock, env: { ...env, TRUST_PROXY: 'true' } });
    p = await addPractice(proxied.database.db);
  });
  after(() => proxied.close());

  test('50 forwarded addresses under one email: still 3', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await bookFrom(proxied.app, '127.0.0.1', body(i, 'proxied@example.com'), { 'x-forwarded-for': `203.0.113.${i + 1}` });
      statuses.push(r.status);
    }
    assert.equal(statuses.filter((s) => s === 201).length, 3);
    assert.equal(statuses.filter((s) => s === 429).length, 47);
  });

  test('one forwarded address is one client, whatever the proxy it came through', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await bookFrom(proxied.app, `127.0.0.${i + 2}`, body(10 + i, `fwd-${i}@example.com`), { 'x-forwarded-for': '198.51.100.7' })).status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 429, 429]);
  });
});

describe('creations per hour and per day count cancelled bookings too', () => {
  before(async () => {
    p = await addPractice(t.database.db);
    await clear();
  });
  test('book-and-cancel cycles stop at 5 an hour per email, with Retry-After; an hour later it goes on', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof bookFrom>> | null = null;
    for (let i = 0; i < 7; i++) {
      const r = await bookFrom(t.app, `127.0.2.${i + 1}`, body(i, 'cycler@example.com'));
      statuses.push(r.status);
      last = r;
      if (r.status === 201) {
        const c = await t.app.inject({ method: 'POST', url: `/api/bookings/${r.body.id}/cancel`, headers: { authorization: `Bearer ${r.body.manageToken}` }, payload: {} });
        assert.equal(c.statusCode, 200, c.body);
      }
      clock.advance(MIN);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429]);
    assert.equal(last!.body.details.limit, 'hourly_per_email');
    const retryAfter = Number(last!.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `retry-after ${retryAfter}`);
    clock.advance(retryAfter * 1000);
    assert.equal((await bookFrom(t.app, '127.0.2.99', body(10, 'cycler@example.com'))).status, 201);
  });

  test('and at 10 a day', async () => {
    await clear();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await bookFrom(t.app, `127.0.3.${i + 1}`, body(i, 'daily@example.com'));
      statuses.push(r.status);
      if (r.status === 201) {
        await t.app.inject({ method: 'POST', url: `/api/bookings/${r.body.id}/cancel`, headers: { authorization: `Bearer ${r.body.manageToken}` }, payload: {} });
      }
      clock.advance(13 * MIN); // under 5 an hour
    }
    assert.deepEqual(statuses.slice(10), [429, 429]);
    assert.equal(statuses.filter((s) => s === 201).length, 10);
  });
});

describe('concurrent attempts under one email', () => {
  test('12 at once for 12 different slots (and specialists): exactly 3 are created', async () => {
    await clear();
    const practices = await Promise.all(Array.from({ length: 4 }, () => addPractice(t.database.db)));
    const attempts = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const q = practices[i % 4]!;
      const challenge = await solve(t.app, `127.0.4.${i + 1}`);
      const res = await t.app.inject({
        method: 'POST', url: '/api/bookings', remoteAddress: `127.0.4.${i + 1}`,
        payload: { ...bookingBody({ specialist: q.specialist.id, service: q.service.id }, slot(i)), visitor: visitor('racer@example.com'), challenge },
      });
      return res.statusCode;
    }));
    assert.equal(attempts.filter((s) => s === 201).length, 3, JSON.stringify(attempts));
    assert.equal(attempts.filter((s) => s === 429).length, 9);
  });

  test('12 at once for 12 slots of one specialist (decided together where they may be): exactly 3 are created', async () => {
    await clear();
    const q = await addPractice(t.database.db);
    const attempts = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const challenge = await solve(t.app, `127.0.5.${i + 1}`);
      const res = await t.app.inject({
        method: 'POST', url: '/api/bookings', remoteAddress: `127.0.5.${i + 1}`,
        payload: { ...bookingBody({ specialist: q.specialist.id, service: q.service.id }, slot(i)), visitor: visitor(i % 2 ? 'Racer@example.com' : 'racer+x@example.com'), challenge },
      });
      return res.statusCode;
    }));
    assert.equal(attempts.filter((s) => s === 201).length, 3, JSON.stringify(attempts));
    assert.equal(attempts.filter((s) => s === 429).length, 9);
  });
});

describe('the proof of work', () => {
  before(clear);
  test('GET /api/challenge offers an ALTCHA v2 challenge', async () => {
    const res = await t.app.inject({ url: '/api/challenge' });
    const offer = res.json();
    assert.equal(offer.required, true);
    assert.equal(offer.kind, 'altcha');
    assert.equal(offer.challenge.parameters.algorithm, 'SHA-256');
    assert.match(offer.challenge.signature, /^[0-9a-f]{64}$/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('no proof, a forged one, a reused one and an expired one are refused', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: body(0, 'pow@example.com') });
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error, 'challenge_required');
    assert.equal(none.json().field, 'body.challenge');

    const proof = await solve(t.app);
    const decoded = JSON.parse(Buffer.from(proof, 'base64').toString());
    decoded.solution.counter += 1;
    decoded.solution.derivedKey = '00'.repeat(32);
    const forged = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(0, 'pow@example.com'), challenge: Buffer.from(JSON.stringify(decoded)).toString('base64') } });
    assert.equal(forged.json().error, 'challenge_invalid');
    const garbage = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(0, 'pow@example.com'), challenge: 'bm90IGpzb24=' } });
    assert.equal(garbage.json().error, 'challenge_invalid');

    const ok = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(0, 'pow@example.com'), challenge: proof } });
    assert.equal(ok.statusCode, 201, ok.body);
    const again = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(1, 'pow@example.com'), challenge: proof } });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'challenge_used');

    const stale = await solve(t.app);
    clock.advance(11 * MIN);
    const expired = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(2, 'pow@example.com'), challenge: stale } });
    assert.equal(expired.json().error, 'challenge_expired');
  });

  test('a retry with the idempotency key of a created booking needs no new proof', async () => {
    const key = 'retry-key-0001';
    const first = await bookFrom(t.app, '127.0.5.1', { ...body(5, 'retry@example.com'), idempotencyKey: key });
    assert.equal(first.status, 201);
    const retry = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body(5, 'retry@example.com'), idempotencyKey: key } });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.json().id, first.body.id);
  });

  test('the site owner books on someone\'s behalf without proof or limits', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: body(30 + i, 'phone-booking@example.com') });
      assert.equal(res.statusCode, 201, res.body);
    }
  });

  test('the OpenAPI document states the limits and the challenge', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const op = doc.paths['/api/bookings'].post;
    assert.match(op.description, /at most 3 upcoming, 5 created per hour, 10 per 24 h/);
    assert.match(op.description, /at most 6 upcoming, 10 created per hour, 20 per 24 h/);
    assert.match(op.description, /expires after 48 h/);
    assert.ok(op.responses['429']);
    assert.ok(doc.paths['/api/challenge'].get);
  });
});
