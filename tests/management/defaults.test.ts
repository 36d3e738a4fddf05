// A practice set up with nothing but names has free times at once: a new specialist works Monday
// to Friday 09:00-17:00 in their own zone, a new service starts every 15 minutes with 2 hours'
// notice; who offers what may be named by slug. Old addresses of the specialist's side redirect
// to the console, and the console page is served.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { admin, expectFieldError, expectStatus } from './api.ts';

// Tuesday 1 December 2026, 08:00 in New York.
const clock = new TestClock('2026-12-01T13:00:00Z');
let t: TestApp;
before(async () => { t = await startTestApp({ clock }); });
after(() => t.close());

describe('defaults of a new practice', () => {
  test('a specialist and a service named, linked by slug, and bookable right away', async () => {
    const s = expectStatus(await admin(t, 'POST', '/api/admin/specialists', {
      slug: 'dr-new', name: 'Dr New', email: 'new@example.com', timezone: 'America/New_York', specialty: 'Family therapist',
    }), 201);
    assert.equal(s.specialty, 'Family therapist');
    const hours = expectStatus(await admin(t, 'GET', '/api/admin/specialists/dr-new/hours'), 200);
    assert.deepEqual(hours.hours, [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })));
    assert.equal(hours.timezone, 'America/New_York');

    const svc = expectStatus(await admin(t, 'POST', '/api/admin/services', { slug: 'talk', name: 'Talk', durationMin: 45 }), 201);
    assert.deepEqual([svc.slotStepMin, svc.minNoticeMin], [15, 120]);
    const offered = expectStatus(await admin(t, 'PUT', '/api/admin/services/talk/specialists', { specialistIds: ['dr-new'] }), 200);
    assert.deepEqual(offered.specialists, [s.id]);
    expectFieldError(await admin(t, 'PUT', '/api/admin/services/talk/specialists', { specialistIds: ['dr-new', 'nobody'] }), 'body.specialistIds[1]', 'unknown_specialist');

    const profile = expectStatus(await t.app.inject('/api/specialists/dr-new'), 200);
    assert.equal(profile.specialty, 'Family therapist');
    const slots = expectStatus(await t.app.inject('/api/specialists/dr-new/slots?service=talk&from=2026-12-01&to=2026-12-01&timezone=America/New_York'), 200);
    const starts = slots.days[0].slots.map((x: { start: string }) => x.start);
    // 08:00 now + 2 h notice: the first start is 10:00 local; the last one ends at 17:00.
    assert.equal(starts[0], '2026-12-01T15:00:00.000Z');
    assert.equal(starts[1], '2026-12-01T15:15:00.000Z');
    assert.equal(starts.at(-1), '2026-12-01T21:15:00.000Z');
  });

  test('explicit hours, or none, replace the default week', async () => {
    const none = expectStatus(await admin(t, 'POST', '/api/admin/specialists', { slug: 'dr-none', name: 'N', email: 'n@example.com', timezone: 'UTC', hours: [] }), 201);
    assert.deepEqual(expectStatus(await admin(t, 'GET', `/api/admin/specialists/${none.id}/hours`), 200).hours, []);
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', {
      slug: 'dr-bad', name: 'B', email: 'b@example.com', timezone: 'UTC', hours: [{ weekday: 1, start: '10:00', end: '09:00' }],
    }), 'body.hours[0].end', 'invalid_interval');
    assert.equal((await admin(t, 'GET', '/api/admin/specialists/dr-bad')).statusCode, 404, 'nothing half-written');
  });
});

describe('addresses of the specialist\'s and owner\'s side', () => {
  test('/console is the console page; /specialist, /admin and /dashboard lead there with their query', async () => {
    const page = await t.app.inject('/console');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<booking-console/);
    assert.match(page.body, /src="\/console\.js"/);
    assert.equal((await t.app.inject('/console/?booking=x')).statusCode, 200);
    for (const old of ['/specialist/?booking=abc&action=join', '/specialist?booking=abc', '/admin', '/dashboard/']) {
      const res = await t.app.inject(old);
      assert.equal(res.statusCode, 302, old);
      const query = old.includes('?') ? old.slice(old.indexOf('?')) : '';
      assert.equal(res.headers.location, `/console/${query}`);
    }
  });
});
