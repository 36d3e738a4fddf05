// The API runs delivery in-process when IN_PROCESS_WORKER is on: through the table scheduler
// without Redis, through BullMQ with it; either way a booking's confirmation reaches the SMTP server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { queuePrefix } from '../../server/notifications/runtime.ts';
import { createBooking, mimeParts, seedPractice, startSmtp, waitFor } from './support.ts';

for (const mode of ['table', 'bullmq'] as const) {
  const redis = process.env.TEST_REDIS_URL;
  describe(`in-process delivery (${mode})`, { skip: mode === 'bullmq' && !redis ? 'TEST_REDIS_URL is not set' : false }, () => {
    let ta: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const clock = new TestClock('2026-12-01T08:00:00Z');

    before(async () => {
      smtp = await startSmtp();
      ta = await startTestApp({ clock, env: { IN_PROCESS_WORKER: 'true', SMTP_URL: smtp.url, ...(mode === 'bullmq' ? { REDIS_URL: redis! } : {}) } });
    });
    after(async () => {
      await ta?.app.notifications?.bull?.queue.obliterate({ force: true }).catch(() => {});
      await ta?.close();
      await smtp?.close();
    });

    test('the confirmation goes out without anyone driving the relay', async () => {
      assert.equal(ta.app.notifications?.mode, mode);
      if (mode === 'bullmq') assert.equal(ta.app.notifications!.bull!.queue.opts.prefix, queuePrefix(ta.config.databaseUrl!));
      const practice = await seedPractice(ta.database.db);
      const { id } = await createBooking(ta.database.db, practice, { start: Date.parse('2026-12-04T10:00:00Z'), email: `${mode}@visitor.test` }, clock.now());
      await waitFor('confirmation mail', async () => smtp.messages.some((m) => m.to.includes(`${mode}@visitor.test`)), 15_000);
      // The mail is accepted before the claim commits: wait for the commit too.
      const row = await waitFor('row sent', async () => {
        const r = await ta.database.db.selectFrom('notifications').select('status').where('booking_id', '=', id).where('kind', '=', 'visitor.confirmation').executeTakeFirstOrThrow();
        return r.status === 'sent' ? r : null;
      });
      assert.equal(row.status, 'sent');
    });
  });
}

describe('end to end through the bookings API (table scheduler)', () => {
  let ta: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const clock = new TestClock('2026-12-01T08:00:00Z');

  before(async () => {
    smtp = await startSmtp();
    ta = await startTestApp({ clock, env: { IN_PROCESS_WORKER: 'true', SMTP_URL: smtp.url } });
  });
  after(async () => {
    await ta?.close();
    await smtp?.close();
  });

  const mailTo = (email: string, subject: RegExp) => waitFor(`mail to ${email}`, async () =>
    smtp.messages.find((m) => m.to.includes(email) && subject.test(mimeParts(m.raw).map((p) => p.body).join('\n') + m.raw)), 15_000);
  const manageLink = (raw: string) => {
    const text = mimeParts(raw).find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body;
    return new URL(/(http:\/\/localhost:3000\/book\/[\w-]+\?booking=[^\s]+)/.exec(text)![1]);
  };

  test('the emailed manage link carries a token the bookings API accepts, also after a cancellation', async () => {
    const db = ta.database.db;
    const practice = await seedPractice(db, { specialistZone: 'UTC', bookable: true });
    const created = await ta.app.inject({
      method: 'POST', url: '/api/bookings',
      payload: { specialist: practice.specialistId, service: practice.serviceId, start: '2026-12-04T09:00:00Z', visitor: { name: 'Erika <b>Muster</b>', email: 'e2e@visitor.test', timezone: 'Europe/Berlin' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id, manageToken } = created.json();

    const confirmation = await mailTo('e2e@visitor.test', /confirmed/);
    const link = manageLink(confirmation.raw);
    assert.equal(link.searchParams.get('booking'), id);
    assert.equal(link.searchParams.get('token'), manageToken);
    // What the visitor typed never reaches the visitor's own mail (no open relay for arbitrary text)...
    assert.ok(!confirmation.raw.includes('Muster'), 'the visitor-supplied name is not in the visitor\'s mail');
    // ...and reaches the specialist's escaped.
    const forSpecialist = await mailTo(practice.specialistEmail, /New booking/);
    const html = mimeParts(forSpecialist.raw).find((p) => p.headers['content-type']?.startsWith('text/html'))!.body;
    assert.ok(html.includes('Erika &lt;b&gt;Muster&lt;/b&gt;') && !html.includes('<b>Muster'));

    const view = await ta.app.inject({ url: `/api/bookings/${id}`, headers: { authorization: `Bearer ${link.searchParams.get('token')}` } });
    assert.equal(view.statusCode, 200);
    const cancel = await ta.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel`, headers: { authorization: `Bearer ${manageToken}` }, payload: { reason: 'Ill' } });
    assert.equal(cancel.statusCode, 200, cancel.body);

    const notice = await mailTo('e2e@visitor.test', /cancelled/);
    assert.ok(!notice.raw.includes('token='), 'a cancelled booking has nothing left to manage: no manage link');
    const sealed = await db.selectFrom('notifications').select('kind').where('booking_id', '=', id).where('kind', '=', 'visitor.cancellation')
      .where(sql<boolean>`payload ? 'manageTokenSealed'`).execute();
    assert.equal(sealed.length, 1, 'later rows still carry the same sealed token (for messages that link back)');
    const reminders = await db.selectFrom('notifications').select(['kind', 'status']).where('booking_id', '=', id).where('kind', 'like', 'visitor.reminder%').execute();
    assert.ok(reminders.length === 3 && reminders.every((r) => r.status === 'cancelled'));
  });
});
