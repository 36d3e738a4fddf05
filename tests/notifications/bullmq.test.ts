// Delivery through BullMQ against real Redis and a real SMTP server: the confirmation and its
// .ics, reminders on the (test) clock, cancel/reschedule without stale reminders, a Redis flush
// survived without loss or duplicates, and a failing mail server retried then marked failed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { TestClock, testConfig } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { jobIdOf } from '../../server/notifications/queue.ts';
import { deliverById } from '../../server/notifications/deliver.ts';
import type { OutboxContext } from '../../server/notifications/outbox.ts';
import {
  HOUR, MIN, changeBooking, createBooking, mimeParts, parseIcs, seedPractice, silentLog, startSmtp, uniquePrefix, waitFor,
} from './support.ts';

const REDIS = process.env.TEST_REDIS_URL;
const TIMED = ['visitor.reminder_24h', 'visitor.reminder_1h', 'visitor.reminder_15m', 'visitor.review_request'];
// A Redis database of its own: this file runs FLUSHDB, which must not touch other files' queues.
const redisUrl = REDIS ? `${REDIS.replace(/\/\d*$/, '')}/13` : '';

describe('notifications through BullMQ', { skip: REDIS ? false : 'TEST_REDIS_URL is not set' }, () => {
  let t: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let rt: NotificationRuntime;
  let practice: Awaited<ReturnType<typeof seedPractice>>;
  let ctx: OutboxContext;
  const clock = new TestClock('2026-12-01T08:00:00Z');
  const start = Date.parse('2026-12-04T10:00:00Z');

  before(async () => {
    t = await createTestDatabase();
    smtp = await startSmtp();
    const config = testConfig(t.url, { SMTP_URL: smtp.url });
    ctx = { secretKey: config.secretKey, smsEnabled: false, mailCapPerAddress: 0 };
    rt = await startNotifications({
      config, clock, log: silentLog, redisUrl, prefix: uniquePrefix('bull'), intervalMs: 0, backoffMs: 20, maxAttempts: 3, concurrency: 4,
    });
    practice = await seedPractice(t.db);
  });
  after(async () => {
    await rt?.bull?.queue.obliterate({ force: true }).catch(() => {});
    await rt?.close();
    await smtp?.close();
    await t?.drop();
  });

  const rows = (bookingId: string) => t.db.selectFrom('notifications').selectAll().where('booking_id', '=', bookingId).orderBy('send_at').execute();
  const mailsFor = (rowId: string) => smtp.messages.filter((m) => m.raw.includes(`Message-ID: <${rowId}@localhost>`));
  const sentRow = (id: string) => waitFor(`row ${id} sent`, async () => {
    const r = await t.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return r.status === 'sent' && mailsFor(id).length > 0 ? r : null;
  });
  const calendarPart = (raw: string) => mimeParts(raw).find((p) => (p.headers['content-type'] ?? '').startsWith('text/calendar'));

  test('a booking produces the confirmation with a valid .ics, and the specialist is told', async () => {
    const { id, token } = await createBooking(t.db, practice, { start }, clock.now(), ctx);
    await rt.bull!.relay();
    const all = await rows(id);
    const confirmation = all.find((r) => r.kind === 'visitor.confirmation')!;
    const specialist = all.find((r) => r.kind === 'specialist.new_booking')!;
    await sentRow(confirmation.id);
    await sentRow(specialist.id);

    const [mail] = mailsFor(confirmation.id);
    assert.deepEqual(mail.to, ['jane@visitor.test']);
    const ics = calendarPart(mail.raw);
    assert.ok(ics, 'the confirmation carries a text/calendar part');
    assert.match(ics.headers['content-type'], /method=REQUEST/);
    const cal = parseIcs(ics.body);
    assert.equal(cal.method, 'REQUEST');
    assert.equal(cal.events.length, 1);
    const ev = cal.events[0];
    assert.equal(ev.DTSTART.value, '20261204T100000Z');
    assert.equal(ev.DTEND.value, '20261204T105000Z');
    assert.equal(ev.SEQUENCE.value, '0');
    assert.equal(ev.UID.value, `${id}@localhost`);
    assert.match(ev.ORGANIZER.value, /^mailto:/);

    const text = mimeParts(mail.raw).find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body;
    // Both zones: the visitor's (New York, 05:00) and the specialist's (Berlin, 11:00).
    assert.match(text, /05:00 (EST|GMT-5) \(America\/New_York\)/);
    assert.match(text, /11:00 CET \(Europe\/Berlin\)/);
    // No page known (booked without the widget): the specialist's hosted booking page.
    assert.match(text, new RegExp(`http://localhost:3000/book/[\\w-]+\\?booking=${id}&token=${token}`), 'manage link with the real token');
    assert.ok(text.includes('&action=join'), 'join link for a video service');

    const pending = (await rows(id)).filter((r) => r.status === 'pending').map((r) => r.kind).sort();
    assert.deepEqual(pending, ['visitor.reminder_15m', 'visitor.reminder_1h', 'visitor.reminder_24h', 'visitor.review_request']);
  });

  test('reminders fire at their times on the controllable clock, not before', async () => {
    const { id } = await createBooking(t.db, practice, { start: start + 2 * HOUR, email: 'remind@visitor.test' }, clock.now(), ctx);
    await rt.bull!.relay();
    const byKind = Object.fromEntries((await rows(id)).map((r) => [r.kind, r]));
    const delayed = await rt.bull!.queue.getJob(jobIdOf(byKind['visitor.reminder_24h'].id));
    assert.ok(delayed && (await delayed.isDelayed()), 'the 24 h reminder waits as a delayed job');
    assert.equal(delayed.opts.delay, start + 2 * HOUR - 24 * HOUR - clock.now(), 'its delay comes from the clock');

    // Redis firing early (a promoted job, a skewed clock) changes nothing: the worker puts the job
    // back to wait the rest of the time by the app's clock.
    await rt.bull!.queue.promoteJobs();
    await waitFor('job delayed again', async () => (await rt.bull!.queue.getJob(jobIdOf(byKind['visitor.reminder_24h'].id)))?.isDelayed());
    assert.equal((await t.db.selectFrom('notifications').select('status').where('id', '=', byKind['visitor.reminder_24h'].id).executeTakeFirstOrThrow()).status, 'pending');

    const steps: [string, number][] = [
      ['visitor.reminder_24h', start + 2 * HOUR - 24 * HOUR],
      ['visitor.reminder_1h', start + 2 * HOUR - HOUR],
      ['visitor.reminder_15m', start + 2 * HOUR - 15 * MIN],
      ['visitor.review_request', start + 2 * HOUR + 50 * MIN + 2 * HOUR],
    ];
    for (const [kind, at] of steps) {
      clock.set(at - MIN);
      await rt.bull!.promoteDue();
      const early = await t.db.selectFrom('notifications').select('status').where('id', '=', byKind[kind].id).executeTakeFirstOrThrow();
      assert.equal(early.status, 'pending', `${kind} not sent a minute early`);
      clock.set(at);
      await rt.bull!.promoteDue();
      const row = await sentRow(byKind[kind].id);
      assert.equal(row.sent_at!.getTime(), at);
      if (kind === 'visitor.reminder_15m') assert.ok(mailsFor(row.id)[0].raw.includes('action=3Djoin') || mailsFor(row.id)[0].raw.includes('action=join'));
    }
    clock.set('2026-12-01T08:00:00Z');
  });

  test('cancel leaves no stale reminder: rows cancelled and jobs removed', async () => {
    const { id } = await createBooking(t.db, practice, { start: start + 24 * HOUR }, clock.now(), ctx);
    await rt.bull!.relay();
    const reminders = (await rows(id)).filter((r) => TIMED.includes(r.kind));
    assert.equal(reminders.length, 4);
    for (const r of reminders) assert.ok(await rt.bull!.queue.getJob(jobIdOf(r.id)), 'job exists before the cancel');

    await changeBooking(t.db, id, 'cancelled', clock.now(), ctx);
    const { removed } = await rt.bull!.relay();
    assert.ok(removed >= 4);
    for (const r of reminders) {
      const now = await t.db.selectFrom('notifications').select(['status', 'enqueued_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
      assert.equal(now.status, 'cancelled');
      assert.equal(now.enqueued_at, null);
      assert.equal(await rt.bull!.queue.getJob(jobIdOf(r.id)), undefined, 'job removed from Redis');
    }
    const cancellation = (await rows(id)).find((r) => r.kind === 'visitor.cancellation')!;
    await sentRow(cancellation.id);
    const cal = parseIcs(calendarPart(mailsFor(cancellation.id)[0].raw)!.body);
    assert.equal(cal.method, 'CANCEL');
    assert.equal(cal.events[0].STATUS.value, 'CANCELLED');
    assert.equal(cal.events[0].SEQUENCE.value, '1', 'a cancellation outranks the invitation');
    assert.equal(cal.events[0].UID.value, `${id}@localhost`);
  });

  test('reschedule replaces the reminders: old ones gone, new ones at the new time', async () => {
    const { id } = await createBooking(t.db, practice, { start: start + 48 * HOUR }, clock.now(), ctx);
    await rt.bull!.relay();
    const old = (await rows(id)).filter((r) => TIMED.includes(r.kind));
    assert.equal(old.length, 4);
    const moveTo = start + 72 * HOUR;
    await changeBooking(t.db, id, 'rescheduled', clock.now(), ctx, moveTo);
    await rt.bull!.relay();
    for (const r of old) {
      assert.equal((await t.db.selectFrom('notifications').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status, 'cancelled');
      assert.equal(await rt.bull!.queue.getJob(jobIdOf(r.id)), undefined);
    }
    const fresh = (await rows(id)).filter((r) => TIMED.includes(r.kind) && r.status === 'pending');
    assert.deepEqual(fresh.map((r) => r.send_at.getTime()).sort(), [moveTo - 24 * HOUR, moveTo - HOUR, moveTo - 15 * MIN, moveTo + 50 * MIN + 2 * HOUR].sort());
    for (const r of fresh) {
      const job = await rt.bull!.queue.getJob(jobIdOf(r.id));
      assert.ok(job && (await job.isDelayed()));
      assert.equal(job.opts.delay, r.send_at.getTime() - clock.now());
    }
    const notice = (await rows(id)).find((r) => r.kind === 'visitor.reschedule')!;
    await sentRow(notice.id);
    const cal = parseIcs(calendarPart(mailsFor(notice.id)[0].raw)!.body);
    assert.equal(cal.method, 'REQUEST');
    assert.equal(cal.events[0].SEQUENCE.value, '1');
    assert.equal(cal.events[0].DTSTART.value, '20261207T100000Z');
  });

  test('FLUSHDB then reconcile: every due message delivered exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const b = await createBooking(t.db, practice, { start: start + (100 + i * 3) * HOUR, email: `flush${i}@visitor.test` }, clock.now(), ctx);
      ids.push(b.id);
    }
    await rt.bull!.relay();
    const redis = new Redis(redisUrl);
    try {
      await redis.flushdb();
      assert.equal(await rt.bull!.queue.getJob(jobIdOf((await rows(ids[0]))[0].id)), undefined, 'Redis lost the jobs');
      // Everything, reminders and review requests included, is due now.
      clock.set(start + 200 * HOUR);
      const readded = await rt.bull!.reconcile();
      const all = (await Promise.all(ids.map(rows))).flat().filter((r) => r.channel === 'email');
      assert.ok(readded > 0);
      // Reminders of sessions that have started by now are not sent late: they are cancelled.
      const late = (r: { kind: string }) => r.kind.startsWith('visitor.reminder_');
      for (const r of all) if (!late(r)) await sentRow(r.id);
      for (const r of all.filter(late)) {
        await waitFor(`reminder ${r.id} cancelled`, async () => {
          const now = await t.db.selectFrom('notifications').select(['status', 'last_error']).where('id', '=', r.id).executeTakeFirstOrThrow();
          return now.status === 'cancelled' && /already started/.test(now.last_error ?? '') ? now : null;
        });
      }
      // Another reconciliation, a relay, and a duplicate delivery attempt change nothing.
      await rt.bull!.reconcile();
      await rt.bull!.relay();
      await Promise.all(all.map((r) => deliverById(rt.delivery, r.id)));
      await new Promise((r) => setTimeout(r, 200));
      for (const r of all) assert.equal(mailsFor(r.id).length, late(r) ? 0 : 1, `${r.kind} delivered exactly once, late reminders never`);
      assert.equal(all.length, 4 * 6, 'confirmation, specialist note, three reminders and a review per booking');
    } finally {
      redis.disconnect();
      clock.set('2026-12-01T08:00:00Z');
    }
  });

  test('concurrent deliveries of one row send it once (the claim holds the row)', async () => {
    const { id } = await createBooking(t.db, practice, { start: start + 300 * HOUR, email: 'race@visitor.test' }, clock.now(), ctx);
    const row = (await rows(id)).find((r) => r.kind === 'visitor.confirmation')!;
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliverById(rt.delivery, row.id)));
    assert.equal(outcomes.filter((o) => o.status === 'sent').length, 1);
    await rt.bull!.relay();
    await sentRow(row.id);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(mailsFor(row.id).length, 1);
  });
});

