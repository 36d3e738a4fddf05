// Weekly hours and date overrides: validation naming the field, atomic replacement, vacations,
// and slots that follow every change at once (checked through the public slots API).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { admin, call, createService, createSpecialist, expectFieldError, expectStatus, issueToken } from './api.ts';

let t: TestApp;
// Tuesday 1 December 2026, 07:00 in Berlin (UTC+1).
const clock = new TestClock('2026-12-01T06:00:00Z');
before(async () => { t = await startTestApp({ clock }); });
after(() => t.close());

async function specialistWithToken() {
  // No starting hours: each test sets exactly the hours it reads (the default week is tested in defaults.test.ts).
  const s = await createSpecialist(t, { timezone: 'Europe/Berlin', hours: [] });
  return { ...s, token: await issueToken(t, s.id) };
}

describe('weekly hours', () => {
  test('PUT replaces the whole week and GET reads it back sorted', async () => {
    const s = await specialistWithToken();
    const week = [
      { weekday: 5, start: '13:00', end: '24:00' },
      { weekday: 1, start: '13:00', end: '17:00' },
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '12:00', end: '13:00' }, // touching is not overlapping
    ];
    const put = expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: week }), 200);
    assert.equal(put.timezone, 'Europe/Berlin');
    assert.deepEqual(put.hours, [
      { weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '12:00', end: '13:00' },
      { weekday: 1, start: '13:00', end: '17:00' }, { weekday: 5, start: '13:00', end: '24:00' },
    ]);
    assert.deepEqual(expectStatus(await call(t, 'GET', '/api/specialist/hours', s.token), 200), put);
    const replaced = expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: [{ weekday: 7, start: '10:00', end: '11:00' }] }), 200);
    assert.deepEqual(replaced.hours, [{ weekday: 7, start: '10:00', end: '11:00' }]);
    assert.deepEqual(expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: [] }), 200).hours, []);
  });

  test('overlapping or inverted intervals are a 400 naming the interval, and nothing changes', async () => {
    const s = await specialistWithToken();
    const good = [{ weekday: 1, start: '09:00', end: '12:00' }];
    expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: good }), 200);
    const put = (hours: unknown[]) => call(t, 'PUT', '/api/specialist/hours', s.token, { hours });

    expectFieldError(await put([
      { weekday: 1, start: '09:00', end: '12:00' }, { weekday: 2, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '17:00' }, { weekday: 4, start: '17:00', end: '09:00' },
    ]), 'body.hours[3].end', 'invalid_interval');
    expectFieldError(await put([
      { weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '13:00', end: '17:00' },
      { weekday: 2, start: '09:00', end: '12:00' }, { weekday: 1, start: '11:30', end: '12:30' },
    ]), 'body.hours[3].start', 'overlapping_intervals');
    // Same interval twice, and one inside another.
    expectFieldError(await put([{ weekday: 3, start: '09:00', end: '10:00' }, { weekday: 3, start: '09:00', end: '10:00' }]), 'body.hours[1].start', 'overlapping_intervals');
    expectFieldError(await put([{ weekday: 3, start: '10:00', end: '11:00' }, { weekday: 3, start: '08:00', end: '18:00' }]), 'body.hours[1].start', 'overlapping_intervals');
    expectFieldError(await put([{ weekday: 2, start: '10:00', end: '10:00' }]), 'body.hours[0].end', 'invalid_interval');
    expectFieldError(await put([{ weekday: 2, start: '24:00', end: '24:00' }]), 'body.hours[0].end', 'invalid_interval');
    // Shape errors name the field in the same form.
    expectFieldError(await put([{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 8, start: '09:00', end: '10:00' }]), 'body.hours[1].weekday');
    expectFieldError(await put([{ weekday: 1, start: '9:00', end: '12:00' }]), 'body.hours[0].start');
    expectFieldError(await put([{ weekday: 1, start: '09:00', end: '25:00' }]), 'body.hours[0].end');

    assert.deepEqual(expectStatus(await call(t, 'GET', '/api/specialist/hours', s.token), 200).hours, good, 'the old week is intact');
  });

  test('concurrent replacements leave exactly one of the weeks, never a mix', async () => {
    const s = await specialistWithToken();
    const weeks = Array.from({ length: 8 }, (_, i) => [
      { weekday: 1 + (i % 7), start: `${String(8 + i).padStart(2, '0')}:00`, end: `${String(9 + i).padStart(2, '0')}:00` },
      { weekday: 1 + ((i + 3) % 7), start: '18:00', end: '19:00' },
    ]);
    const results = await Promise.all(weeks.map((hours) => call(t, 'PUT', '/api/specialist/hours', s.token, { hours })));
    for (const r of results) expectStatus(r, 200);
    const final = expectStatus(await call(t, 'GET', '/api/specialist/hours', s.token), 200).hours;
    const sorted = (h: { weekday: number; start: string }[]) => [...h].sort((x, y) => x.weekday - y.weekday || x.start.localeCompare(y.start));
    assert.ok(weeks.some((w) => JSON.stringify(sorted(w)) === JSON.stringify(final)), `final week ${JSON.stringify(final)} is one of those sent`);
  });

  test('the admin reads and replaces any specialist\'s hours, by id or slug', async () => {
    const s = await specialistWithToken();
    const hours = [{ weekday: 2, start: '07:30', end: '11:45' }];
    expectStatus(await admin(t, 'PUT', `/api/admin/specialists/${s.slug}/hours`, { hours }), 200);
    assert.deepEqual(expectStatus(await call(t, 'GET', '/api/specialist/hours', s.token), 200).hours, hours);
    assert.deepEqual(expectStatus(await admin(t, 'GET', `/api/admin/specialists/${s.id}/hours`), 200).hours, hours);
    expectStatus(await admin(t, 'GET', '/api/admin/specialists/no-one/hours'), 404);
    expectFieldError(await admin(t, 'PUT', `/api/admin/specialists/${s.id}/hours`, { hours: [...hours, { weekday: 2, start: '11:00', end: '12:00' }] }),
      'body.hours[1].start', 'overlapping_intervals');
  });
});

