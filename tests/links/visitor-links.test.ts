// Each test seeds its own practice (slots 09:00, 09:50, ...), so every booking is at 09:00.
// Every link a visitor gets returns to a page of the site owner's: the page they booked on (its
// origin allowed), else the practice's BOOKING_PAGE_URL, else our hosted /book/<specialist>; and
// the hosted booking pages themselves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { composeMessage } from '../../server/notifications/sender.ts';
import { seedPractice } from '../notifications/support.ts';

const clock = new TestClock('2026-12-01T08:00:00Z');

const practiceWithHours = (ta: TestApp) => seedPractice(ta.database.db, { specialistZone: 'UTC', bookable: true });

/** Books through the API and returns the confirmation email's text as composed for sending. */
async function bookAndRead(ta: TestApp, practice: Awaited<ReturnType<typeof practiceWithHours>>, hour: number, extra: Record<string, unknown> = {}) {
  const res = await ta.app.inject({
    method: 'POST', url: '/api/bookings',
    payload: {
      specialist: practice.specialistId, service: practice.serviceId, start: `2026-12-04T${String(hour).padStart(2, '0')}:00:00Z`,
      visitor: { name: 'Ada', email: `ada${Math.random().toString(36).slice(2)}@visitor.test`, timezone: 'UTC' }, ...extra,
    },
  });
  if (res.statusCode !== 201) return { status: res.statusCode, body: res.json(), text: '' };
  const { id, manageToken } = res.json();
  const db = ta.database.db;
  const row = await db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('kind', '=', 'visitor.confirmation').where('channel', '=', 'email').executeTakeFirstOrThrow();
  const booking = await db.selectFrom('bookings as b').innerJoin('specialists as s', 's.id', 'b.specialist_id').selectAll('b')
    .select(['s.name as specialist_name', 's.email as specialist_email', 's.timezone as specialist_timezone', 's.slug as specialist_slug'])
    .where('b.id', '=', id).executeTakeFirstOrThrow();
  const { rendered, ics } = composeMessage(ta.config, clock.now(), row, booking);
  return { status: 201, id: id as string, token: manageToken as string, text: rendered.text, ics: ics ?? '' };
}

describe('visitor links return to the owner\'s page', () => {
  let ta: TestApp;
  before(async () => { ta = await startTestApp({ clock }); });
  after(() => ta.close());

  test('the page the widget was embedded in, without our parameters', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9, { returnUrl: 'http://embedder.test/clinic/book?lang=de&bw_email=ada%40x.test&token=leak#top' });
    assert.equal(r.status, 201);
    const manage = `http://embedder.test/clinic/book?lang=de&booking=${r.id}&token=${r.token}`;
    assert.ok(r.text.includes(manage), r.text);
    assert.ok(r.text.includes(`${manage}&action=join`), 'the join link returns there too');
    assert.ok(r.ics!.replace(/\r\n /g, '').includes(`URL:${manage}`), 'and the invitation');
    assert.ok(!r.text.includes('localhost:3000/?booking'), 'not the server\'s demo page');
  });

  test('the server\'s own demo page opened as 127.0.0.1 (PUBLIC_URL says localhost) books, and links return there', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9, { returnUrl: 'http://127.0.0.1:3000/' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.ok(r.text.includes(`http://127.0.0.1:3000/?booking=${r.id}&token=${r.token}`), r.text);
  });

  test('a page of an origin that is not allowed is refused (no links to other sites in our mail)', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9, { returnUrl: 'https://evil.example/phish' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'invalid_return_url');
  });

  test('unknown page: the hosted page of the specialist, which serves the widget', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9);
    const link = new RegExp(`http://localhost:3000/book/${p.slug}\\?booking=${r.id}&token=`);
    assert.match(r.text, link);
    const page = await ta.app.inject(`/book/${p.slug}?booking=${r.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<booking-widget specialist="${p.slug}" theme="light"></booking-widget>`));
    assert.match(page.body, /<script type="module" src="\/widget.js"><\/script>/);
  });

  test('erasure forgets the page', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9, { returnUrl: 'http://embedder.test/x' });
    const { anonymiseBookings } = await import('../../server/privacy/erase.ts');
    await anonymiseBookings(ta.database.db, [r.id!], clock.now());
    const row = await ta.database.db.selectFrom('bookings').select('return_url').where('id', '=', r.id!).executeTakeFirstOrThrow();
    assert.equal(row.return_url, null);
  });
});

describe('BOOKING_PAGE_URL and the hosted pages', () => {
  let ta: TestApp;
  before(async () => {
    ta = await startTestApp({ clock, env: { BOOKING_PAGE_URL: 'https://clinic.example/termine', PRACTICE_NAME: 'Praxis <Weber> & Co', BOOKING_PAGE_THEME: 'auto' } });
  });
  after(() => ta.close());

  test('the practice\'s booking page when the booking\'s page is unknown', async () => {
    const p = await practiceWithHours(ta);
    const r = await bookAndRead(ta, p, 9);
    assert.ok(r.text.includes(`https://clinic.example/termine?booking=${r.id}&token=${r.token}`), r.text);
  });

  test('/book, /book/:specialist/:service and the team page, with the practice\'s name (escaped) and theme', async () => {
    const p = await practiceWithHours(ta);
    const { slug: service } = await ta.database.db.selectFrom('services').select('slug').where('id', '=', p.serviceId).executeTakeFirstOrThrow();
    const all = await ta.app.inject('/book');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /<booking-widget theme="auto"><\/booking-widget>/);
    assert.match(all.body, /<h1>Praxis &#60;Weber&#62; &#38; Co<\/h1>/);
    const one = await ta.app.inject(`/book/${p.slug}/${service}`);
    assert.match(one.body, new RegExp(`<booking-widget specialist="${p.slug}" service="${service}" theme="auto">`));
    assert.match(one.body, /<title>Video consultation · Dr. Anna Weber · Praxis/);
    const team = await ta.app.inject(`/book/any/${service}`);
    assert.match(team.body, new RegExp(`<booking-widget specialist="any" service="${service}" theme="auto">`));
  });

  test('an unknown specialist or service is a 404 page offering everything; with ?booking= it still opens the booking', async () => {
    const missing = await ta.app.inject('/book/nobody');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /text\/html/);
    assert.match(missing.body, /<booking-widget theme="auto">/);
    const link = await ta.app.inject('/book/nobody?booking=44444444-4444-4444-8444-444444444444');
    assert.equal(link.statusCode, 200);
    const bad = await ta.app.inject('/book/%3Cscript%3E');
    assert.equal(bad.statusCode, 400);
  });
});
