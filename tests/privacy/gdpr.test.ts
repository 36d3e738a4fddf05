// Privacy: proving an address with a one-time code, the visitor's export and erasure through it,
// the site owner's export and erasure, erasure reaching notifications, calendar events and
// recordings, retention, and pending requests that expire unanswered.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { bearer, createBooking, seedPractice, type Practice } from '../video/fixtures.ts';
import { unseal } from '../../server/security/crypto.ts';
import { runMaintenance } from '../../server/maintenance/jobs.ts';
import { ERASED_NAME } from '../../server/privacy/erase.ts';
import { addPractice, bookingBody, DAY, HOUR, T0 } from '../bookings/fixtures.ts';

const clock = new TestClock(T0);
let t: TestApp;
let daily: FakeDaily;
let p: Practice;

before(async () => {
  daily = await new FakeDaily().start();
  t = await startTestApp({ clock, env: { DAILY_API_KEY: daily.apiKey, DAILY_API_URL: daily.url, RATE_LIMIT_WRITES_PER_MINUTE: '100000', RETENTION_DAYS: '30' } });
  p = await seedPractice(t.database.db);
});
after(async () => {
  await t.close();
  await daily.stop();
});

const db = () => t.database.db;
async function lastCode(email: string): Promise<string | null> {
  const row = await db().selectFrom('notifications').select('payload').where('kind', '=', 'visitor.verification_code')
    .where(sql<string>`lower(recipient)`, '=', email.toLowerCase()).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row ? unseal(t.config.secretKey, (row.payload as { codeSealed: string }).codeSealed) : null;
}
async function session(email: string): Promise<string> {
  const sent = await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email } });
  assert.equal(sent.statusCode, 202, sent.body);
  const res = await t.app.inject({ method: 'POST', url: '/api/visitor/session', payload: { email, code: (await lastCode(email))! } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().token;
}

describe('proving an address', () => {
  beforeEach(() => clock.set(T0));

  test('an address with no bookings gets the same answer and no mail', async () => {
    await createBooking(db(), { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-10T10:00:00Z', email: 'known@example.test' });
    const known = await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'known@example.test' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'stranger@example.test' } });
    assert.equal(known.statusCode, 202);
    assert.equal(unknown.statusCode, 202);
    assert.equal(known.json().message, unknown.json().message);
    assert.ok(await lastCode('known@example.test'));
    assert.equal(await lastCode('stranger@example.test'), null);
  });

  test('five wrong codes end the code; a code expires after 10 minutes; 3 codes an hour per address', async () => {
    await createBooking(db(), { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-11T10:00:00Z', email: 'tries@example.test' });
    await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'tries@example.test' } });
    const code = (await lastCode('tries@example.test'))!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/visitor/session', payload: { email: 'tries@example.test', code: wrong } });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error, 'invalid_code');
    }
    const late = await t.app.inject({ method: 'POST', url: '/api/visitor/session', payload: { email: 'tries@example.test', code } });
    assert.equal(late.statusCode, 400, 'the right code no longer works after five wrong ones');

    await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'tries@example.test' } });
    const second = (await lastCode('tries@example.test'))!;
    clock.advance(11 * 60_000);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/visitor/session', payload: { email: 'tries@example.test', code: second } })).statusCode, 400, 'expired');

    await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'tries@example.test' } });
    const capped = await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'tries@example.test' } });
    assert.equal(capped.statusCode, 429);
    assert.equal(capped.json().error, 'too_many_codes');
    const stored = await db().selectFrom('email_verifications').select('code_hash').execute();
    assert.ok(stored.every((r) => !/^\d{6}$/.test(r.code_hash)), 'codes are stored hashed');
  });

  test('a visitor session expires after an hour', async () => {
    await createBooking(db(), { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-12T10:00:00Z', email: 'hour@example.test' });
    const token = await session('hour@example.test');
    assert.equal((await t.app.inject({ url: '/api/visitor/history', headers: bearer(token) })).statusCode, 200);
    clock.advance(HOUR + 1);
    assert.equal((await t.app.inject({ url: '/api/visitor/history', headers: bearer(token) })).statusCode, 401);
  });
});

