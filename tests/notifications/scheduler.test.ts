// The Redis-less scheduler (embedded demo) runs the same delivery code over the table: signed
// webhooks with retries on the app's clock, SMS through Twilio's API (a local fake), .eml files
// when no SMTP server is configured, and calendar rows handed to the calendar module.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { TestClock, testConfig } from '../helpers/app.ts';
import { FakeTwilio } from '../fakes/twilio.ts';
import { seal } from '../../server/security/crypto.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { sendTwilioSms } from '../../server/notifications/channels/sms.ts';
import { createSender } from '../../server/notifications/sender.ts';
import { deliverByIds } from '../../server/notifications/deliver.ts';
import { PermanentDeliveryError } from '../../server/notifications/errors.ts';
import type { Notification } from '../../server/db/schema.ts';
import { HOUR, MIN, changeBooking, createBooking, seedPractice, silentLog } from './support.ts';

/** Standard Webhooks verification written from the spec, independent of the server's signer. */
function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, nowSec: number): boolean {
  const id = String(headers['webhook-id']);
  const ts = String(headers['webhook-timestamp']);
  if (Math.abs(nowSec - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return String(headers['webhook-signature']).split(' ').some((sig) => {
    const [version, value] = sig.split(',');
    const got = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

describe('delivery without Redis (table scheduler)', () => {
  let t: TestDatabase;
  let rt: NotificationRuntime;
  let twilio: FakeTwilio;
  let dataDir: string;
  let practice: Awaited<ReturnType<typeof seedPractice>>;
  let ctx: { secretKey: Buffer; smsEnabled: boolean; mailCapPerAddress: number };
  const calendarRows: Notification[] = [];
  /** Errors the calendar transport throws next, one per call. */
  const calendarFailures: Error[] = [];
  const clock = new TestClock('2026-12-01T08:00:00Z');
  const start = Date.parse('2026-12-04T10:00:00Z');

  const hook = { requests: [] as { headers: IncomingHttpHeaders; body: string }[], failures: 0, url: '' };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hook.requests.push({ headers: req.headers, body });
      if (hook.failures > 0) { hook.failures--; res.writeHead(500).end(); return; }
      res.writeHead(204).end();
    });
  });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  before(async () => {
    t = await createTestDatabase();
    twilio = await new FakeTwilio().start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'bw-notif-'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`;
    // Webhooks here go to example names (no DNS) or 127.0.0.1 fakes: private targets explicitly allowed.
    const config = testConfig(t.url, { ...twilio.env(), DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    ctx = { secretKey: config.secretKey, smsEnabled: config.twilio !== null, mailCapPerAddress: 0 };
    rt = await startNotifications({
      config, clock, log: silentLog, redisUrl: null, intervalMs: 0, backoffMs: 60_000, maxAttempts: 4,
      transports: { calendar: async (row) => { const e = calendarFailures.shift(); if (e) throw e; calendarRows.push(row); } },
    });
    practice = await seedPractice(t.db, { specialistZone: 'Asia/Kolkata' });
    await t.db.insertInto('webhook_endpoints').values({ url: hook.url, secret_encrypted: seal(config.secretKey, secret), events: ['booking.created', 'booking.cancelled'] }).execute();
    await t.db.insertInto('webhook_endpoints').values({ url: `${hook.url}/other`, secret_encrypted: seal(config.secretKey, secret), events: ['booking.completed'] }).execute();
  });
  after(async () => {
    await rt?.close();
    await twilio?.stop();
    server.close();
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('webhooks are signed (Standard Webhooks), retried with backoff on the clock, with a stable id', async () => {
    hook.failures = 2;
    const { id } = await createBooking(t.db, practice, { start, visitorName: 'Hook <Test>' }, clock.now(), ctx);
    const row = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('channel', '=', 'webhook').executeTakeFirstOrThrow();
    assert.equal(row.kind, 'booking.created');
    assert.equal(row.recipient, hook.url, 'only the endpoint subscribed to booking.created');

    await rt.poller!.tick();
    assert.equal(hook.requests.length, 1);
    await rt.poller!.tick();
    assert.equal(hook.requests.length, 1, 'no retry before the backoff has passed');
    clock.advance(60_000);
    await rt.poller!.tick();
    assert.equal(hook.requests.length, 2);
    clock.advance(120_000);
    await rt.poller!.tick();
    assert.equal(hook.requests.length, 3);

    const done = await t.db.selectFrom('notifications').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(done.status, 'sent');
    assert.equal(done.attempts, 3);
    for (const r of hook.requests) {
      assert.equal(r.headers['webhook-id'], row.id, 'the same id on every attempt');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(verifyStandardWebhook(secret, r.headers, r.body, Math.floor(clock.now() / 1000)), 'signature verifies');
      assert.ok(!verifyStandardWebhook(`whsec_${randomBytes(24).toString('base64')}`, r.headers, r.body, Math.floor(clock.now() / 1000)), 'and not under another secret');
      assert.ok(!verifyStandardWebhook(secret, r.headers, r.body.replace('Hook', 'Hack'), Math.floor(clock.now() / 1000)), 'and not for another body');
    }
    const event = JSON.parse(hook.requests[2].body);
    assert.equal(event.type, 'booking.created');
    assert.equal(event.data.id, id);
    assert.equal(event.data.visitor.name, 'Hook <Test>');
    assert.equal(event.data.startsAt, '2026-12-04T10:00:00.000Z');
  });

  test('SMS reminders go through Twilio at their time; 5xx is retried; bad numbers are refused up front', async () => {
    hook.requests.length = 0;
    const { id } = await createBooking(t.db, practice, { start: start + 24 * HOUR, phone: '+4915112345678', locale: 'de', zone: 'Europe/Berlin' }, clock.now(), ctx);
    const sms = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('channel', '=', 'sms').orderBy('send_at').execute();
    assert.deepEqual(sms.map((r) => r.kind), ['visitor.reminder_24h', 'visitor.reminder_1h', 'visitor.reminder_15m']);
    await rt.poller!.tick();
    assert.equal(twilio.messages.length, 0, 'nothing before the reminder time');

    twilio.failNext = 1;
    clock.set(start);
    await rt.poller!.tick();
    clock.advance(60_000);
    await rt.poller!.tick();
    assert.equal(twilio.messages.length, 1);
    const [msg] = twilio.messages;
    assert.equal(msg.to, '+4915112345678');
    assert.equal(msg.from, twilio.from);
    assert.match(msg.body, /Morgen/);
    assert.match(msg.body, /11:00/, 'the visitor’s own zone (Berlin)');
    assert.ok(msg.body.includes(`booking=${id}`));

    const invalid = await createBooking(t.db, practice, { start: start + 48 * HOUR, phone: '0151 1234' }, clock.now(), ctx);
    const none = await t.db.selectFrom('notifications').select('id').where('booking_id', '=', invalid.id).where('channel', '=', 'sms').execute();
    assert.equal(none.length, 0, 'no SMS row for a number that is not E.164');
    await assert.rejects(sendTwilioSms({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: twilio.from, apiUrl: twilio.url }, '12345', 'x'), PermanentDeliveryError);
    await assert.rejects(sendTwilioSms({ accountSid: twilio.accountSid, authToken: 'wrong', from: twilio.from, apiUrl: twilio.url }, '+4915112345678', 'x'), /20003/);
  });

  test('without SMTP_URL emails are written as .eml files', async () => {
    clock.set('2026-12-01T08:00:00Z');
    const { id } = await createBooking(t.db, practice, { start: start + 96 * HOUR, email: 'eml@visitor.test' }, clock.now(), ctx);
    await rt.poller!.tick();
    const row = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('kind', '=', 'visitor.confirmation').executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    const files = readdirSync(path.join(dataDir, 'mail')).filter((f) => f.includes(row.id));
    assert.equal(files.length, 1);
    const eml = readFileSync(path.join(dataDir, 'mail', files[0]), 'utf8');
    assert.match(eml, /^To: eml@visitor\.test/m);
    assert.match(eml, /text\/calendar/);
  });

  test('calendar rows are written for an active connection and handed to the calendar module', async () => {
    clock.set('2026-12-01T08:00:00Z');
    const conn = await t.db.insertInto('calendar_connections').values({ specialist_id: practice.specialistId, provider: 'google', tokens_encrypted: 'x' })
      .returning('id').executeTakeFirstOrThrow();
    const { id } = await createBooking(t.db, practice, { start: start + 120 * HOUR }, clock.now(), ctx);
    await changeBooking(t.db, id, 'cancelled', clock.now(), ctx);
    const rows = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('channel', '=', 'calendar').orderBy('created_at').execute();
    // The upsert was still pending when the booking was cancelled: it is dropped, the delete stays.
    assert.deepEqual(rows.map((r) => [r.kind, r.status]), [['calendar.upsert', 'cancelled'], ['calendar.delete', 'pending']]);
    await rt.poller!.tick();
    const handed = calendarRows.filter((r) => r.booking_id === id);
    assert.deepEqual(handed.map((r) => r.kind), ['calendar.delete']);
    assert.equal((handed[0].payload as { connectionId: string }).connectionId, conn.id);
    const hooks = hook.requests.map((r) => JSON.parse(r.body).type).filter((x) => x === 'booking.cancelled');
    assert.equal(hooks.length, 1, 'the cancellation webhook went out');
  });

  test("a provider's Retry-After longer than the backoff is honoured", async () => {
    clock.set('2026-12-01T08:00:00Z');
    const { id } = await createBooking(t.db, practice, { start: start + 150 * HOUR }, clock.now(), ctx);
    await changeBooking(t.db, id, 'cancelled', clock.now(), ctx);
    calendarFailures.push(Object.assign(new Error('calendar provider rate limit'), { retryAfterMs: 10 * MIN }));
    await rt.poller!.tick();
    const row = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('kind', '=', 'calendar.delete').executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.next_attempt_at?.getTime(), clock.now() + 10 * MIN, 'Retry-After (10 min) beats the 1-minute backoff');
    clock.advance(2 * MIN);
    await rt.poller!.tick();
    assert.equal(calendarRows.filter((r) => r.booking_id === id).length, 0, 'not retried after the backoff alone');
    clock.advance(8 * MIN);
    await rt.poller!.tick();
    assert.deepEqual(calendarRows.filter((r) => r.booking_id === id).map((r) => r.kind), ['calendar.delete']);
  });

  test('a reminder whose time has passed at booking is not scheduled', async () => {
    const at = start + 500 * HOUR;
    clock.set(at - 30 * MIN);
    const { id } = await createBooking(t.db, practice, { start: at, email: 'late@visitor.test' }, clock.now(), ctx);
    const kinds = (await t.db.selectFrom('notifications').select('kind').where('booking_id', '=', id).where('channel', '=', 'email').execute()).map((r) => r.kind).sort();
    assert.deepEqual(kinds, ['specialist.new_booking', 'visitor.confirmation', 'visitor.reminder_15m', 'visitor.review_request']);
  });

  test('a reminder of a booking that no longer stands is cancelled at send time, not sent', async () => {
    clock.set('2026-12-01T08:00:00Z');
    const at = start + 600 * HOUR;
    const { id } = await createBooking(t.db, practice, { start: at, email: 'noshow@visitor.test' }, clock.now(), ctx);
    await rt.poller!.tick();
    // A change that writes no outbox rows (a no-show) leaves the review request pending.
    await t.db.updateTable('bookings').set({ status: 'no_show' }).where('id', '=', id).execute();
    clock.set(at + 4 * HOUR);
    await rt.poller!.tick();
    const review = await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('kind', '=', 'visitor.review_request').executeTakeFirstOrThrow();
    assert.equal(review.status, 'cancelled');
    assert.match(review.last_error ?? '', /no_show/);
    const files = readdirSync(path.join(dataDir, 'mail')).filter((f) => f.includes(review.id));
    assert.equal(files.length, 0);
  });

  test('a cancellation does not wait for a send in progress; the message that went out is recorded sent, once', async () => {
    clock.set('2026-12-01T08:00:00Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const sent: string[] = [];
    const blocking = { ...rt.delivery, send: createSender({
      config: testConfig(t.url), db: rt.db, clock, log: silentLog, mail: { async send() {}, close() {} },
      transports: { email: async (m) => { sent.push(m.messageId); await held; }, webhook: async () => {}, calendar: async () => {} },
    }) };
    const { id } = await createBooking(t.db, practice, { start: start + 700 * HOUR, email: 'race@visitor.test' }, clock.now(), ctx);
    const confirmation = await t.db.selectFrom('notifications').select('id').where('booking_id', '=', id).where('kind', '=', 'visitor.confirmation').executeTakeFirstOrThrow();
    const delivering = deliverByIds(blocking, [confirmation.id], false);
    await new Promise((r) => setTimeout(r, 100));
    // No transaction is open across the send: the cancellation goes through at once.
    await changeBooking(t.db, id, 'cancelled', clock.now(), ctx);
    // Another sender meanwhile leaves the row alone (claimed, and now cancelled).
    assert.equal((await deliverByIds(rt.delivery, [confirmation.id], false)).get(confirmation.id)!.status, 'gone');
    release();
    await delivering;
    const rows = await t.db.selectFrom('notifications').select(['id', 'kind', 'status', 'claim_token']).where('booking_id', '=', id).execute();
    const row = rows.find((r) => r.id === confirmation.id)!;
    assert.equal(row.status, 'sent', 'the message that went out is recorded as sent');
    assert.equal(row.claim_token, null);
    assert.ok(rows.filter((r) => r.kind.startsWith('visitor.reminder')).every((r) => r.status === 'cancelled'));
    assert.equal((await deliverByIds(blocking, [confirmation.id], false)).get(confirmation.id)!.status, 'gone');
    assert.equal(sent.filter((m) => m.includes(confirmation.id)).length, 1);
  });

  test('a reminder waits for its booking\'s confirmation, and one past its moment is skipped', async () => {
    clock.set('2026-12-01T08:00:00Z');
    const at = start + 800 * HOUR;
    const { id } = await createBooking(t.db, practice, { start: at, email: 'order@visitor.test' }, clock.now(), ctx);
    // An outage: nothing was sent until 30 minutes before the session.
    clock.set(at - 30 * MIN);
    const order: string[] = [];
    const recording = { ...rt.delivery, send: createSender({
      config: testConfig(t.url), db: rt.db, clock, log: silentLog, mail: { async send() {}, close() {} },
      transports: { email: async (m) => { order.push(m.messageId); await new Promise((r) => setTimeout(r, 20)); }, webhook: async () => {}, calendar: async () => {} },
    }) };
    const { deliverDue } = await import('../../server/notifications/deliver.ts');
    while ((await deliverDue(recording, 50)) > 0);
    const rows = await t.db.selectFrom('notifications').select(['id', 'kind', 'status', 'sent_at', 'last_error']).where('booking_id', '=', id).where('channel', '=', 'email').execute();
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    assert.equal(byKind.get('visitor.confirmation')!.status, 'sent');
    assert.equal(byKind.get('visitor.reminder_24h')!.status, 'cancelled', 'superseded by the 1 h reminder');
    assert.equal(byKind.get('visitor.reminder_1h')!.status, 'sent');
    assert.equal(byKind.get('visitor.reminder_15m')!.status, 'pending', 'not due yet');
    assert.ok(byKind.get('visitor.confirmation')!.sent_at! <= byKind.get('visitor.reminder_1h')!.sent_at!);
    assert.equal(order.filter((m) => rows.some((r) => m.includes(r.id))).length, 3, 'confirmation, specialist note, 1 h reminder');
  });
});
