// A specialist's own reminder times, over the real scheduling: the server's HOST_REMINDER_MINUTES
// for a specialist without a setting, theirs for one with; set by the specialist (PATCH
// /api/specialist/me) or the owner (PATCH /api/admin/specialists/{id}), validated, and applied
// to the sessions already booked (pending reminders and their push twins replanned), to a moved
// session, and to one confirmed later. Asserted on the notification rows' send_at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import webpush from 'web-push';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';

const MIN = 60_000;

describe('host reminder times per specialist', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let plain: Practice;
  let own: Practice;
  let approval: Practice;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const vapid = webpush.generateVAPIDKeys();

  const book = async (p: Practice, start: number, email = 'vera@example.com') => {
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start, { visitor: { name: 'Vera Visitor', email, timezone: 'UTC' } }) as never });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; manageToken: string };
  };
  /** Pending host reminders of a booking, per channel, as minutes before `start`. */
  const reminders = async (bookingId: string, start: number, channel: 'email' | 'push' = 'email') => {
    const rows = await t.database.db.selectFrom('notifications').select(['send_at', 'payload']).where('booking_id', '=', bookingId)
      .where('kind', '=', 'specialist.reminder').where('channel', '=', channel).where('status', '=', 'pending').orderBy('send_at').execute();
    for (const r of rows) assert.equal((r.payload as { minutesBefore: number }).minutesBefore, (start - r.send_at.getTime()) / MIN, 'the message names its own offset');
    return rows.map((r) => (start - r.send_at.getTime()) / MIN);
  };
  const setOwn = (p: Practice, body: unknown) => t.app.inject({ method: 'PATCH', url: '/api/specialist/me', headers: { authorization: `Bearer ${p.credential}` }, payload: body as never });
  const setByOwner = (p: Practice, body: unknown) => t.app.inject({ method: 'PATCH', url: `/api/admin/specialists/${p.specialist.id}`, headers: admin, payload: body as never });

  before(async () => {
    // HOST_REMINDER_MINUTES unset: the default, 60 and 10 minutes.
    t = await startTestApp({ clock, env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@practice.test', RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    plain = await addPractice(t.database.db);
    own = await addPractice(t.database.db);
    approval = await addPractice(t.database.db, { service: { requires_approval: true } });
    // A subscribed browser: the specialist's reminders get push twins.
    await t.database.db.insertInto('push_subscriptions').values({ specialist_id: own.specialist.id, endpoint: 'https://push.example.net/push/abc', p256dh: 'B'.repeat(87), auth: 'A'.repeat(22), label: '' }).execute();
  });
  after(async () => { await t?.close(); });

  test('the specialist sets their own times; the rules are checked with the field named', async () => {
    const me = await t.app.inject({ url: '/api/specialist/me', headers: { authorization: `Bearer ${own.credential}` } });
    assert.equal(me.json().hostReminderMinutes, null, 'no setting: the server default');
    for (const [body, code] of [
      [{ hostReminderMinutes: [30, 30] }, 'invalid_reminders'],
      [{ hostReminderMinutes: [0] }, 'invalid_request'],
      [{ hostReminderMinutes: [10081] }, 'invalid_request'],
      [{ hostReminderMinutes: [1.5] }, 'invalid_request'],
      [{ hostReminderMinutes: [1, 2, 3, 4, 5, 6] }, 'invalid_request'],
      [{ hostReminderMinutes: 'soon' }, 'invalid_request'],
    ] as const) {
      const res = await setOwn(own, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().error, code, res.body);
      assert.match(res.json().field, /^body\.hostReminderMinutes/);
    }
    assert.equal((await setOwn(own, { name: 'Someone else' })).statusCode, 400, 'a specialist does not rename themselves');
    assert.equal((await t.app.inject({ method: 'PATCH', url: '/api/specialist/me', payload: { hostReminderMinutes: [5] } })).statusCode, 401);
    const ok = await setOwn(own, { hostReminderMinutes: [30, 1440] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().hostReminderMinutes, [1440, 30], 'stored largest first');
    const listed = (await t.app.inject({ url: '/api/admin/specialists', headers: admin })).json().specialists.find((s: { id: string }) => s.id === own.specialist.id);
    assert.deepEqual(listed.hostReminderMinutes, [1440, 30], 'the owner sees it');
  });

  test('a new booking is reminded at the specialist\'s times, or at the server\'s when they set none', async () => {
    const start = T0 + 3 * DAY + 10 * HOUR;
    const a = await book(plain, start);
    const b = await book(own, start);
    assert.deepEqual(await reminders(a.id, start), [60, 10]);
    assert.deepEqual(await reminders(b.id, start), [1440, 30]);
    assert.deepEqual(await reminders(b.id, start, 'push'), [1440, 30], 'the push twins follow');
  });

  test('changing the times replans the pending reminders of upcoming sessions; moving a session moves them', async () => {
    const start = T0 + 4 * DAY + 10 * HOUR;
    const b = await book(own, start, 'later@visitor.test');
    const past = await book(own, T0 + 9 * HOUR, 'soon@visitor.test');
    clock.set(T0 + 10 * HOUR + 30 * MIN); // the second session is over
    const res = await setByOwner(own, { hostReminderMinutes: [120, 15, 5] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await reminders(b.id, start), [120, 15, 5]);
    assert.deepEqual(await reminders(b.id, start, 'push'), [120, 15, 5]);
    const superseded = await t.database.db.selectFrom('notifications').select(['status', 'last_error']).where('booking_id', '=', b.id)
      .where('kind', '=', 'specialist.reminder').where('status', '=', 'cancelled').execute();
    assert.equal(superseded.length, 4, 'the old email and push rows are cancelled, not deleted');
    assert.ok(superseded.every((r) => r.last_error === 'superseded: reminder times changed'));
    assert.deepEqual(await reminders(past.id, T0 + 9 * HOUR), [30], 'a session already over is left as it was (its due reminder is the sender\'s)');

    const moved = start + DAY;
    const mv = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/reschedule`, headers: { authorization: `Bearer ${b.manageToken}` }, payload: { start: new Date(moved).toISOString() } });
    assert.equal(mv.statusCode, 200, mv.body);
    assert.deepEqual(await reminders(b.id, moved), [120, 15, 5], 'the moved session keeps the specialist\'s times');

    // Back to the server default, then none at all.
    assert.equal((await setOwn(own, { hostReminderMinutes: null })).statusCode, 200);
    assert.deepEqual(await reminders(b.id, moved), [60, 10]);
    assert.equal((await setOwn(own, { hostReminderMinutes: [] })).statusCode, 200);
    assert.deepEqual(await reminders(b.id, moved), []);
    assert.deepEqual(await reminders(b.id, moved, 'push'), []);
  });

  test('a request approved later is reminded at the times in force when it is confirmed', async () => {
    const start = T0 + 5 * DAY + 10 * HOUR;
    const b = await book(approval, start, 'asks@visitor.test');
    assert.deepEqual(await reminders(b.id, start), [], 'nothing while it waits for approval');
    assert.equal((await setByOwner(approval, { hostReminderMinutes: [45] })).statusCode, 200);
    assert.deepEqual(await reminders(b.id, start), [], 'still waiting');
    const ok = await t.app.inject({ method: 'POST', url: `/api/specialist/bookings/${b.id}/approve`, headers: { authorization: `Bearer ${approval.credential}` } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(await reminders(b.id, start), [45]);
  });
});
