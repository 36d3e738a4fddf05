// The admin view of a booking's notifications and the retry of a failed one, through the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { createBooking, seedPractice } from './support.ts';

describe('notification admin routes', () => {
  let ta: TestApp;
  const clock = new TestClock('2026-12-01T08:00:00Z');
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let bookingId: string;

  before(async () => {
    ta = await startTestApp({ clock });
    const practice = await seedPractice(ta.database.db);
    // No context passed: the one the app installed is used, as the bookings module does.
    bookingId = (await createBooking(ta.database.db, practice, { start: Date.parse('2026-12-04T10:00:00Z') }, clock.now())).id;
  });
  after(() => ta?.close());

  test('lists a booking’s notifications to the admin only, without payloads', async () => {
    const denied = await ta.app.inject({ method: 'GET', url: `/api/admin/bookings/${bookingId}/notifications` });
    assert.equal(denied.statusCode, 401);
    const res = await ta.app.inject({ method: 'GET', url: `/api/admin/bookings/${bookingId}/notifications`, headers: auth });
    assert.equal(res.statusCode, 200);
    const { notifications } = res.json();
    assert.equal(notifications.length, 8, 'confirmation, new booking, 3 visitor reminders, 2 host reminders, review request');
    assert.equal(notifications[0].sendAt, '2026-12-01T08:00:00.000Z');
    assert.ok(notifications.every((n: Record<string, unknown>) => !('payload' in n)));
    const missing = await ta.app.inject({ method: 'GET', url: '/api/admin/bookings/00000000-0000-4000-8000-000000000000/notifications', headers: auth });
    assert.equal(missing.statusCode, 404);
  });

  test('retry puts a failed notification back to pending, due now; others answer 409', async () => {
    const row = await ta.database.db.selectFrom('notifications').selectAll().where('booking_id', '=', bookingId).where('kind', '=', 'visitor.confirmation').executeTakeFirstOrThrow();
    const notFailed = await ta.app.inject({ method: 'POST', url: `/api/admin/notifications/${row.id}/retry`, headers: auth });
    assert.equal(notFailed.statusCode, 409);
    assert.equal(notFailed.json().error, 'not_failed');

    await ta.database.db.updateTable('notifications').set({ status: 'failed', attempts: 6, last_error: 'boom' }).where('id', '=', row.id).execute();
    clock.advance(3_600_000);
    const res = await ta.app.inject({ method: 'POST', url: `/api/admin/notifications/${row.id}/retry`, headers: auth });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'pending');
    assert.equal(body.attempts, 0);
    assert.equal(body.lastError, null);
    assert.equal(body.sendAt, '2026-12-01T09:00:00.000Z');
    await ta.database.db.updateTable('notifications').set({ status: 'failed', last_error: 'boom' }).where('id', '=', row.id).execute();
    const failed = await ta.app.inject({ url: '/api/admin/notifications?status=failed', headers: auth });
    assert.equal(failed.statusCode, 200);
    assert.deepEqual(failed.json().notifications.map((n: { id: string }) => n.id), [row.id]);
    assert.equal((await ta.app.inject({ url: '/api/admin/notifications?limit=1000', headers: auth })).statusCode, 400);
    const bad = await ta.app.inject({ method: 'POST', url: '/api/admin/notifications/not-a-uuid/retry', headers: auth });
    assert.equal(bad.statusCode, 400);
  });
});
