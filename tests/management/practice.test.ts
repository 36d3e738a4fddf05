// The "done when" of management: a practice set up from nothing through the API alone takes
// bookings; the demo data set goes through the same functions and is idempotent; every
// management route is in the OpenAPI document with examples.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo } from '../../server/demo/seed.ts';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { admin, call, expectStatus } from './api.ts';

const clock = new TestClock('2026-12-01T06:00:00Z'); // a Tuesday

describe('a practice from nothing, through the API alone', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ clock }); });
  after(() => t.close());

  test('specialist, service, offering, hours, credential and origin yield bookable slots', async () => {
    assert.deepEqual(expectStatus(await call(t, 'GET', '/api/specialists', null), 200), [], 'an empty practice');

    const specialist = expectStatus(await admin(t, 'POST', '/api/admin/specialists', {
      slug: 'dr-okafor', name: 'Dr. Ada Okafor', email: 'ada@clinic.example', timezone: 'America/New_York', bio: 'Family medicine.',
    }), 201);
    const service = expectStatus(await admin(t, 'POST', '/api/admin/services', {
      slug: 'check-in', name: 'Check-in', durationMin: 25, bufferAfterMin: 5, slotStepMin: 30, priceCents: 4000, currency: 'USD',
      intakeQuestions: [{ id: 'reason', label: 'Reason for the visit', type: 'text', required: false }],
    }), 201);
    expectStatus(await admin(t, 'PUT', `/api/admin/services/${service.id}/specialists`, { specialistIds: [specialist.id] }), 200);
    const { token } = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${specialist.id}/credentials`, { label: 'Ada' }), 201);
    // The specialist sets their own week with their credential.
    expectStatus(await call(t, 'PUT', '/api/specialist/hours', token, {
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
    }), 200);
    expectStatus(await admin(t, 'POST', '/api/admin/origins', { origin: 'https://www.clinic.example/book' }), 201);

    const preflight = await t.app.inject({
      method: 'OPTIONS', url: '/api/bookings', headers: { origin: 'https://www.clinic.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://www.clinic.example');

    const slotsUrl = `/api/specialists/dr-okafor/slots?service=check-in&from=2026-12-02&to=2026-12-02&timezone=Europe/London`;
    const before = expectStatus(await call(t, 'GET', slotsUrl, null), 200);
    const starts = before.days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => new Date(s.start).toISOString()));
    // 09:00-12:00 New York (UTC-5) is 14:00-17:00 UTC: six 30-minute starts.
    assert.deepEqual(starts, ['14:00', '14:30', '15:00', '15:30', '16:00', '16:30'].map((hm) => `2026-12-02T${hm}:00.000Z`));

    const booked = await t.app.inject({
      method: 'POST', url: '/api/bookings', headers: { origin: 'https://www.clinic.example' },
      payload: {
        specialist: 'dr-okafor', service: 'check-in', start: starts[0],
        visitor: { name: 'Sam Visitor', email: 'sam@example.com', timezone: 'Europe/London' }, answers: { reason: 'Follow-up' },
      },
    });
    const booking = expectStatus(booked, 201);
    assert.equal(booked.headers['access-control-allow-origin'], 'https://www.clinic.example');
    assert.ok(booking.manageToken);
    const after = expectStatus(await call(t, 'GET', slotsUrl, null), 200);
    const remaining = after.days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => new Date(s.start).toISOString()));
    assert.ok(!remaining.includes(starts[0]), 'the booked slot is gone');
    assert.equal(remaining.length, starts.length - 1);
  });
});

describe('the demo data set', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ clock }); });
  after(() => t.close());

  test('is written only through the management service functions', () => {
    const source = readFileSync(path.resolve(import.meta.dirname, '../../server/demo/seed.ts'), 'utf8');
    assert.doesNotMatch(source, /\.(insertInto|updateTable|deleteFrom|replaceInto)\(/, 'no direct writes in the seed');
    // Weekly hours go in with createSpecialist (its `hours`), which writes them through replaceWeeklyHours.
    for (const fn of ['createSpecialist', 'createService', 'setServiceSpecialists', 'setDateOverride']) {
      assert.match(source, new RegExp(`\\b${fn}\\(`), `uses ${fn}`);
    }
  });

  test('is idempotent, also when two instances seed at once', async () => {
    const results = await Promise.all([seedDemo(t.database.db, { now: clock.now() }), seedDemo(t.database.db, { now: clock.now() })]);
    assert.deepEqual(results.sort(), [false, true]);
    const count = async () => Promise.all((['specialists', 'services', 'specialist_services', 'weekly_hours', 'date_overrides'] as const)
      .map(async (table) => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const first = await count();
    assert.deepEqual(first, [2, 4, 8, 19, 4]);
    assert.equal(await seedDemo(t.database.db, { now: clock.now() + 86_400_000 }), false);
    assert.deepEqual(await count(), first);
  });

  test('reads back through the admin API like data a site owner entered, and is bookable', async () => {
    const specialists = expectStatus(await admin(t, 'GET', '/api/admin/specialists'), 200).specialists;
    assert.deepEqual(specialists.map((s: { slug: string; timezone: string }) => `${s.slug} ${s.timezone}`), ['dr-weber Europe/Berlin', 'james-carter America/New_York']);
    const services = expectStatus(await admin(t, 'GET', '/api/admin/services'), 200).services;
    for (const s of services) assert.equal(s.specialists.length, 2);
    const consultation = services.find((s: { slug: string }) => s.slug === 'consultation');
    assert.deepEqual([consultation.durationMin, consultation.slotStepMin, consultation.bufferAfterMin, consultation.currency], [50, 60, 10, 'EUR']);
    // The admin can re-save a seeded service unchanged: it satisfies the same rules.
    const { id, specialists: _s, archivedAt: _a, createdAt: _c, updatedAt: _u, ...fields } = consultation;
    expectStatus(await admin(t, 'PATCH', `/api/admin/services/${id}`, fields), 200);

    const hours = expectStatus(await admin(t, 'GET', '/api/admin/specialists/dr-weber/hours'), 200).hours;
    assert.equal(hours.length, 10);
    const overrides = expectStatus(await admin(t, 'GET', '/api/admin/specialists/dr-weber/overrides'), 200).overrides;
    assert.deepEqual(overrides.map((o: { date: string; blocked: boolean }) => `${o.date} ${o.blocked}`), ['2026-12-09 true', '2026-12-11 false']);

    const slots = expectStatus(await call(t, 'GET', '/api/specialists/dr-weber/slots?service=consultation&from=2026-12-02&to=2026-12-02', null), 200);
    assert.ok(slots.days.length === 1 && slots.days[0].slots.length > 0, 'the demo practice has bookable slots');
  });
});

const MANAGEMENT_PATHS = [
  '/api/admin/specialists', '/api/admin/services', '/api/admin/origins', '/api/admin/webhooks',
  '/api/specialist/me', '/api/specialist/hours', '/api/specialist/overrides',
];

describe('OpenAPI', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('every management route is documented, secured, with request and response examples', async () => {
    const doc = expectStatus(await t.app.inject('/openapi.json'), 200);
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([p]) => MANAGEMENT_PATHS.some((prefix) => p === prefix || p.startsWith(`${prefix}/`)))
      .flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${p}`, op })));
    assert.ok(ops.length >= 35, `found ${ops.length} operations`);
    for (const { id, op } of ops) {
      assert.ok(op.summary, `${id} has a summary`);
      assert.ok(Array.isArray(op.security) && op.security.length > 0, `${id} names its security scheme`);
      assert.ok(op.responses['401'], `${id} documents 401`);
      const body = op.requestBody?.content?.['application/json'];
      if (body) assert.ok(body.example !== undefined || body.examples !== undefined, `${id} has a request example`);
      const ok = op.responses['200'] ?? op.responses['201'];
      const content = ok?.content?.['application/json'];
      if (content) {
        const schema = JSON.stringify(content);
        assert.ok(content.example !== undefined || content.examples !== undefined || schema.includes('"example'), `${id} has a response example`);
      }
    }
    const ids = ops.map((o) => o.id);
    for (const expected of ['PUT /api/admin/services/{id}/specialists', 'POST /api/admin/webhooks', 'DELETE /api/admin/origins', 'PUT /api/specialist/hours', 'POST /api/specialist/overrides/vacation']) {
      assert.ok(ids.includes(expected), `${expected} is documented`);
    }
  });
});