describe('export and erasure', () => {
  test('the visitor exports their data (no private notes); the site owner\'s export has the notes', async () => {
    clock.set(T0);
    await createBooking(db(), { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-11-20T10:00:00Z', email: 'Export@example.test', status: 'completed', summary: 'Shared summary', notes: 'Private note' });
    const token = await session('export@example.test');
    const mine = await t.app.inject({ url: '/api/visitor/export', headers: bearer(token) });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.equal(mine.json().bookings.length, 1);
    assert.equal(mine.json().bookings[0].summary, 'Shared summary');
    assert.ok(!mine.body.includes('Private note'));
    assert.ok(mine.json().messages.some((m: { kind: string }) => m.kind === 'visitor.verification_code'));
    const admin = await t.app.inject({ url: '/api/admin/visitors/export?email=export@example.test', headers: bearer(ADMIN_TOKEN) });
    assert.equal(admin.json().bookings[0].notes, 'Private note');
  });

  test('erasure: upcoming bookings cancelled and freed, all anonymised, calendar events and recordings deleted, nothing left to find', async () => {
    clock.set(T0);
    const email = 'erase.me@example.test';
    const future = await createBooking(db(), { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-15T10:00:00Z', email, name: 'Erin Erase', notes: 'Sensitive' });
    const past = await createBooking(db(), { specialistId: p.specialistId, serviceId: p.recordedServiceId, startsAt: '2026-11-10T10:00:00Z', email: 'Erase.Me@example.test', status: 'completed', summary: 'About Erin', notes: 'Health data' });
    const recordingId = daily.addRecording(`consult-${past.id}`);
    const connection = await db().insertInto('calendar_connections').values({ specialist_id: p.specialistId, provider: 'google', tokens_encrypted: 'sealed', busy_calendar_ids: '["primary"]' })
      .returning('id').executeTakeFirstOrThrow();
    await db().updateTable('bookings').set({ recording_id: recordingId, google_event_id: 'evt-past' }).where('id', '=', past.id).execute();
    await db().insertInto('notifications').values({ booking_id: past.id, kind: 'visitor.confirmation', channel: 'email', recipient: email, payload: JSON.stringify({ bookingId: past.id, manageTokenSealed: 'sealed' }), send_at: new Date(T0 - 20 * DAY), status: 'sent' }).execute();
    await db().insertInto('notifications').values({ booking_id: future.id, kind: 'visitor.reminder_24h', channel: 'email', recipient: email, payload: JSON.stringify({ bookingId: future.id }), send_at: new Date(T0 + 13 * DAY) }).execute();

    const token = await session(email);
    const res = await t.app.inject({ method: 'POST', url: '/api/visitor/erase', headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { bookings: 2, cancelled: 1, calendarEvents: 2, recordingsDeleted: 1, recordingsPending: 0 });

    const rows = await db().selectFrom('bookings').selectAll().where('id', 'in', [future.id, past.id]).orderBy('starts_at').execute();
    for (const b of rows) {
      assert.equal(b.visitor_name, ERASED_NAME);
      assert.equal(b.visitor_email, '');
      assert.equal(b.notes, '');
      assert.equal(b.summary, '');
      assert.ok(b.anonymised_at);
    }
    assert.equal(rows[1]!.status, 'cancelled');
    assert.equal(rows[0]!.recording_id, null);
    assert.equal(daily.recordings.has(recordingId), false, 'the recording is gone at Daily');

    const notes = await db().selectFrom('notifications').selectAll().where('booking_id', 'in', [future.id, past.id]).execute();
    assert.ok(notes.every((n) => !JSON.stringify(n).toLowerCase().includes('erase.me') && !JSON.stringify(n).includes('Erin')), 'no address or name left in notifications');
    assert.ok(notes.filter((n) => n.kind.startsWith('visitor.')).every((n) => n.status !== 'pending'), 'nothing more goes to the visitor');
    const calendarDeletes = notes.filter((n) => n.kind === 'calendar.delete' && n.recipient === connection.id);
    assert.deepEqual(calendarDeletes.map((n) => n.booking_id).sort(), [future.id, past.id].sort(), 'both calendar events are deleted through the calendar jobs');
    assert.ok(notes.some((n) => n.kind === 'specialist.cancellation' && n.status === 'pending'), 'the specialist is told the time is free');

    // Nothing left to find: the session ended with the address, the history is empty.
    assert.equal((await t.app.inject({ url: '/api/visitor/history', headers: bearer(token) })).statusCode, 401);
    const left = await t.app.inject({ url: `/api/admin/visitors/export?email=${email}`, headers: bearer(ADMIN_TOKEN) });
    assert.deepEqual(left.json().bookings, []);
  });

  test('the site owner erases by address; the practice cancels, and a booking not paid online claims no refund (paid ones: tests/payments/refunds.test.ts)', async () => {
    const practice = await addPractice(db(), { service: { price_cents: 5000, currency: 'EUR', cancellation_policy: 'strict' } });
    const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: practice.specialist.id, service: practice.service.id }, T0 + 3 * DAY + 10 * HOUR) });
    assert.equal(created.statusCode, 201, created.body);
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/visitors/erase', headers: bearer(ADMIN_TOKEN), payload: { email: 'VERA@example.com' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().cancelled, 1);
    const b = await db().selectFrom('bookings').selectAll().where('id', '=', created.json().id).executeTakeFirstOrThrow();
    assert.equal(b.cancelled_by, 'admin');
    assert.equal(b.refund_percent, null);
    assert.equal(b.refund_cents, null);
    assert.equal(b.visitor_email, '');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/visitors/erase', payload: { email: 'x@example.com' } })).statusCode, 401);
  });
});

describe('retention', () => {
  test('bookings that ended more than RETENTION_DAYS ago are anonymised; newer ones are kept', async () => {
    clock.set(T0);
    const old = await createBooking(db(), { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: new Date(T0 - 31 * DAY).toISOString(), email: 'old@example.test', status: 'completed', summary: 'old' });
    const recent = await createBooking(db(), { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: new Date(T0 - 29 * DAY).toISOString(), email: 'recent@example.test', status: 'completed', summary: 'recent' });
    const forgotten = await createBooking(db(), { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: new Date(T0 - 40 * DAY).toISOString(), email: 'never-marked@example.test', status: 'confirmed' });
    const r = await runMaintenance(t.app);
    assert.ok(r.anonymised >= 2);
    const rows = new Map((await db().selectFrom('bookings').selectAll().where('id', 'in', [old.id, recent.id, forgotten.id]).execute()).map((b) => [b.id, b]));
    assert.equal(rows.get(old.id)!.visitor_email, '');
    assert.equal(rows.get(forgotten.id)!.visitor_email, '');
    assert.equal(rows.get(recent.id)!.visitor_email, 'recent@example.test');
    assert.equal((await runMaintenance(t.app)).anonymised, 0, 'a second run finds nothing');
  });
});

describe('pending requests expire', () => {
  test('unanswered for 48 h: cancelled by the system, the time freed, both sides told', async () => {
    clock.set(T0);
    const practice = await addPractice(db(), { service: { requires_approval: true } });
    const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...bookingBody({ specialist: practice.specialist.id, service: practice.service.id }, T0 + 5 * DAY + 10 * HOUR), visitor: { name: 'Pat', email: 'pat@example.test', timezone: 'UTC' } } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().status, 'pending');
    clock.advance(47 * HOUR);
    await runMaintenance(t.app);
    const still = await t.app.inject({ url: `/api/bookings/${created.json().id}`, headers: bearer(created.json().manageToken) });
    assert.equal(still.json().status, 'pending');
    clock.advance(HOUR + 1000);
    assert.ok((await runMaintenance(t.app)).expired >= 1);
    const view = await t.app.inject({ url: `/api/bookings/${created.json().id}`, headers: bearer(created.json().manageToken) });
    assert.equal(view.json().status, 'cancelled');
    assert.equal(view.json().cancellation.by, 'system');
    const kinds = (await db().selectFrom('notifications').select('kind').where('booking_id', '=', created.json().id).execute()).map((n) => n.kind);
    assert.ok(kinds.includes('visitor.request_expired') && kinds.includes('specialist.request_expired'), kinds.join());
    const again = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...bookingBody({ specialist: practice.specialist.id, service: practice.service.id }, T0 + 5 * DAY + 10 * HOUR), visitor: { name: 'Sam', email: 'sam@example.test', timezone: 'UTC' } } });
    assert.equal(again.statusCode, 201, 'the time is free again');
  });

  test('a request expires at its start at the latest', async () => {
    clock.set(T0);
    const practice = await addPractice(db(), { service: { requires_approval: true } });
    const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...bookingBody({ specialist: practice.specialist.id, service: practice.service.id }, T0 + 10 * HOUR), visitor: { name: 'Q', email: 'q@example.test', timezone: 'UTC' } } });
    assert.equal(created.statusCode, 201, created.body);
    const row = await db().selectFrom('bookings').select('pending_expires_at').where('id', '=', created.json().id).executeTakeFirstOrThrow();
    assert.equal(row.pending_expires_at!.getTime(), T0 + 10 * HOUR);
  });
});
