// Across modules: the public booking API re-checks fresh Google busy time (an event added after
// the cache was filled still refuses the slot), and every booking, move and cancellation reaches
// the calendar through the outbox rows the bookings module writes, delivered by the
// notifications module's own delivery code (its Redis-less scheduler path), retries included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { FRESH_TTL_MS } from '../../server/calendar/busy.ts';
import { deliverDue, type Delivery } from '../../server/notifications/deliver.ts';
import { createSender } from '../../server/notifications/sender.ts';
import { googleEventId } from '../../server/calendar/event.ts';
import { connectCalendar, createPractice, quietLog, type Practice } from './support.ts';

const ACCOUNT = 'flow@gmail.test';
const clock = new TestClock('2026-12-01T08:00:00Z');
let fake: FakeGoogle;
let t: TestApp;
let p: Practice;
const BACKOFF_MS = 30_000;
let delivery: Delivery;

before(async () => {
  fake = await new FakeGoogle().start();
  fake.consentAccount = ACCOUNT;
  t = await startTestApp({ env: fake.env(), clock });
  p = await createPractice(t.app.db);
  await connectCalendar(t.app, 'google', p);
  const mail = { async send() {}, close() {} };
  const send = createSender({ config: t.app.config, db: t.app.db, clock, log: quietLog, mail });
  delivery = { db: t.app.db, clock, send, log: quietLog, maxAttempts: 6, backoffMs: BACKOFF_MS };
});
after(async () => {
  await t.close();
  await fake.stop();
});

const book = (start: string) => t.app.inject({
  method: 'POST', url: '/api/bookings',
  payload: { specialist: p.specialistId, service: p.serviceId, start, visitor: { name: 'Vera Visitor', email: 'vera@visitor.test', timezone: 'Europe/Berlin' } },
});


/** Runs the notifications scheduler until nothing is due (emails go nowhere). */
async function drainOutbox() {
  let total = 0;
  for (let n = await deliverDue(delivery, 50); n > 0; n = await deliverDue(delivery, 50)) total += n;
  return total;
}

test('an event added after the busy cache was filled still refuses the slot at booking time', async () => {
  fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z');
  clock.advance(FRESH_TTL_MS + 1000);
  const res = await book('2026-12-02T10:00:00Z');
  assert.equal(res.statusCode, 409, res.body);
  const cached = await t.app.db.selectFrom('external_busy').select('starts_at').where('specialist_id', '=', p.specialistId).execute();
  assert.ok(cached.some((r) => r.starts_at.toISOString() === '2026-12-02T10:00:00.000Z'), 'the fresh fetch also refilled the cache');
});

test('a booking, its move and its cancellation show up in the calendar', async () => {
  const res = await book('2026-12-03T10:00:00Z');
  assert.equal(res.statusCode, 201, res.body);
  const { id, manageToken } = res.json();
  const queued = await t.app.db.selectFrom('notifications').select('kind').where('booking_id', '=', id).where('channel', '=', 'calendar').execute();
  assert.deepEqual(queued.map((r) => r.kind), ['calendar.upsert'], 'the bookings module queued a calendar write');
  await drainOutbox();
  const eventId = googleEventId(id);
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.start.dateTime, '2026-12-03T10:00:00.000Z');

  const moved = await t.app.inject({ method: 'POST', url: `/api/bookings/${id}/reschedule`, headers: { authorization: `Bearer ${manageToken}` }, payload: { start: '2026-12-03T13:00:00Z' } });
  assert.equal(moved.statusCode, 200, moved.body);
  await drainOutbox();
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.start.dateTime, '2026-12-03T13:00:00.000Z');

  const cancelled = await t.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel`, headers: { authorization: `Bearer ${manageToken}` }, payload: {} });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  await drainOutbox();
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.status, 'cancelled');
});

test('a rate-limited calendar write is retried by the queue after its backoff; the booking is unaffected', async () => {
  fake.failNext(/POST \/calendar\/v3\/calendars\/.*\/events$/, 429, 'rateLimitExceeded', 1, '5');
  const res = await book('2026-12-04T10:00:00Z');
  assert.equal(res.statusCode, 201, res.body);
  const { id } = res.json();
  await drainOutbox();
  const row = await t.app.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('channel', '=', 'calendar').executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
  assert.equal(row.attempts, 1);
  assert.match(row.last_error ?? '', /rate limit/i);
  assert.equal(fake.event(ACCOUNT, ACCOUNT, googleEventId(id)), undefined);

  clock.advance(BACKOFF_MS + 1000);
  await drainOutbox();
  const done = await t.app.db.selectFrom('notifications').select(['status']).where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.equal(done.status, 'sent');
  assert.equal(fake.event(ACCOUNT, ACCOUNT, googleEventId(id))?.start.dateTime, '2026-12-04T10:00:00.000Z');
});
