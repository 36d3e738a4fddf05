// Across modules: the public booking API re-checks fresh Google busy time (an event added after
// the cache was filled still refuses the slot), and every booking, move and cancellation reaches
// the calendar through the outbox rows the bookings module writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { FRESH_TTL_MS } from '../../server/calendar/busy.ts';
import { deliverCalendarJob } from '../../server/calendar/sync-job.ts';
import { googleEventId } from '../../server/calendar/event.ts';
import { createPractice, quietLog, type Practice } from './support.ts';

const ACCOUNT = 'flow@gmail.test';
const clock = new TestClock('2026-12-01T08:00:00Z');
let fake: FakeGoogle;
let t: TestApp;
let p: Practice;

before(async () => {
  fake = await new FakeGoogle().start();
  fake.consentAccount = ACCOUNT;
  t = await startTestApp({ env: fake.env(), clock });
  p = await createPractice(t.app.db);
  const start = await t.app.inject({ url: '/api/specialist/calendar/google/connect', headers: p.auth });
  const back = new URL((await fetch(start.json().url, { redirect: 'manual' })).headers.get('location')!);
  assert.equal((await t.app.inject({ url: back.pathname + back.search })).statusCode, 200);
});
after(async () => {
  await t.close();
  await fake.stop();
});

const book = (start: string) => t.app.inject({
  method: 'POST', url: '/api/bookings',
  payload: { specialist: p.specialistId, service: p.serviceId, start, visitor: { name: 'Vera Visitor', email: 'vera@visitor.test', timezone: 'Europe/Berlin' } },
});

/** What the notifications worker does with the calendar rows: deliver each pending one. */
async function runCalendarOutbox() {
  const rows = await t.app.db.selectFrom('notifications').selectAll()
    .where('channel', '=', 'calendar').where('status', '=', 'pending').orderBy('created_at').execute();
  for (const row of rows) {
    await deliverCalendarJob({ db: t.app.db, config: t.app.config, clock, log: quietLog }, row);
    await t.app.db.updateTable('notifications').set({ status: 'sent' }).where('id', '=', row.id).execute();
  }
  return rows;
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
  const rows = await runCalendarOutbox();
  assert.ok(rows.some((r) => r.kind === 'calendar.upsert'), 'the bookings module queued a calendar write');
  const eventId = googleEventId(id);
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.start.dateTime, '2026-12-03T10:00:00.000Z');

  const moved = await t.app.inject({ method: 'POST', url: `/api/bookings/${id}/reschedule`, headers: { authorization: `Bearer ${manageToken}` }, payload: { start: '2026-12-03T13:00:00Z' } });
  assert.equal(moved.statusCode, 200, moved.body);
  await runCalendarOutbox();
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.start.dateTime, '2026-12-03T13:00:00.000Z');

  const cancelled = await t.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel`, headers: { authorization: `Bearer ${manageToken}` }, payload: {} });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  await runCalendarOutbox();
  assert.equal(fake.event(ACCOUNT, ACCOUNT, eventId)?.status, 'cancelled');
});
