// POST /api/bookings: the happy path, what the public view shows, validation of the body and
// the intake answers, slot rules, idempotency, "any" specialist, and the rate limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../server/auth/tokens.ts';
import { onBookingChanged } from '../../server/bookings/hooks.ts';
import { nearestAlternatives } from '../../server/bookings/slots.ts';
import { writeBookingNotifications } from '../../server/notifications/outbox.ts';
import { unseal } from '../../server/security/crypto.ts';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { addBusy, addService, addSpecialist, link, addHours } from '../availability/fixtures.ts';
import { ALL_WEEK, DAY, HOUR, T0, addPractice, bookingBody, type Practice } from './fixtures.ts';

const clock = new TestClock(T0);
let t: TestApp;
let p: Practice;
const spec = () => ({ specialist: p.specialist.id, service: p.service.id });

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: body as object, headers });
  return { status: res.statusCode, body: res.json() };
}

before(async () => {
  t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  p = await addPractice(t.database.db, { timezone: 'Europe/Berlin' });
});
after(() => t.close());

describe('create', () => {
  test('201 with the public view, both time zones and the manage token, stored only as a hash', async () => {
    const start = '2026-12-03T10:00:00.000Z';
    const res = await post(bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const b = res.body;
    assert.equal(b.status, 'confirmed');
    assert.equal(b.start, start);
    assert.equal(b.end, '2026-12-03T11:00:00.000Z');
    assert.deepEqual(b.times.specialist, { timezone: 'Europe/Berlin', start: '2026-12-03T11:00:00+01:00', end: '2026-12-03T12:00:00+01:00' });
    assert.deepEqual(b.times.visitor, { timezone: 'America/New_York', start: '2026-12-03T05:00:00-05:00', end: '2026-12-03T06:00:00-05:00' });
    assert.deepEqual(b.actions, ['cancel', 'reschedule']);
    assert.equal(b.refundPreview, null, 'nothing was paid online, so cancelling refunds nothing');
    assert.equal(b.payment, null);
    assert.equal(b.specialist.id, p.specialist.id);
    assert.match(b.manageToken, /^bm_[A-Za-z0-9_-]{32}$/);

    const row = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(row.manage_token_hash, hashToken(b.manageToken));
    assert.ok(!JSON.stringify(row).includes(b.manageToken), 'the plaintext token is stored nowhere');
    assert.equal(row.blocked_from.toISOString(), start);
    assert.equal(row.service_terms.cancellationPolicy, 'flexible');

    // GET with the token shows the same booking, without the token.
    const view = await t.app.inject({ url: `/api/bookings/${b.id}`, headers: { authorization: `Bearer ${b.manageToken}` } });
    assert.equal(view.statusCode, 200);
    assert.equal(view.json().id, b.id);
    assert.equal(view.json().manageToken, undefined);
  });

  test('the outbox rows are written in the same transaction', async () => {
    const res = await post(bookingBody(spec(), '2026-12-03T14:00:00Z'));
    assert.equal(res.status, 201);
    const rows = await t.database.db.selectFrom('notifications').select('kind').where('booking_id', '=', res.body.id).execute();
    assert.ok(rows.length > 0, 'notifications written');
  });

  test('a service that requires approval yields pending, which still blocks the slot', async () => {
    const q = await addPractice(t.database.db, { service: { requires_approval: true } });
    const body = bookingBody({ specialist: q.specialist.id, service: q.service.id }, '2026-12-04T09:00:00Z');
    const first = await post(body);
    assert.equal(first.status, 201);
    assert.equal(first.body.status, 'pending');
    assert.deepEqual(first.body.actions, ['cancel', 'reschedule']);
    const second = await post({ ...body, visitor: { ...body.visitor, email: 'other@example.com' } });
    assert.equal(second.status, 409);
    assert.equal(second.body.error, 'slot_taken');
  });

  test('409 slot_taken for the same or an overlapping start, with the nearest alternatives', async () => {
    const ok = await post(bookingBody(spec(), '2026-12-05T10:00:00Z'));
    assert.equal(ok.status, 201);
    for (const start of ['2026-12-05T10:00:00Z', '2026-12-05T10:30:00Z', '2026-12-05T09:30:00Z']) {
      const res = await post(bookingBody(spec(), start));
      assert.equal(res.status, 409, start);
      assert.equal(res.body.error, 'slot_taken');
      const alts: { start: string; specialist: string }[] = res.body.details.alternatives;
      assert.equal(alts.length, 5);
      assert.ok(alts.every((a) => a.specialist === p.specialist.id));
      // Nearest first, and none overlapping the taken hour.
      const want = Date.parse(start);
      const dist = alts.map((a) => Math.abs(Date.parse(a.start) - want));
      assert.deepEqual(dist, [...dist].sort((a, b) => a - b));
      assert.ok(alts.every((a) => Date.parse(a.start) + HOUR <= Date.parse('2026-12-05T10:00:00Z') || Date.parse(a.start) >= Date.parse('2026-12-05T11:00:00Z')));
    }
  });

  test('the alternatives are the nearest of the whole span, whether they lie on the same day or weeks apart', async () => {
    // Open every day (the nearest five are around the refused start) and one hour on Tuesdays
    // only (they are days and weeks away): each refusal offers what the whole span offers.
    const dense = await addPractice(t.database.db);
    const sparse = await addPractice(t.database.db, { hours: [[2, '09:00', '10:00']] });
    for (const [q, start] of [[dense, '2026-12-08T09:00:00Z'], [sparse, '2026-12-08T09:00:00Z']] as const) {
      const target = { specialist: q.specialist.id, service: q.service.id };
      assert.equal((await post(bookingBody(target, start))).status, 201);
      const res = await post(bookingBody(target, start, { visitor: { name: 'Late', email: 'late@example.com', timezone: 'UTC' } }));
      assert.equal(res.status, 409);
      const db = t.database.db;
      const service = await db.selectFrom('services').selectAll().where('id', '=', q.service.id).executeTakeFirstOrThrow();
      const specialist = await db.selectFrom('specialists').select(['id', 'timezone']).where('id', '=', q.specialist.id).executeTakeFirstOrThrow();
      const expected = await nearestAlternatives(db, { specialists: [specialist], service, start: Date.parse(start), now: clock.now() });
      assert.deepEqual(res.body.details.alternatives, expected);
      assert.ok(expected.length > 0);
    }
  });

  test('a new booking writes the outbox rows writeBookingNotifications would write for it', async () => {
    // Planned before the booking is written (bookings/create.ts, createdOutbox): compared with the
    // rows the outbox writes for the stored booking, with a webhook endpoint and host reminders on.
    const db = t.database.db;
    const hook = await db.insertInto('webhook_endpoints').values({ url: 'https://hooks.example/bookings', secret_encrypted: 'unused', events: [] }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('specialists').set({ host_reminder_minutes: [60, 10] }).where('id', '=', p.specialist.id).execute();
    try {
      const res = await post(bookingBody(spec(), '2026-12-09T10:00:00Z', { visitor: { name: 'Otto Outbox', email: 'otto@example.com', timezone: 'Europe/Berlin' } }));
      assert.equal(res.status, 201);
      const id: string = res.body.id;
      const rowsOf = async (q: typeof db) => (await q.selectFrom('notifications').select(['kind', 'channel', 'recipient', 'send_at', 'payload'])
        .where('booking_id', '=', id).orderBy('kind').orderBy('channel').orderBy('recipient').execute())
        // The sealed manage token differs by its random IV: compared opened.
        .map((r) => { const pl = r.payload as Record<string, unknown>; return { ...r, payload: { ...pl, manageTokenSealed: typeof pl.manageTokenSealed === 'string' ? unseal(t.app.config.secretKey, pl.manageTokenSealed) : undefined } }; });
      const written = await rowsOf(db);
      let expected: typeof written = [];
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('notifications').where('booking_id', '=', id).execute();
        await writeBookingNotifications(trx, id, 'created', clock.now(), res.body.manageToken);
        expected = await rowsOf(trx);
        throw new Error('roll back');
      }).catch((err: Error) => { if (err.message !== 'roll back') throw err; });
      assert.ok(written.some((r) => r.channel === 'webhook') && written.some((r) => r.kind === 'specialist.reminder'), JSON.stringify(written.map((r) => r.kind)));
      assert.deepEqual(written, expected);
    } finally {
      await db.deleteFrom('webhook_endpoints').where('id', '=', hook.id).execute();
      await db.updateTable('specialists').set({ host_reminder_minutes: null }).where('id', '=', p.specialist.id).execute();
    }
  });

  test('422 slot_unavailable for a start the engine does not offer', async () => {
    const cases = [
      '2026-12-05T06:00:00Z', // 07:00 Berlin: before hours
      '2026-12-05T12:10:00Z', // off the 30-minute step
      new Date(T0 - HOUR).toISOString(), // in the past
      new Date(T0 + 70 * DAY).toISOString(), // beyond the 60-day horizon
    ];
    for (const start of cases) {
      const res = await post(bookingBody(spec(), start));
      assert.equal(res.status, 422, start);
      assert.equal(res.body.error, 'slot_unavailable');
      assert.ok(Array.isArray(res.body.details.alternatives));
    }
  });

  test('minimum notice and the daily cap are judged as the slot listing judges them', async () => {
    const q = await addPractice(t.database.db, { service: { min_notice_min: 180, max_per_day: 1 } });
    const s = { specialist: q.specialist.id, service: q.service.id };
    clock.set('2026-12-06T08:00:00Z');
    try {
      assert.equal((await post(bookingBody(s, '2026-12-06T10:30:00Z'))).status, 422, 'inside the notice');
      assert.equal((await post(bookingBody(s, '2026-12-06T11:00:00Z'))).status, 201, 'exactly the notice');
      assert.equal((await post(bookingBody(s, '2026-12-06T15:00:00Z'))).status, 422, 'the day is full');
      assert.equal((await post(bookingBody(s, '2026-12-07T15:00:00Z'))).status, 201, 'the next day is not');
    } finally {
      clock.set(T0);
    }
  });

  test('buffers block the neighbouring slots', async () => {
    const q = await addPractice(t.database.db, { service: { buffer_after_min: 30, buffer_before_min: 0 } });
    const s = { specialist: q.specialist.id, service: q.service.id };
    assert.equal((await post(bookingBody(s, '2026-12-08T10:00:00Z'))).status, 201);
    assert.equal((await post(bookingBody(s, '2026-12-08T11:00:00Z'))).status, 409, 'inside the 30-minute buffer');
    assert.equal((await post(bookingBody(s, '2026-12-08T11:30:00Z'))).status, 201);
    const row = await t.database.db.selectFrom('bookings').select(['blocked_until']).where('specialist_id', '=', q.specialist.id)
      .orderBy('starts_at').executeTakeFirstOrThrow();
    assert.equal(row.blocked_until.toISOString(), '2026-12-08T11:30:00.000Z');
  });

  test('busy time from a connected calendar makes the slot taken', async () => {
    const q = await addPractice(t.database.db);
    await addBusy(t.database.db, q.specialist.id, [['2026-12-09T10:15:00Z', '2026-12-09T10:45:00Z']]);
    const res = await post(bookingBody({ specialist: q.specialist.id, service: q.service.id }, '2026-12-09T10:00:00Z'));
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'slot_taken');
  });
});

