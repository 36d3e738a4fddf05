// Published reviews on the hosted booking page (/book/<specialist>): server-rendered with the
// mean and count, each review's stars, words, first name and last initial and date, escaped;
// unpublished reviews and other specialists' never appear, and a page without published reviews
// has no reviews section at all. The public JSON list says the same.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { reviewAuthor } from '../../server/reviews/store.ts';

describe('reviews on the booking page', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let p: Practice;
  let other: Practice;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** A session of `visitor` with `p`, reviewed (the review row as the review form stores it). */
  async function reviewed(of: Practice, visitor: string, dayOffset: number, rating: number, comment: string): Promise<string> {
    const res = await t.app.inject({
      method: 'POST', url: '/api/bookings',
      payload: bookingBody({ specialist: of.specialist.id, service: of.service.id }, T0 + dayOffset * DAY + 10 * HOUR, { visitor: { name: visitor, email: `v${dayOffset}@visitor.test`, timezone: 'UTC' } }) as never,
    });
    assert.equal(res.statusCode, 201, res.body);
    const row = await t.database.db.insertInto('reviews').values({
      booking_id: res.json().id, specialist_id: of.specialist.id, rating, comment, created_at: new Date(T0 + (dayOffset + 1) * DAY),
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }
  const publish = async (id: string) => assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/admin/reviews/${id}`, headers: admin, payload: { published: true } })).statusCode, 204);
  const page = async (path: string) => {
    const res = await t.app.inject(path);
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  before(async () => {
    t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    p = await addPractice(t.database.db, { timezone: 'Europe/Berlin' });
    other = await addPractice(t.database.db);
  });
  after(async () => { await t?.close(); });

  test('no published review: no reviews section', async () => {
    await reviewed(p, 'Hidden Person', 1, 1, 'UNPUBLISHED-WORDS');
    const html = await page(`/book/${p.specialist.slug}`);
    assert.doesNotMatch(html, /class="reviews"/);
    assert.doesNotMatch(html, /UNPUBLISHED-WORDS|Hidden/);
    const json = (await t.app.inject(`/api/specialists/${p.specialist.slug}/reviews`)).json();
    assert.deepEqual([json.reviews, json.average, json.count], [[], null, 0]);
  });

  test('published ones, newest first, with mean and count; names shortened; everything escaped', async () => {
    await publish(await reviewed(p, 'Vera Visitor', 2, 5, 'Very helpful.\nThank you!'));
    await publish(await reviewed(p, '<img src=x onerror=alert(1)> O\'Brien', 3, 4, '<script>alert("x")</script> & more'));
    await publish(await reviewed(other, 'Somebody Else', 4, 2, 'OTHER-SPECIALIST'));
    const html = await page(`/book/${p.specialist.slug}`);
    const section = html.slice(html.indexOf('<section class="reviews"'), html.indexOf('</section>') + 10);
    assert.ok(section.length > 20, 'a reviews section');
    assert.match(section, /<strong>4\.5<\/strong> out of 5 · 2 reviews/);
    assert.doesNotMatch(section, /<script>|<img/, 'no markup from a visitor gets through');
    assert.match(section, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62; &#38; more/);
    assert.match(section, /&#60;img O\./, 'first word and last initial only');
    assert.match(section, /Vera V\. · <time datetime="2026-12-04T00:00:00.000Z">December 4, 2026<\/time>/);
    assert.match(section, /role="img" aria-label="Rated 5 out of 5">★★★★★</);
    assert.ok(section.indexOf('&#60;script') < section.indexOf('Very helpful'), 'newest first');
    assert.doesNotMatch(html, /UNPUBLISHED-WORDS|Hidden Person|Visitor<|OTHER-SPECIALIST/);
    // A service page of the specialist shows them too; the team page does not.
    assert.match(await page(`/book/${p.specialist.slug}/${p.service.slug}`), /2 reviews/);
    assert.doesNotMatch(await page(`/book/any/${p.service.slug}`), /class="reviews"/);
    const json = (await t.app.inject(`/api/specialists/${p.specialist.id}/reviews`)).json();
    assert.deepEqual([json.count, json.average, json.reviews.map((r: { author: string }) => r.author)], [2, 4.5, ['<img O.', 'Vera V.']]);
  });

  test('a withdrawn review leaves the page', async () => {
    const [first] = (await t.app.inject({ url: '/api/admin/reviews', headers: admin })).json().reviews.filter((r: { visitorName: string }) => r.visitorName === 'Vera Visitor');
    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/admin/reviews/${first.id}`, headers: admin, payload: { published: false } })).statusCode, 204);
    const html = await page(`/book/${p.specialist.slug}`);
    assert.match(html, /<strong>4\.0<\/strong> out of 5 · 1 review</);
    assert.doesNotMatch(html, /Very helpful/);
  });

  test('the signature: first name and last initial', () => {
    assert.equal(reviewAuthor('Vera Visitor'), 'Vera V.');
    assert.equal(reviewAuthor('  Anna   Maria  von   weber '), 'Anna W.');
    assert.equal(reviewAuthor('Cher'), 'Cher');
    assert.equal(reviewAuthor('Ёлка ёжикова'), 'Ёлка Ё.');
    assert.equal(reviewAuthor(''), '');
  });
});