describe('date overrides', () => {
  test('custom intervals, a blocked day, replacement of a date, listing by range, removal', async () => {
    const s = await specialistWithToken();
    const custom = expectStatus(await call(t, 'POST', '/api/specialist/overrides', s.token, {
      date: '2026-12-24', intervals: [{ start: '14:00', end: '16:00' }, { start: '09:00', end: '12:00' }], reason: 'Christmas Eve',
    }), 201);
    assert.deepEqual(custom.intervals, [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '16:00' }]);
    assert.equal(custom.blocked, false);
    const blocked = expectStatus(await call(t, 'POST', '/api/specialist/overrides', s.token, { date: '2026-12-25', intervals: [] }), 201);
    assert.equal(blocked.blocked, true);
    assert.equal(blocked.reason, '');
    // Setting a date again replaces its override.
    const again = expectStatus(await call(t, 'POST', '/api/specialist/overrides', s.token, { date: '2026-12-24', intervals: [], reason: 'Closed' }), 201);
    assert.equal(again.id, custom.id);
    assert.equal(again.blocked, true);

    const list = expectStatus(await call(t, 'GET', '/api/specialist/overrides', s.token), 200).overrides;
    assert.deepEqual(list.map((o: { date: string }) => o.date), ['2026-12-24', '2026-12-25']);
    const ranged = expectStatus(await call(t, 'GET', '/api/specialist/overrides?from=2026-12-25&to=2026-12-31', s.token), 200).overrides;
    assert.deepEqual(ranged.map((o: { id: string }) => o.id), [blocked.id]);
    expectFieldError(await call(t, 'GET', '/api/specialist/overrides?from=2026-12-31&to=2026-12-01', s.token), 'query.to', 'invalid_range');
    expectFieldError(await call(t, 'GET', '/api/specialist/overrides?from=2026-13-01', s.token), 'query.from');

    expectStatus(await call(t, 'DELETE', `/api/specialist/overrides/${blocked.id}`, s.token), 204);
    expectStatus(await call(t, 'DELETE', `/api/specialist/overrides/${blocked.id}`, s.token), 404);
    assert.deepEqual(expectStatus(await call(t, 'GET', '/api/specialist/overrides', s.token), 200).overrides.map((o: { id: string }) => o.id), [custom.id]);
  });

  test('override validation names the field', async () => {
    const s = await specialistWithToken();
    const post = (body: unknown) => call(t, 'POST', '/api/specialist/overrides', s.token, body);
    expectFieldError(await post({ date: '2026-02-30', intervals: [] }), 'body.date', 'invalid_date');
    expectFieldError(await post({ date: '26-02-01', intervals: [] }), 'body.date');
    expectFieldError(await post({ date: '2026-12-24', intervals: [{ start: '12:00', end: '09:00' }] }), 'body.intervals[0].end', 'invalid_interval');
    expectFieldError(await post({ date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] }), 'body.intervals[1].start', 'overlapping_intervals');
    expectFieldError(await post({ date: '2026-12-24' }), 'body.intervals');
    expectStatus(await call(t, 'DELETE', '/api/specialist/overrides/not-a-uuid', s.token), 400);
  });

  test('a vacation blocks every date of its range, replacing overrides there, within a bounded length', async () => {
    const s = await specialistWithToken();
    expectStatus(await call(t, 'POST', '/api/specialist/overrides', s.token, { date: '2027-01-02', intervals: [{ start: '10:00', end: '11:00' }] }), 201);
    const res = expectStatus(await call(t, 'POST', '/api/specialist/overrides/vacation', s.token, { from: '2026-12-28', to: '2027-01-03', reason: 'Holidays' }), 201);
    assert.deepEqual(res.overrides.map((o: { date: string }) => o.date),
      ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    assert.ok(res.overrides.every((o: { blocked: boolean; reason: string }) => o.blocked && o.reason === 'Holidays'));
    const listed = expectStatus(await call(t, 'GET', '/api/specialist/overrides', s.token), 200).overrides;
    assert.equal(listed.length, 7, 'the custom day inside the range became blocked, not duplicated');

    const vac = (body: unknown) => call(t, 'POST', '/api/specialist/overrides/vacation', s.token, body);
    expectFieldError(await vac({ from: '2027-02-10', to: '2027-02-01' }), 'body.to', 'invalid_range');
    expectFieldError(await vac({ from: '2027-01-01', to: '2028-01-02' }), 'body.to', 'range_too_long');
    expectFieldError(await vac({ from: '2027-02-29', to: '2027-03-01' }), 'body.from', 'invalid_date');
    expectStatus(await vac({ from: '2028-01-01', to: '2028-12-31' }), 201); // 366 days: the limit
  });
});