describe('after-commit hooks', () => {
  test('listeners see the committed booking; a failing listener never fails the request', async () => {
    const seen: { id: string; event: string; committed: boolean }[] = [];
    const offOk = onBookingChanged(async (app, id, event) => {
      if (app.config !== t.app.config) return; // other apps in this process emit too
      const row = await app.db.selectFrom('bookings').select('id').where('id', '=', id).executeTakeFirst();
      seen.push({ id, event, committed: row !== undefined });
    });
    const offBad = onBookingChanged(() => { throw new Error('listener broke'); });
    try {
      const res = await post(bookingBody(spec(), '2026-12-03T16:00:00Z'));
      assert.equal(res.status, 201);
      const cancel = await t.app.inject({ method: 'POST', url: `/api/bookings/${res.body.id}/cancel`, headers: { authorization: `Bearer ${res.body.manageToken}` }, payload: {} });
      assert.equal(cancel.statusCode, 200);
      for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setImmediate(r));
      assert.deepEqual(seen, [{ id: res.body.id, event: 'created', committed: true }, { id: res.body.id, event: 'cancelled', committed: true }]);
    } finally {
      offOk();
      offBad();
    }
  });
});

describe('validation', () => {
  const cases: [string, (b: any) => unknown, string][] = [
    ['missing email', (b) => ({ ...b, visitor: { name: 'X', timezone: 'UTC' } }), 'body.visitor.email'],
    ['bad email', (b) => ({ ...b, visitor: { ...b.visitor, email: 'nope' } }), 'body.visitor.email'],
    ['unknown zone', (b) => ({ ...b, visitor: { ...b.visitor, timezone: 'Mars/Olympus' } }), 'body.visitor.timezone'],
    ['bad start', (b) => ({ ...b, start: 'tomorrow' }), 'body.start'],
    ['unknown field', (b) => ({ ...b, coupon: 'FREE' }), 'body.coupon'],
    ['unknown service', (b) => ({ ...b, service: 'nothing-here' }), 'body.service'],
    ['unknown specialist', (b) => ({ ...b, specialist: 'nobody' }), 'body.specialist'],
    ['short idempotency key', (b) => ({ ...b, idempotencyKey: 'x' }), 'body.idempotencyKey'],
  ];
  for (const [name, mutate, field] of cases) {
    test(`400 naming the field: ${name}`, async () => {
      const res = await post(mutate(bookingBody(spec(), '2026-12-10T10:00:00Z')));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.field, field);
      assert.equal(typeof res.body.message, 'string');
    });
  }

  test('a service the specialist does not offer', async () => {
    const other = await addService(t.database.db, {});
    const res = await post(bookingBody({ specialist: p.specialist.id, service: other.id }, '2026-12-10T10:00:00Z'));
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'service_not_offered');
    assert.equal(res.body.field, 'body.service');
  });
});

