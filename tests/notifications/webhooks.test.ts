// Webhooks a CRM can live on: every lifecycle change whichever path caused it (the API, the
// specialist, the video provider's meeting end), no_show subscribable, one versioned payload
// with visitor, specialist, service, answers, money and links that validates against the
// documented schema (shared/webhooks.ts, the OpenAPI `webhooks`), signatures checked with the
// standardwebhooks package, and redelivery with the same webhook-id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Value } from 'typebox/value';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { applyCallEvent } from '../../server/video/events.ts';
import { BookingWebhookEvent } from '../../shared/webhooks.ts';
import { DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { silentLog } from './support.ts';

describe('webhooks for CRMs', () => {
  // Real time: the standardwebhooks verifier checks webhook-timestamp against the wall clock.
  const clock = new TestClock(Date.now());
  const day0 = Math.floor(Date.now() / DAY) * DAY;
  let t: TestApp;
  let rt: NotificationRuntime;
  let p: Practice;
  let secret = '';
  let endpointId = '';
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
  });
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const events = () => received.map((r) => JSON.parse(r.body) as BookingWebhookEvent);
  const of = (id: string) => events().filter((e) => e.data.id === id);
  const flush = () => rt.poller!.tick();
  const book = async (start: number) => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/bookings',
      payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start, {
        answers: { topic: 'Back pain', returning: true },
        visitor: { name: 'Vera Visitor', email: 'vera@example.com', timezone: 'Europe/Berlin', phone: '+49 170 1234567' },
      }) as never,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; manageToken: string };
  };

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t = await startTestApp({ clock, env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    p = await addPractice(t.database.db, {
      service: {
        video_enabled: true, price_cents: 6000, currency: 'EUR',
        intake_questions: JSON.stringify([
          { id: 'topic', label: 'What brings you here?', type: 'text', required: true },
          { id: 'returning', label: 'Been here before', type: 'checkbox', required: false },
        ]),
      },
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`;
    const created = await t.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: admin, payload: { url, events: ['booking.*'] } });
    assert.equal(created.statusCode, 201, created.body);
    ({ secret, id: endpointId } = created.json());
  });
  after(async () => { await rt?.close(); await t?.close(); server.close(); });

  test('no_show, reviewed and the payment events can be subscribed to', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/admin/webhooks', headers: admin,
      payload: { url: 'http://127.0.0.1:9/other', events: ['booking.no_show', 'booking.reviewed', 'booking.completed', 'booking.payment_refunded'] },
    });
    assert.equal(res.statusCode, 201, res.body);
    await t.app.inject({ method: 'PATCH', url: `/api/admin/webhooks/${res.json().id}`, headers: admin, payload: { active: false } });
  });

  test('created: signed (standardwebhooks verifies), versioned, with visitor, specialist, service, answers, price and links', async () => {
    const b = await book(day0 + 2 * DAY + 10 * HOUR);
    await flush();
    const [delivery] = received.filter((r) => JSON.parse(r.body).data.id === b.id);
    assert.ok(delivery);
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as BookingWebhookEvent;
    assert.equal(verified.type, 'booking.created');
    assert.ok(Value.Check(BookingWebhookEvent, verified), JSON.stringify([...Value.Errors(BookingWebhookEvent, verified)].slice(0, 3)));
    assert.equal(verified.version, 1);
    assert.equal(verified.data.visitor.phone, '+491701234567');
    assert.deepEqual(verified.data.specialist && { id: verified.data.specialist.id, name: verified.data.specialist.name }, { id: p.specialist.id, name: 'Dr. Test' });
    assert.deepEqual(verified.data.answers, [
      { id: 'topic', label: 'What brings you here?', value: 'Back pain' },
      { id: 'returning', label: 'Been here before', value: true },
    ]);
    assert.deepEqual(verified.data.price, { amountCents: 6000, currency: 'EUR' });
    assert.equal(verified.data.links.console, `http://localhost:3000/console/?booking=${b.id}`);
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(delivery.body, delivery.headers as Record<string, string>));
  });

  test('the video provider ending the call sends booking.completed; a no-show sends booking.no_show', async () => {
    const came = await book(day0 + 3 * DAY + 10 * HOUR);
    const away = await book(day0 + 4 * DAY + 10 * HOUR);
    await t.database.db.updateTable('bookings').set({ video_room_name: `room-${came.id}` }).where('id', '=', came.id).execute();
    await t.database.db.updateTable('bookings').set({ video_room_name: `room-${away.id}` }).where('id', '=', away.id).execute();
    const start = new Date(day0 + 3 * DAY + 10 * HOUR);
    // Who was in the room decides (video/policy.ts): both here for the session, or the specialist alone.
    assert.equal(await applyCallEvent(t.app, { kind: 'joined', room: `room-${came.id}`, role: 'specialist', session: 'h1', at: start }), 'applied');
    assert.equal(await applyCallEvent(t.app, { kind: 'joined', room: `room-${came.id}`, role: 'visitor', session: 'v1', at: start }), 'applied');
    assert.equal(await applyCallEvent(t.app, { kind: 'ended', room: `room-${came.id}`, startedAt: start, endedAt: new Date(start.getTime() + 50 * 60_000) }), 'applied');
    const later = new Date(day0 + 4 * DAY + 11 * HOUR);
    assert.equal(await applyCallEvent(t.app, { kind: 'joined', room: `room-${away.id}`, role: 'specialist', session: 'h2', at: new Date(day0 + 4 * DAY + 10 * HOUR) }), 'applied');
    assert.equal(await applyCallEvent(t.app, { kind: 'ended', room: `room-${away.id}`, startedAt: null, endedAt: later }), 'applied');
    await flush();
    assert.deepEqual(of(came.id).map((e) => e.type).sort(), ['booking.completed', 'booking.created']);
    assert.deepEqual(of(away.id).map((e) => e.type).sort(), ['booking.created', 'booking.no_show']);
    for (const e of [...of(came.id), ...of(away.id)]) assert.ok(Value.Check(BookingWebhookEvent, e));
    const stale = await t.database.db.selectFrom('notifications').select('kind').where('booking_id', '=', away.id).where('status', '=', 'pending').where('channel', '=', 'email').execute();
    assert.deepEqual(stale, [], 'a no-show cancels the pending reminders and the review request');
  });

  test('a cancellation carries the refund and reason; a move carries the previous time', async () => {
    const b = await book(day0 + 5 * DAY + 10 * HOUR);
    const moved = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/reschedule`, headers: { authorization: `Bearer ${b.manageToken}` }, payload: { start: new Date(day0 + 5 * DAY + 12 * HOUR).toISOString() } });
    assert.equal(moved.statusCode, 200, moved.body);
    const cancelled = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/cancel`, headers: admin, payload: { reason: 'Practice closed' } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    await flush();
    assert.deepEqual(of(b.id).map((e) => e.type).sort(), ['booking.cancelled', 'booking.created', 'booking.rescheduled']);
    const move = of(b.id).find((e) => e.type === 'booking.rescheduled')!;
    const cancel = of(b.id).find((e) => e.type === 'booking.cancelled')!;
    assert.equal(move.data.previous?.startsAt, new Date(day0 + 5 * DAY + 10 * HOUR).toISOString());
    assert.equal(cancel.type, 'booking.cancelled');
    assert.equal(cancel.data.cancelReason, 'Practice closed');
    assert.equal(cancel.data.cancelledBy, 'admin');
  });

  test('redelivery sends the same body with the same webhook-id', async () => {
    const list = await t.app.inject({ url: `/api/admin/webhooks/${endpointId}/deliveries`, headers: admin });
    const first = list.json().deliveries.find((d: { status: string }) => d.status === 'sent');
    const original = received.find((r) => r.headers['webhook-id'] === first.id)!;
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/webhooks/${endpointId}/deliveries/${first.id}/redeliver`, headers: admin });
    assert.equal(res.statusCode, 202, res.body);
    await flush();
    const again = received.filter((r) => r.headers['webhook-id'] === first.id);
    assert.equal(again.length, 2);
    assert.equal(again[1].body, original.body);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/admin/webhooks/${endpointId}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, headers: admin });
    assert.equal(unknown.statusCode, 404);
  });

  test('the OpenAPI document lists every event under webhooks with the payload schema', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const type of ['booking.created', 'booking.completed', 'booking.no_show', 'booking.reviewed']) {
      assert.equal(doc.webhooks[type].post.requestBody.content['application/json'].schema.$ref, '#/components/schemas/BookingWebhookEvent');
    }
    assert.ok(doc.components.schemas.BookingWebhookEvent.properties.data.properties.answers);
  });
});