describe('slots follow the schedule at once', () => {
  test('hours, overrides and their removal change GET /api/specialists/:slug/slots immediately', async () => {
    const s = await specialistWithToken();
    const service = await createService(t, { durationMin: 30, slotStepMin: null, minNoticeMin: 0 });
    expectStatus(await admin(t, 'PUT', `/api/admin/services/${service.id}/specialists`, { specialistIds: [s.id] }), 200);
    // Wednesday 2 December 2026 in Berlin is UTC+1.
    const slots = async () => {
      const res = expectStatus(await call(t, 'GET', `/api/specialists/${s.slug}/slots?service=${service.slug}&from=2026-12-02&to=2026-12-02&timezone=Europe/Berlin`, null), 200);
      return res.days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((x) => new Date(x.start).toISOString()));
    };
    assert.deepEqual(await slots(), []);

    expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: [{ weekday: 3, start: '09:00', end: '10:00' }] }), 200);
    assert.deepEqual(await slots(), ['2026-12-02T08:00:00.000Z', '2026-12-02T08:30:00.000Z']);

    expectStatus(await call(t, 'PUT', '/api/specialist/hours', s.token, { hours: [{ weekday: 3, start: '14:00', end: '15:00' }] }), 200);
    assert.deepEqual(await slots(), ['2026-12-02T13:00:00.000Z', '2026-12-02T13:30:00.000Z']);

    const custom = expectStatus(await call(t, 'POST', '/api/specialist/overrides', s.token, { date: '2026-12-02', intervals: [{ start: '11:00', end: '11:30' }] }), 201);
    assert.deepEqual(await slots(), ['2026-12-02T10:00:00.000Z']);

    expectStatus(await call(t, 'POST', '/api/specialist/overrides/vacation', s.token, { from: '2026-12-01', to: '2026-12-03' }), 201);
    assert.deepEqual(await slots(), []);

    expectStatus(await call(t, 'DELETE', `/api/specialist/overrides/${custom.id}`, s.token), 204);
    assert.deepEqual(await slots(), ['2026-12-02T13:00:00.000Z', '2026-12-02T13:30:00.000Z']);

    // A service change applies at once too: a 60-minute step over the same hours.
    expectStatus(await admin(t, 'PATCH', `/api/admin/services/${service.id}`, { durationMin: 60 }), 200);
    assert.deepEqual(await slots(), ['2026-12-02T13:00:00.000Z']);
  });
});
