// Web Push to specialists: the console's subscription is stored through the API, the specialist's
// new-booking message is pushed by the web-push library to a local push service that verifies
// the VAPID JWT and decrypts the aes128gcm payload as a browser would, and a subscription the
// push service calls gone (410) is pruned while the others still receive.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import webpush from 'web-push';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { FakePushService } from '../fakes/push-service.ts';
import { DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { silentLog } from './support.ts';

describe('Web Push to the console', () => {
  // Real time: the push service checks the VAPID JWT's exp against its own clock.
  const clock = new TestClock(Date.now());
  const day0 = Math.floor(Date.now() / DAY) * DAY;
  let t: TestApp;
  let rt: NotificationRuntime;
  let push: FakePushService;
  let p: Practice;
  const vapid = webpush.generateVAPIDKeys();
  const auth = () => ({ authorization: `Bearer ${p.credential}` });
  const book = (start: number) => t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start) as never });

  before(async () => {
    push = await new FakePushService().start();
    // The fake's self-signed certificate, trusted by this test process only.
    https.globalAgent.options.ca = push.ca;
    t = await startTestApp({
      clock,
      env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@practice.test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '100000' },
    });
    rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    p = await addPractice(t.database.db);
  });
  after(async () => { await rt?.close(); await t?.close(); await push?.stop(); delete https.globalAgent.options.ca; });

  test('subscribing: the VAPID key is handed out; only https endpoints with P-256 keys are taken', async () => {
    const info = await t.app.inject({ url: '/api/specialist/push', headers: auth() });
    assert.equal(info.json().publicKey, vapid.publicKey);
    const sub = push.subscribe();
    const res = await t.app.inject({ method: 'POST', url: '/api/specialist/push/subscriptions', headers: auth(), payload: { ...sub, label: 'Laptop' } });
    assert.equal(res.statusCode, 201, res.body);
    const again = await t.app.inject({ method: 'POST', url: '/api/specialist/push/subscriptions', headers: auth(), payload: { ...sub, label: 'Laptop' } });
    assert.equal(again.json().id, res.json().id, 'the same browser subscribing again is one subscription');
    const plain = await t.app.inject({ method: 'POST', url: '/api/specialist/push/subscriptions', headers: auth(), payload: { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') } });
    assert.equal(plain.statusCode, 400);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/specialist/push/subscriptions', payload: sub })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/specialist/push', headers: auth() })).json().subscriptions.length, 1);
  });

  test('a new booking is pushed: VAPID verified, payload decrypted, with a Topic and a TTL', async () => {
    const res = await book(day0 + 2 * DAY + 10 * HOUR);
    assert.equal(res.statusCode, 201, res.body);
    await rt.poller!.tick();
    assert.deepEqual(push.rejected, []);
    assert.equal(push.received.length, 1);
    const [msg] = push.received;
    const payload = JSON.parse(msg.payload);
    assert.match(payload.title, /^New booking: Vera Visitor/);
    assert.equal(payload.url, `http://localhost:3000/console/?booking=${res.json().id}`);
    assert.equal(msg.subject, 'mailto:ops@practice.test');
    assert.equal(msg.ttl, '3600');
    assert.ok(msg.topic && msg.topic.length <= 32);
  });

  test('a subscription the push service calls gone is pruned; the others still get the message', async () => {
    const second = push.subscribe();
    await t.app.inject({ method: 'POST', url: '/api/specialist/push/subscriptions', headers: auth(), payload: second });
    const [first] = (await t.database.db.selectFrom('push_subscriptions').select('endpoint').where('endpoint', '!=', second.endpoint).execute());
    push.gone.add(push.idOf(first!.endpoint));
    const before = push.received.length;
    const res = await book(day0 + 3 * DAY + 10 * HOUR);
    const id = res.json().id;
    await t.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel`, headers: { authorization: `Bearer ${res.json().manageToken}` }, payload: {} });
    await rt.poller!.tick();
    const got = push.received.slice(before);
    assert.ok(got.length >= 1 && got.every((m) => m.id === push.idOf(second.endpoint)));
    assert.ok(got.some((m) => /^Cancelled/.test(JSON.parse(m.payload).title)), 'cancellations are pushed too');
    const left = await t.database.db.selectFrom('push_subscriptions').select('endpoint').execute();
    assert.deepEqual(left.map((s) => s.endpoint), [second.endpoint], 'the gone subscription was deleted');
    const rows = await t.database.db.selectFrom('notifications').select(['kind', 'status']).where('booking_id', '=', id).where('channel', '=', 'push').where('kind', '!=', 'specialist.reminder').orderBy('kind').execute();
    assert.deepEqual(rows.map((r) => [r.kind, r.status]), [['specialist.cancellation', 'sent'], ['specialist.new_booking', 'cancelled']],
      'the new-booking push not yet sent is superseded by the cancellation, like its email');
  });
});