describe('a failing mail server', { skip: REDIS ? false : 'TEST_REDIS_URL is not set' }, () => {
  let t: TestDatabase;
  before(async () => { t = await createTestDatabase(); });
  after(async () => { await t?.drop(); });

  async function failsAfterRetries(smtpUrl: string, expectError: RegExp, attemptsSeen?: () => number) {
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const config = testConfig(t.url, { SMTP_URL: smtpUrl });
    const ctx = { secretKey: config.secretKey, smsEnabled: false, mailCapPerAddress: 0 };
    const rt = await startNotifications({
      config, clock, log: silentLog, redisUrl, prefix: uniquePrefix('fail'), intervalMs: 0, backoffMs: 10, maxAttempts: 3, concurrency: 2,
    });
    try {
      const practice = await seedPractice(t.db);
      const { id } = await createBooking(t.db, practice, { start: Date.parse('2026-12-04T10:00:00Z') }, clock.now(), ctx);
      await rt.bull!.relay();
      const row = (await t.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('kind', '=', 'visitor.confirmation').execute())[0];
      await waitFor('both immediate mails failed', async () => {
        const r = await t.db.selectFrom('notifications').select('status').where('booking_id', '=', id).where('send_at', '<=', new Date(clock.now())).execute();
        return r.length === 2 && r.every((x) => x.status === 'failed');
      });
      const failed = await t.db.selectFrom('notifications').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(failed.attempts, 3, 'retried up to the attempt limit');
      assert.match(failed.last_error ?? '', expectError);
      assert.equal(failed.sent_at, null);
      if (attemptsSeen) assert.equal(attemptsSeen(), 6, 'the server saw every attempt (visitor and specialist mail, 3 each)');
      assert.equal(await rt.bull!.queue.getJob(jobIdOf(row.id)), undefined, 'no job left behind');
    } finally {
      await rt.bull!.queue.obliterate({ force: true }).catch(() => {});
      await rt.close();
    }
  }

  test('5xx answers are retried with backoff, then the row is marked failed with the error', async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      await failsAfterRetries(smtp.url, /550|Mailbox unavailable/, () => smtp.attempts);
    } finally {
      await smtp.close();
    }
  });

  test('a refused connection is retried, then marked failed', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    await failsAfterRetries(`smtp://127.0.0.1:${port}`, /ECONNREFUSED/);
  });
});
