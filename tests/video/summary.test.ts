// The consultation summary reaches the visitor: the specialist saves it, sends it once per
// version, and the visitor gets it by email (real SMTP server) and in their booking view. Notes
// stay private throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { addPractice, bookingBody, DAY, HOUR, T0, type Practice } from '../bookings/fixtures.ts';
import { mimeParts, startSmtp, waitFor } from '../notifications/support.ts';

const clock = new TestClock(T0);
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let p: Practice;
let other: Practice;
let session = '';

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ clock, env: { IN_PROCESS_WORKER: 'true', SMTP_URL: smtp.url } });
  p = await addPractice(t.app.db);
  other = await addPractice(t.app.db);
  const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/key', payload: { key: p.credential } });
  session = signIn.json().token;
});
after(async () => {
  await t?.close();
  await smtp?.close();
});

const as = (token: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

async function book(practice: Practice, start: number, email: string, extra: Record<string, unknown> = {}) {
  const body = bookingBody({ specialist: practice.specialist.slug, service: practice.service.slug }, start, { visitor: { name: 'Vera Visitor', email, timezone: 'UTC', locale: 'en' }, ...extra });
  const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; manageToken: string };
}

describe('the summary', () => {
  test('is emailed to the visitor once per version and shown in their booking; notes never leave', async () => {
    const b = await book(p, T0 + 2 * DAY + 9 * HOUR, 'summary@visitor.test');
    const save = await as(session, 'PUT', `/api/specialist/bookings/${b.id}/notes`, { notes: 'Private: follow up on sleep diary', summary: 'We agreed on a sleep diary for two weeks.' });
    assert.equal(save.statusCode, 200, save.body);
    assert.equal(save.json().summarySentAt, null);

    const sent = await as(session, 'POST', `/api/specialist/bookings/${b.id}/summary/send`);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().summarySentAt, new Date(clock.now()).toISOString());
    const mail = await waitFor('summary mail', async () => smtp.messages.find((m) => m.to.includes('summary@visitor.test') && /Summary of your/.test(m.raw)), 15_000);
    const text = mimeParts(mail.raw).find((x) => x.headers['content-type']?.startsWith('text/plain'))!.body;
    assert.match(text, /Dr\. Test shared a summary of your Session:/);
    assert.match(text, /We agreed on a sleep diary for two weeks\./);
    assert.match(text, new RegExp(`http://localhost:3000/book/[\\w-]+\\?booking=${b.id}&token=`), 'with the manage link');
    assert.ok(!mail.raw.includes('Private: follow up'), 'notes stay private');

    const view = await as(b.manageToken, 'GET', `/api/bookings/${b.id}`);
    assert.equal(view.json().summary, 'We agreed on a sleep diary for two weeks.');
    assert.ok(!view.body.includes('Private: follow up'));

    const twice = await as(session, 'POST', `/api/specialist/bookings/${b.id}/summary/send`);
    assert.deepEqual([twice.statusCode, twice.json().error], [409, 'already_sent']);
    const edited = await as(session, 'PUT', `/api/specialist/bookings/${b.id}/notes`, { summary: 'We agreed on a sleep diary for three weeks.' });
    assert.equal(edited.json().summarySentAt, null, 'a changed summary may be sent again');
    const notesOnly = await as(session, 'PUT', `/api/specialist/bookings/${b.id}/notes`, { notes: 'More private notes' });
    assert.equal(notesOnly.json().summarySentAt, null);
    assert.equal((await as(session, 'POST', `/api/specialist/bookings/${b.id}/summary/send`)).statusCode, 200);
  });

  test('needs a saved summary, a booking that took place or stands, and its own specialist', async () => {
    const b = await book(p, T0 + 3 * DAY + 9 * HOUR, 'empty@visitor.test');
    const empty = await as(session, 'POST', `/api/specialist/bookings/${b.id}/summary/send`);
    assert.deepEqual([empty.statusCode, empty.json().error], [409, 'no_summary']);
    assert.equal((await as(b.manageToken, 'POST', `/api/specialist/bookings/${b.id}/summary/send`)).statusCode, 404, 'not with the visitor\'s token');
    const stranger = await book(other, T0 + 3 * DAY + 9 * HOUR, 'stranger@visitor.test');
    assert.equal((await as(session, 'POST', `/api/specialist/bookings/${stranger.id}/summary/send`)).statusCode, 404);
    await as(session, 'PUT', `/api/specialist/bookings/${b.id}/notes`, { summary: 'x' });
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/cancel`, headers: { authorization: `Bearer ${b.manageToken}` }, payload: {} })).statusCode, 200);
    const cancelled = await as(session, 'POST', `/api/specialist/bookings/${b.id}/summary/send`);
    assert.deepEqual([cancelled.statusCode, cancelled.json().error], [409, 'invalid_transition']);
  });
});