describe('intake answers', () => {
  let q: Practice;
  const questions = [
    { id: 'topic', label: 'Topic', type: 'textarea', required: true },
    { id: 'level', label: 'Level', type: 'select', required: true, options: ['new', 'returning'] },
    { id: 'mail', label: 'Work email', type: 'email', required: false },
    { id: 'tel', label: 'Phone', type: 'phone', required: false },
    { id: 'consent', label: 'I agree', type: 'checkbox', required: true },
    { id: 'note', label: 'Note', type: 'text', required: false },
  ];
  const good = { topic: '  Sleep  ', level: 'new', consent: true };
  let day = 0;
  const body = (answers: unknown) => bookingBody({ specialist: q.specialist.id, service: q.service.id },
    new Date(Date.parse('2026-12-11T09:00:00Z') + (day++) * DAY).toISOString(), { answers });

  before(async () => { q = await addPractice(t.database.db, { service: { intake_questions: JSON.stringify(questions) } }); });

  const bad: [string, Record<string, unknown>, string][] = [
    ['required missing', { level: 'new', consent: true }, 'body.answers.topic'],
    ['required blank', { ...good, topic: '   ' }, 'body.answers.topic'],
    ['select outside options', { ...good, level: 'expert' }, 'body.answers.level'],
    ['email malformed', { ...good, mail: 'not-an-email' }, 'body.answers.mail'],
    ['phone malformed', { ...good, tel: 'call me' }, 'body.answers.tel'],
    ['required checkbox unticked', { ...good, consent: false }, 'body.answers.consent'],
    ['checkbox given text', { ...good, consent: 'yes' }, 'body.answers.consent'],
    ['text given a boolean', { ...good, note: true }, 'body.answers.note'],
    ['text given a number', { ...good, note: 42 }, 'body.answers.note'],
    ['text given an object', { ...good, topic: { x: 1 } }, 'body.answers.topic'],
    ['text too long', { ...good, note: 'x'.repeat(501) }, 'body.answers.note'],
    ['unknown question', { ...good, shoe: '42' }, 'body.answers.shoe'],
  ];
  for (const [name, answers, field] of bad) {
    test(`400: ${name}`, async () => {
      const res = await post(body(answers));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.field, field);
    });
  }

  test('valid answers are stored trimmed, unanswered optional ones left out', async () => {
    const res = await post(body({ ...good, mail: 'a@b.example', tel: '+49 30 1234567' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.answers, { topic: 'Sleep', level: 'new', consent: true, mail: 'a@b.example', tel: '+49301234567' });
  });
});

describe('idempotency', () => {
  test('the same body key returns the original booking with 200, never a second one', async () => {
    const body = bookingBody(spec(), '2026-12-12T10:00:00Z', { idempotencyKey: 'key-body-000001' });
    const first = await post(body);
    assert.equal(first.status, 201);
    const again = await post(body);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.manageToken, undefined, 'the token is shown once only');
    const n = await t.database.db.selectFrom('bookings').select('id').where('idempotency_key', '=', 'key-body-000001').execute();
    assert.equal(n.length, 1);
  });

  test('the Idempotency-Key header works the same, also after the slot is taken by itself', async () => {
    const body = bookingBody(spec(), '2026-12-12T12:00:00Z');
    const headers = { 'idempotency-key': 'key-header-000001' };
    const first = await post(body, headers);
    assert.equal(first.status, 201);
    const again = await post(body, headers);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
  });

  test('the same key with a different request is 422 idempotency_key_reused', async () => {
    const body = bookingBody(spec(), '2026-12-12T14:00:00Z', { idempotencyKey: 'key-reused-000001' });
    assert.equal((await post(body)).status, 201);
    const res = await post({ ...body, start: '2026-12-12T15:00:00Z' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'idempotency_key_reused');
    const other = await post({ ...body, visitor: { ...body.visitor, email: 'someone@else.example' } });
    assert.equal(other.status, 422);
  });

  test('header and body keys that differ are a 400', async () => {
    const res = await post(bookingBody(spec(), '2026-12-12T16:00:00Z', { idempotencyKey: 'key-aaaaaaaa' }), { 'idempotency-key': 'key-bbbbbbbb' });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'body.idempotencyKey');
  });
});

