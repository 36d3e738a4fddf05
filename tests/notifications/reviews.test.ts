// Reviews end to end: the review request (real SMTP) carries a signed review link; the link opens
// a server-rendered form; the form's POST stores one review (the link is single-use), sends
// booking.reviewed to subscribed endpoints, and the review is listed for the specialist and the
// owner, who can publish it for the booking page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { mimeParts, silentLog, startSmtp } from './support.ts';

describe('reviews', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let rt: NotificationRuntime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let p: Practice;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let link: URL;
  let bookingId = '';

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    p = await addPractice(t.database.db, { timezone: 'Europe/Berlin' });
    const hook = await t.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: admin, payload: { url: 'http://127.0.0.1:9/crm', events: ['booking.reviewed'] } });
    assert.equal(hook.statusCode, 201, hook.body);
  });
  after(async () => { await rt?.close(); await t?.close(); await smtp?.close(); });

  test('the review request carries a signed review link to a form', async () => {
    const start = T0 + 2 * DAY + 10 * HOUR;
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start, { visitor: { name: 'Vera', email: 'review@visitor.test', timezone: 'Europe/Berlin', locale: 'de' } }) as never });
    assert.equal(res.statusCode, 201, res.body);
    bookingId = res.json().id;
    await t.app.inject({ method: 'POST', url: `/api/specialist/bookings/${bookingId}/complete`, headers: { authorization: `Bearer ${p.credential}` } })
      .then((r) => assert.equal(r.statusCode, 409, 'not before it took place'));
    clock.set(start + HOUR + 2 * HOUR);
    await rt.poller!.tick();
    const mail = smtp.messages.filter((m) => m.to.includes('review@visitor.test')).map((m) => mimeParts(m.raw).find((x) => x.headers['content-type']?.startsWith('text/plain'))!.body).find((b) => /Bewertung/.test(b));
    assert.ok(mail, 'review request sent');
    const found = /Bewertung schreiben: (\S+)/.exec(mail);
    assert.ok(found, mail);
    link = new URL(found[1]);
    assert.equal(link.pathname, `/review/${bookingId}`);
    const page = await t.app.inject({ url: link.pathname + link.search });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /<form method="post" action="\/review\//);
    assert.match(page.body, /Wie war Ihr Termin/);
    const forged = await t.app.inject({ url: `${link.pathname}?sig=${'A'.repeat(43)}` });
    assert.equal(forged.statusCode, 200);
    assert.match(forged.body, /not valid/);
  });

  test('the form stores one review; a second post is refused; booking.reviewed is written with the review', async () => {
    const sig = link.searchParams.get('sig')!;
    const form = (rating: string) => t.app.inject({
      method: 'POST', url: link.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ sig, rating, comment: 'Sehr hilfreich <3' }).toString(),
    });
    const first = await form('5');
    assert.equal(first.statusCode, 303, first.body);
    assert.match(String(first.headers.location), /result=thanks$/);
    const thanks = await t.app.inject({ url: String(first.headers.location) });
    assert.match(thanks.body, /Vielen Dank für Ihre Bewertung/);
    const second = await form('1');
    assert.match(String(second.headers.location), /result=already_reviewed$/);
    assert.equal((await form('9')).statusCode, 400, 'a rating outside 1-5');
    const forged = await t.app.inject({ method: 'POST', url: `/api/bookings/${bookingId}/review`, payload: { sig: 'x'.repeat(43), rating: 3 } });
    assert.equal(forged.statusCode, 404);

    const rows = await t.database.db.selectFrom('reviews').selectAll().where('booking_id', '=', bookingId).execute();
    assert.deepEqual(rows.map((r) => [r.rating, r.comment]), [[5, 'Sehr hilfreich <3']]);
    const hook = await t.database.db.selectFrom('notifications').select(['kind', 'payload']).where('booking_id', '=', bookingId).where('channel', '=', 'webhook').execute();
    assert.deepEqual(hook.map((h) => h.kind), ['booking.reviewed']);
    assert.equal((hook[0].payload as any).event.data.review.rating, 5);
  });

  test('listed for the specialist and the owner; published ones on the public list', async () => {
    const mine = await t.app.inject({ url: '/api/specialist/reviews', headers: { authorization: `Bearer ${p.credential}` } });
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().reviews[0].rating, 5);
    assert.equal((await t.app.inject({ url: '/api/specialist/reviews' })).statusCode, 401);
    const all = await t.app.inject({ url: '/api/admin/reviews', headers: admin });
    const [review] = all.json().reviews;
    assert.equal(review.bookingId, bookingId);
    assert.equal((await t.app.inject({ url: `/api/specialists/${p.specialist.slug}/reviews` })).json().reviews.length, 0, 'nothing public until published');
    const pub = await t.app.inject({ method: 'PATCH', url: `/api/admin/reviews/${review.id}`, headers: admin, payload: { published: true } });
    assert.equal(pub.statusCode, 204);
    const shown = (await t.app.inject({ url: `/api/specialists/${p.specialist.slug}/reviews` })).json();
    assert.deepEqual([shown.reviews.length, shown.average, shown.reviews[0].comment], [1, 5, 'Sehr hilfreich <3']);
  });
});
