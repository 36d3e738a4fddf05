// GET /api/admin/bookings and its CSV: bookings across the practice, through the real bookings
// API and PostgreSQL. Keyset pages never repeat or skip a booking (also while new ones arrive),
// every filter narrows, and the CSV holds the same rows, safe to open in a spreadsheet.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { admin, call, expectFieldError, expectStatus } from './api.ts';
import { addPractice, bookingBody, DAY, HOUR, T0, type Practice } from '../bookings/fixtures.ts';

const clock = new TestClock(T0);
/** Thursday 08:00 UTC, when both specialists' days begin. */
const START = T0 + 2 * DAY + 8 * HOUR;
let t: TestApp;
let a: Practice;
let b: Practice;
const ids: string[] = [];

async function book(p: Practice, start: number, visitor: { name: string; email: string }) {
  const body = bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start, { visitor: { ...visitor, timezone: 'Europe/Berlin' } });
  const created = expectStatus(await t.app.inject({ method: 'POST', url: '/api/bookings', payload: body, remoteAddress: `10.1.0.${ids.length}` }), 201);
  ids.push(created.id);
  return created;
}

before(async () => {
  t = await startTestApp({ clock });
  a = await addPractice(t.app.db);
  b = await addPractice(t.app.db);
  const people = [
    { name: 'Ada Lovelace', email: 'ada@example.com' }, { name: 'Grace Hopper', email: 'grace@navy.example' },
    { name: 'Alan Turing', email: 'alan@example.org' }, { name: '=HYPERLINK("x")', email: 'formula@example.com' },
    { name: '50%_off Bob', email: 'bob@example.com' },
  ];
  // Two bookings at the very same start (different specialists): the id breaks the tie.
  for (let i = 0; i < 10; i++) await book(i % 2 ? b : a, START + Math.floor(i / 2) * 2 * HOUR, people[i % people.length]);
  const cancel = await call(t, 'POST', `/api/bookings/${ids[2]}/cancel`, null, {});
  assert.equal(cancel.statusCode, 404, 'no token, no cancel');
  expectStatus(await admin(t, 'POST', `/api/bookings/${ids[2]}/cancel`, { reason: 'Ill' }), 200);
});
after(() => t.close());

const list = (query: string) => admin(t, 'GET', `/api/admin/bookings?${query}`);

describe('admin bookings list', () => {
  test('pages by keyset: every booking once, in start order with the id as tie-break', async () => {
    const all = expectStatus(await list('limit=200'), 200);
    assert.equal(all.total, 10);
    const order = all.bookings.map((x: { start: string; id: string }) => `${x.start} ${x.id}`);
    assert.deepEqual(order, [...order].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = expectStatus(await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`), 200);
      assert.equal(page.total, 10 + (pages > 0 ? 1 : 0));
      seen.push(...page.bookings.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
      // A booking made meanwhile, earlier than the page just read, shifts no later page.
      if (pages++ === 0) await book(a, START + HOUR, { name: 'Late Comer', email: 'late@example.com' });
    } while (cursor !== null);
    assert.deepEqual(seen, all.bookings.map((x: { id: string }) => x.id));
    assert.equal(pages, 4);
    const desc = expectStatus(await list('order=desc&limit=2'), 200);
    assert.equal(desc.bookings[0].id, all.bookings.at(-1).id);
  });

  test('filters: specialist and service by slug or id, statuses, time range, name or email', async () => {
    const ofA = expectStatus(await list(`specialist=${a.specialist.slug}&limit=200`), 200);
    assert.ok(ofA.bookings.every((x: { specialist: { id: string } }) => x.specialist.id === a.specialist.id));
    assert.deepEqual(expectStatus(await list(`specialist=${a.specialist.id}&limit=200`), 200).total, ofA.total);
    assert.equal(expectStatus(await list(`service=${b.service.slug}`), 200).total, 5);
    assert.equal(expectStatus(await list('status=cancelled'), 200).total, 1);
    assert.equal(expectStatus(await list('status=cancelled&status=confirmed'), 200).total, 11);
    const from = new Date(START + 2 * HOUR).toISOString();
    const to = new Date(START + 6 * HOUR).toISOString();
    assert.equal(expectStatus(await list(`from=${from}&to=${to}`), 200).total, 4);
    assert.equal(expectStatus(await list('q=LOVELACE'), 200).total, 2);
    assert.equal(expectStatus(await list('q=navy.example'), 200).total, 2);
    assert.equal(expectStatus(await list(`q=${encodeURIComponent('50%_')}`), 200).total, 2, 'wildcards are searched for literally');
    assert.equal(expectStatus(await list(`q=${encodeURIComponent('5%o')}`), 200).total, 0);
  });

  test('bad input is a 400 naming the parameter; only the site owner may list', async () => {
    expectFieldError(await list('specialist=nobody'), 'query.specialist', 'unknown_specialist');
    expectFieldError(await list('service=nothing'), 'query.service', 'unknown_service');
    expectFieldError(await list('cursor=garbage'), 'query.cursor', 'invalid_cursor');
    expectFieldError(await list('status=lost'), 'query.status[0]');
    expectFieldError(await list(`from=2026-12-05T00:00:00Z&to=2026-12-04T00:00:00Z`), 'query.to', 'invalid_range');
    expectStatus(await call(t, 'GET', '/api/admin/bookings', a.credential), 401);
    expectStatus(await call(t, 'GET', '/api/admin/bookings', null), 401);
  });

  test('CSV export: the same rows, RFC 4180 quoting, formulas defused', async () => {
    const res = await admin(t, 'GET', `/api/admin/bookings.csv?specialist=${a.specialist.slug}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-type'] as string, /^text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="bookings-2026-12-01\.csv"/);
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,status,start,end,specialist,service,visitor_name,visitor_email,visitor_phone,visitor_timezone,price,currency,created_at,cancelled_by,cancel_reason');
    const page = expectStatus(await list(`specialist=${a.specialist.slug}&limit=200`), 200);
    assert.deepEqual(lines.slice(1).map((l) => l.slice(0, 36)), page.bookings.map((x: { id: string }) => x.id));
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`)), 'a formula becomes text');
    assert.ok(lines.some((l) => l.includes(',cancelled,') && l.endsWith(',admin,Ill')));
    expectFieldError(await admin(t, 'GET', '/api/admin/bookings.csv?service=nothing'), 'query.service', 'unknown_service');
  });
});