describe('"any" specialist', () => {
  test('goes to the free specialist with the fewest bookings that week, ties to the smaller id', async () => {
    const db = t.database.db;
    const service = await addService(db, { duration_min: 60, slot_step_min: 60 });
    const a = await addSpecialist(db, { timezone: 'UTC' });
    const b = await addSpecialist(db, { timezone: 'UTC' });
    for (const s of [a, b]) { await link(db, s.id, service.id); await addHours(db, s.id, ALL_WEEK); }
    const [low, high] = [a.id, b.id].sort();
    const any = (start: string) => post(bookingBody({ specialist: 'any', service: service.id }, start));

    // 2026-12-14 is a Monday: a tie, so the smaller id gets it.
    const first = await any('2026-12-14T09:00:00Z');
    assert.equal(first.status, 201);
    assert.equal(first.body.specialist.id, low);
    // Now the other one has fewer bookings that week.
    const second = await any('2026-12-16T09:00:00Z');
    assert.equal(second.body.specialist.id, high);
    // Same slot again: only the one still free there can take it.
    const third = await any('2026-12-16T09:00:00Z');
    assert.equal(third.status, 201);
    assert.equal(third.body.specialist.id, low);
    const fourth = await any('2026-12-16T09:00:00Z');
    assert.equal(fourth.status, 409);
    assert.equal(fourth.body.error, 'slot_taken');
    // Sunday 2026-12-20 is the same UTC week; Monday 2026-12-21 starts a fresh count (a tie again).
    const next = await any('2026-12-21T09:00:00Z');
    assert.equal(next.body.specialist.id, low);
  });
});

describe('rate limit', () => {
  test('create answers 429 with the error shape past the limit', async () => {
    const limited = await startTestApp({ clock, database: t.database, env: { RATE_LIMIT_WRITES_PER_MINUTE: '2' } });
    try {
      const codes: number[] = [];
      let last: any;
      for (let i = 0; i < 3; i++) {
        const res = await limited.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody(spec(), '2026-12-13T08:00:00Z') });
        codes.push(res.statusCode);
        last = res.json();
      }
      assert.equal(codes[2], 429);
      assert.equal(last.error, 'rate_limited');
      assert.equal(typeof last.message, 'string');
      // The token-checked routes are limited too.
      const get = await limited.app.inject({ url: '/api/bookings/00000000-0000-4000-8000-000000000000' });
      const get2 = await limited.app.inject({ url: '/api/bookings/00000000-0000-4000-8000-000000000000' });
      const get3 = await limited.app.inject({ url: '/api/bookings/00000000-0000-4000-8000-000000000000' });
      assert.deepEqual([get.statusCode, get2.statusCode, get3.statusCode], [404, 404, 429]);
    } finally {
      await limited.app.close();
    }
  });
});
