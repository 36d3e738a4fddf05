// What people read, through the bookings API, the table scheduler and a real SMTP server: the
// specialist's messages in the specialist's language with the visitor's intake answers, host
// reminders at the configured offsets with the host join link, no join link on a request that
// is not yet approved, and no manage link once a booking is cancelled (with the refund shown).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { mimeParts, silentLog, startSmtp } from './support.ts';

const questions = [
  { id: 'topic', label: 'Thema', type: 'textarea', required: true },
  { id: 'consent', label: 'Einverstanden', type: 'checkbox', required: true },
];

describe('message contents', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let rt: NotificationRuntime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let approval: Practice;
  let direct: Practice;

  const text = (raw: string) => mimeParts(raw).find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body.replace(/\r\n/g, '\n');
  const html = (raw: string) => mimeParts(raw).find((p) => p.headers['content-type']?.startsWith('text/html'))!.body;
  const mails = (to: string) => smtp.messages.filter((m) => m.to.includes(to)).map((m) => ({ raw: m.raw, text: text(m.raw), html: html(m.raw) }));
  const flush = async () => { await rt.poller!.tick(); };
  const book = async (p: Practice, start: number, email: string) => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/bookings',
      payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start, {
        answers: { topic: 'Schlaf <und> Stress', consent: true },
        visitor: { name: 'Vera Visitor', email, timezone: 'America/New_York' },
      }) as never,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; manageToken: string };
  };

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url, HOST_REMINDER_MINUTES: '60,10', RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    const service = { intake_questions: JSON.stringify(questions), video_enabled: true };
    approval = await addPractice(t.database.db, { timezone: 'Europe/Berlin', service: { ...service, requires_approval: true } });
    direct = await addPractice(t.database.db, { timezone: 'Europe/Berlin', service });
    await t.database.db.updateTable('specialists').set({ locale: 'de' }).where('id', 'in', [approval.specialist.id, direct.specialist.id]).execute();
  });
  after(async () => { await rt?.close(); await t?.close(); await smtp?.close(); });

  const specialistEmail = async (p: Practice) => (await t.database.db.selectFrom('specialists').select('email').where('id', '=', p.specialist.id).executeTakeFirstOrThrow()).email;

  test('a pending request: the visitor gets no join link; the specialist\'s approval request is German and carries the answers', async () => {
    await book(approval, T0 + 2 * DAY + 10 * HOUR, 'pending@visitor.test');
    await flush();
    const [received] = mails('pending@visitor.test');
    assert.ok(received, 'request received');
    assert.doesNotMatch(received.text, /action=join/);
    assert.doesNotMatch(received.text, /video call/i);
    const [host] = mails(await specialistEmail(approval));
    assert.match(host.raw, /Subject: =\?UTF-8\?|Subject: Freigabe/);
    assert.match(host.text, /Freigabe|angefragt/);
    assert.match(host.text, /Antworten:\n- Thema: Schlaf <und> Stress\n- Einverstanden: ja/);
    assert.match(host.html, /Schlaf &lt;und&gt; Stress/, 'answers are escaped in HTML');
    assert.match(host.text, /In der Konsole öffnen: http:\/\/localhost:3000\/console\//);
    assert.doesNotMatch(host.text, /action=join/);
  });

  test('host reminders at 60 and 10 minutes, in German, with the answers and the host join link', async () => {
    const start = T0 + 3 * DAY + 10 * HOUR;
    const b = await book(direct, start, 'direct@visitor.test');
    const rows = await t.database.db.selectFrom('notifications').select(['kind', 'send_at', 'recipient']).where('booking_id', '=', b.id).where('kind', '=', 'specialist.reminder').orderBy('send_at').execute();
    assert.deepEqual(rows.map((r) => r.send_at.getTime()), [start - 60 * 60_000, start - 10 * 60_000]);
    const host = await specialistEmail(direct);
    await flush();
    const before = mails(host).length;
    clock.set(start - 60 * 60_000);
    await flush();
    const first = mails(host).slice(before);
    assert.equal(first.length, 1);
    assert.match(first[0].text, /beginnt in 1 Stunde/);
    assert.match(first[0].text, /- Thema: Schlaf <und> Stress/);
    assert.match(first[0].text, new RegExp(`console/\\?booking=${b.id}&action=join`));
    clock.set(start - 10 * 60_000);
    await flush();
    assert.match(mails(host).slice(before)[1].text, /beginnt in 10 Minuten/);
  });

  test('a cancellation: no manage link, no join link; a moved booking moves the host reminders', async () => {
    clock.set(T0);
    const start = T0 + 4 * DAY + 10 * HOUR;
    const b = await book(direct, start, 'cancel@visitor.test');
    const moved = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/reschedule`, headers: { authorization: `Bearer ${b.manageToken}` }, payload: { start: new Date(start + HOUR).toISOString() } });
    assert.equal(moved.statusCode, 200, moved.body);
    const pending = await t.database.db.selectFrom('notifications').select(['send_at']).where('booking_id', '=', b.id).where('kind', '=', 'specialist.reminder').where('status', '=', 'pending').orderBy('send_at').execute();
    assert.deepEqual(pending.map((r) => r.send_at.getTime()), [start, start + 50 * 60_000]);
    const res = await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/cancel`, headers: { authorization: `Bearer ${b.manageToken}` }, payload: {} });
    assert.equal(res.statusCode, 200, res.body);
    await flush();
    const cancellation = mails('cancel@visitor.test').find((m) => /Cancelled/.test(m.raw));
    assert.ok(cancellation);
    assert.doesNotMatch(cancellation.text, /Manage your booking|token=|action=join/);
    const left = await t.database.db.selectFrom('notifications').select('id').where('booking_id', '=', b.id).where('kind', '=', 'specialist.reminder').where('status', '=', 'pending').execute();
    assert.equal(left.length, 0, 'a cancelled booking reminds nobody');
  });
});
