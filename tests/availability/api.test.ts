// The public availability API: profiles, services and slots, against a real database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { availableSlots, findService, findSpecialist, offers, serviceRules } from '../../server/availability/load.ts';
import type { Service, Specialist } from '../../server/db/schema.ts';
import { addBooking, addBusy, addHours, addOverride, addService, addSpecialist, everyWeekday, link } from './fixtures.ts';

const NOW = '2026-03-01T00:00:00Z'; // a Sunday; Berlin is on CET (+01:00) until 2026-03-29
const clock = new TestClock(NOW);
let t: TestApp;
let db: TestApp['database']['db'];

// Dr. Berlin works Mon-Fri 09:00-17:00 Berlin time and offers "hour" (60 min, step 60).
let berlin: Specialist;
let hour: Service;
// Never visible: an archived specialist and an archived service.
let archivedSpecialist: Specialist;
let archivedService: Service;
// Not offered by Dr. Berlin.
let otherService: Service;

before(async () => {
  t = await startTestApp({ clock });
  db = t.database.db;
  berlin = await addSpecialist(db, { slug: 'dr-berlin', name: 'Dr. Berlin', timezone: 'Europe/Berlin' });
  hour = await addService(db, { slug: 'hour', name: 'Hour', duration_min: 60, horizon_days: 365 });
  archivedSpecialist = await addSpecialist(db, { slug: 'gone', name: 'Gone', timezone: 'Europe/Berlin', archived: true });
  archivedService = await addService(db, { slug: 'old', name: 'Old', archived: true });
  otherService = await addService(db, { slug: 'other', name: 'Other' });
  await link(db, berlin.id, hour.id);
  await link(db, berlin.id, archivedService.id);
  await link(db, archivedSpecialist.id, hour.id);
  await addHours(db, berlin.id, everyWeekday('09:00', '17:00'));
  await addHours(db, archivedSpecialist.id, everyWeekday('00:00', '24:00', [1, 2, 3, 4, 5, 6, 7]));
});
after(() => t.close());

async function get(url: string) {
  const res = await t.app.inject(url);
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

type Day = { date: string; slots: { start: string; end: string; free?: number[] }[] };

async function slots(specialist: string, query: Record<string, string>): Promise<{ timezone: string; specialist?: string; team?: string[]; days: Day[] }> {
  const res = await get(`/api/specialists/${specialist}/slots?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const localDate = (iso: string, zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(iso));
const starts = (days: Day[]) => days.flatMap((d) => d.slots.map((s) => s.start));

/** Every slot is listed under the local date it starts on, dates ascending, slots sorted. */
function assertGrouped(days: Day[], zone: string) {
  for (const d of days) {
    assert.ok(d.slots.length > 0, `empty day ${d.date}`);
    for (const s of d.slots) assert.equal(localDate(s.start, zone), d.date, `${s.start} in ${zone}`);
  }
  const dates = days.map((d) => d.date);
  assert.deepEqual(dates, [...dates].sort());
  assert.equal(new Set(dates).size, dates.length);
  const all = starts(days);
  assert.deepEqual(all, [...all].sort());
}

describe('public profiles', () => {
  test('lists active specialists without email, with the services they offer', async () => {
    const res = await get('/api/specialists');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((s: { slug: string }) => s.slug), ['dr-berlin']);
    const [p] = res.body;
    assert.deepEqual(Object.keys(p).sort(), ['bio', 'id', 'name', 'photoUrl', 'services', 'slug', 'specialty', 'timezone']);
    assert.deepEqual(p.services, [hour.id], 'archived services are not listed');
    assert.equal(JSON.stringify(res.body).includes('private.example'), false);
  });

  test('one profile by slug or by id; no email', async () => {
    for (const key of ['dr-berlin', berlin.id, berlin.id.toUpperCase()]) {
      const res = await get(`/api/specialists/${key}`);
      assert.equal(res.status, 200, key);
      assert.equal(res.body.id, berlin.id);
      assert.equal(res.body.email, undefined);
    }
  });

  test('unknown and archived specialists are 404', async () => {
    for (const key of ['nobody', 'gone', archivedSpecialist.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await get(`/api/specialists/${key}`);
      assert.equal(res.status, 404, key);
      assert.equal(res.body.error, 'not_found');
    }
  });
});

describe('services', () => {
  test('lists active services with the active specialists offering them', async () => {
    const res = await get('/api/services');
    assert.equal(res.status, 200);
    const bySlug = Object.fromEntries(res.body.map((s: { slug: string }) => [s.slug, s]));
    assert.deepEqual(Object.keys(bySlug).sort(), ['hour', 'other']);
    assert.deepEqual(bySlug.hour.specialists, [berlin.id], 'the archived specialist is not named');
    assert.equal(bySlug.hour.durationMin, 60);
    assert.deepEqual(bySlug.other.specialists, []);
  });

  test('?specialist= narrows to what that specialist offers', async () => {
    for (const key of ['dr-berlin', berlin.id]) {
      const res = await get(`/api/services?specialist=${key}`);
      assert.deepEqual(res.body.map((s: { slug: string }) => s.slug), ['hour']);
    }
    assert.equal((await get('/api/services?specialist=nobody')).status, 404);
    assert.equal((await get('/api/services?specialist=gone')).status, 404);
  });
});

describe('slots: errors', () => {
  const base = { service: 'hour', from: '2026-03-09', to: '2026-03-13' };
  const error = async (specialist: string, query: Record<string, string>) => {
    const res = await get(`/api/specialists/${specialist}/slots?${new URLSearchParams(query)}`);
    return [res.status, res.body.error];
  };

  test('unknown time zone: 400 invalid_timezone', async () => {
    for (const timezone of ['Mars/Olympus', '+05:00', 'UTC+1', '', 'Europe/Berlin/x']) {
      assert.deepEqual(await error('dr-berlin', { ...base, timezone }), [400, 'invalid_timezone'], timezone);
    }
  });

  test('malformed dates or from after to: 400 invalid_range', async () => {
    for (const [from, to] of [['2026-3-9', '2026-03-13'], ['2026-02-30', '2026-03-01'], ['2026-03-09', 'tomorrow'],
      ['2026-03-13', '2026-03-09'], ['', '2026-03-09'], ['2026-03-09T00:00', '2026-03-10']]) {
      assert.deepEqual(await error('dr-berlin', { ...base, from, to }), [400, 'invalid_range'], `${from}..${to}`);
    }
  });

  test('more than 62 days: 400 range_too_long; exactly 62 is fine', async () => {
    assert.deepEqual(await error('dr-berlin', { ...base, from: '2026-03-01', to: '2026-05-02' }), [400, 'range_too_long']);
    const ok = await get(`/api/specialists/dr-berlin/slots?${new URLSearchParams({ ...base, from: '2026-03-01', to: '2026-05-01' })}`);
    assert.equal(ok.status, 200);
  });

  test('unknown specialist or service, a service not offered, archived ones: 404', async () => {
    assert.deepEqual(await error('nobody', base), [404, 'not_found']);
    assert.deepEqual(await error('gone', base), [404, 'not_found']);
    assert.deepEqual(await error(archivedSpecialist.id, base), [404, 'not_found']);
    assert.deepEqual(await error('dr-berlin', { ...base, service: 'nothing' }), [404, 'not_found']);
    assert.deepEqual(await error('dr-berlin', { ...base, service: 'other' }), [404, 'not_found']);
    assert.deepEqual(await error('dr-berlin', { ...base, service: 'old' }), [404, 'not_found']);
    assert.deepEqual(await error('dr-berlin', { ...base, service: archivedService.id }), [404, 'not_found']);
  });

  test('a missing service is a 400 validation error', async () => {
    assert.deepEqual(await error('dr-berlin', { from: base.from, to: base.to }), [400, 'invalid_request']);
  });
});

describe('slots: shape and zones', () => {
  test('answers in the specialist zone by default, revalidated on every use (ETag, 304)', async () => {
    const res = await get('/api/specialists/dr-berlin/slots?service=hour&from=2026-03-09&to=2026-03-15');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-cache');
    const etag = res.headers.etag as string;
    assert.match(etag, /^"[\w-]+"$/);
    const again = await t.app.inject({ url: '/api/specialists/dr-berlin/slots?service=hour&from=2026-03-09&to=2026-03-15', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal(res.body.timezone, 'Europe/Berlin');
    assert.equal(res.body.specialist, berlin.id);
    // Mon-Fri only: the weekend is omitted, not listed empty.
    assert.deepEqual(res.body.days.map((d: Day) => d.date), ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
    const monday = res.body.days[0] as Day;
    assert.equal(monday.slots.length, 8);
    assert.deepEqual(monday.slots[0], { start: '2026-03-09T08:00:00.000Z', end: '2026-03-09T09:00:00.000Z' });
    assert.equal(monday.slots.at(-1)!.start, '2026-03-09T15:00:00.000Z');
    assertGrouped(res.body.days, 'Europe/Berlin');
  });

  test('ids work as keys as well as slugs; identical concurrent requests get identical answers', async () => {
    const bySlug = await slots('dr-berlin', { service: 'hour', from: '2026-03-09', to: '2026-03-10' });
    const byId = await slots(berlin.id, { service: hour.id, from: '2026-03-09', to: '2026-03-10' });
    assert.deepEqual(byId, bySlug);
    const url = '/api/specialists/dr-berlin/slots?service=hour&from=2026-03-09&to=2026-03-10';
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.app.inject(url)));
    for (const res of answers) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(res.json(), bySlug);
    }
    const errors = await Promise.all(Array.from({ length: 3 }, () => t.app.inject(url.replace('service=hour', 'service=nothing'))));
    for (const res of errors) assert.deepEqual([res.statusCode, res.json().error], [404, 'not_found']);
  });

  test('concurrent visitors in different zones (one shared load) each get their own zone\'s answer', async () => {
    const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'Europe/Berlin'];
    const query = (timezone: string) => ({ service: 'hour', from: '2026-03-09', to: '2026-03-12', timezone });
    const alone: unknown[] = [];
    for (const z of zones) alone.push(await slots('dr-berlin', query(z)));
    const together = await Promise.all(zones.map((z) => slots('dr-berlin', query(z))));
    assert.deepEqual(together, alone);
    for (const [i, z] of zones.entries()) assertGrouped(together[i]!.days, z);
  });

  test('a Pacific/Kiritimati visitor (+14): a Berlin day spans two local dates', async () => {
    const r = await slots('dr-berlin', { service: 'hour', from: '2026-03-10', to: '2026-03-10', timezone: 'Pacific/Kiritimati' });
    assert.equal(r.timezone, 'Pacific/Kiritimati');
    assert.deepEqual(r.days.map((d) => d.date), ['2026-03-10']);
    // Local Tuesday = Berlin Monday 11:00-17:00 (00:00-05:00 local) then Berlin Tuesday 09:00-11:00 (22:00, 23:00 local).
    assert.deepEqual(starts(r.days), [
      '2026-03-09T10:00:00.000Z', '2026-03-09T11:00:00.000Z', '2026-03-09T12:00:00.000Z',
      '2026-03-09T13:00:00.000Z', '2026-03-09T14:00:00.000Z', '2026-03-09T15:00:00.000Z',
      '2026-03-10T08:00:00.000Z', '2026-03-10T09:00:00.000Z',
    ]);

    const week = await slots('dr-berlin', { service: 'hour', from: '2026-03-09', to: '2026-03-14', timezone: 'Pacific/Kiritimati' });
    assertGrouped(week.days, 'Pacific/Kiritimati');
    // Local Monday only sees Berlin Monday's first two hours; local Saturday gets Friday's tail.
    assert.deepEqual(week.days.map((d) => [d.date, d.slots.length]), [
      ['2026-03-09', 2], ['2026-03-10', 8], ['2026-03-11', 8], ['2026-03-12', 8], ['2026-03-13', 8], ['2026-03-14', 6],
    ]);
  });

  test('a Pacific/Pago_Pago visitor (-11): the same instants, under the previous local dates', async () => {
    const r = await slots('dr-berlin', { service: 'hour', from: '2026-03-09', to: '2026-03-09', timezone: 'Pacific/Pago_Pago' });
    assert.deepEqual(starts(r.days), [
      '2026-03-09T11:00:00.000Z', '2026-03-09T12:00:00.000Z', '2026-03-09T13:00:00.000Z',
      '2026-03-09T14:00:00.000Z', '2026-03-09T15:00:00.000Z',
      '2026-03-10T08:00:00.000Z', '2026-03-10T09:00:00.000Z', '2026-03-10T10:00:00.000Z',
    ]);
    const week = await slots('dr-berlin', { service: 'hour', from: '2026-03-08', to: '2026-03-13', timezone: 'Pacific/Pago_Pago' });
    assertGrouped(week.days, 'Pacific/Pago_Pago');
    assert.deepEqual(week.days.map((d) => [d.date, d.slots.length]), [
      ['2026-03-08', 3], ['2026-03-09', 8], ['2026-03-10', 8], ['2026-03-11', 8], ['2026-03-12', 8], ['2026-03-13', 5],
    ]);
    // Both visitors see the same bookable instants over a window wide enough for both.
    const kiri = await slots('dr-berlin', { service: 'hour', from: '2026-03-09', to: '2026-03-14', timezone: 'Pacific/Kiritimati' });
    assert.deepEqual(starts(week.days), starts(kiri.days));
  });

  test('the last bookable date counts from the specialist\'s today, told in the visitor\'s zone', async () => {
    // Berlin's today is 2026-03-01 (01:00); a 10-day horizon ends with Berlin's 2026-03-11.
    // In Pago Pago (-11) it is still 02-28, so "visitor today + 10" would lose 03-11.
    const short = await addService(db, { slug: 'short-horizon', name: 'Short', duration_min: 60, horizon_days: 10 });
    await link(db, berlin.id, short.id);
    const pago = await slots('dr-berlin', { service: 'short-horizon', from: '2026-03-01', to: '2026-03-20', timezone: 'Pacific/Pago_Pago' });
    assert.equal((pago as { lastDate?: string }).lastDate, '2026-03-11');
    assert.equal(pago.days.at(-1)!.date, '2026-03-11');
    const kiri = await slots('dr-berlin', { service: 'short-horizon', from: '2026-03-01', to: '2026-03-20', timezone: 'Pacific/Kiritimati' });
    assert.equal((kiri as { lastDate?: string }).lastDate, '2026-03-12');
    const berlinDay = await slots('dr-berlin', { service: 'short-horizon', from: '2026-03-01', to: '2026-03-20' });
    assert.equal((berlinDay as { lastDate?: string }).lastDate, '2026-03-11');
  });

  test('a DST week in the visitor zone: 23- and 25-hour local days', async () => {
    const utc = await addSpecialist(db, { slug: 'round-the-clock', timezone: 'UTC' });
    await link(db, utc.id, hour.id);
    await addHours(db, utc.id, everyWeekday('00:00', '24:00', [1, 2, 3, 4, 5, 6, 7]));

    const spring = await slots('round-the-clock', { service: 'hour', from: '2026-03-06', to: '2026-03-10', timezone: 'America/New_York' });
    assertGrouped(spring.days, 'America/New_York');
    assert.deepEqual(spring.days.map((d) => [d.date, d.slots.length]),
      [['2026-03-06', 24], ['2026-03-07', 24], ['2026-03-08', 23], ['2026-03-09', 24], ['2026-03-10', 24]]);
    // Local midnight moves from -05:00 to -04:00.
    assert.equal(spring.days[0]!.slots[0]!.start, '2026-03-06T05:00:00.000Z');
    assert.equal(spring.days[4]!.slots[0]!.start, '2026-03-10T04:00:00.000Z');

    const autumn = await slots('round-the-clock', { service: 'hour', from: '2026-10-31', to: '2026-11-02', timezone: 'America/New_York' });
    assertGrouped(autumn.days, 'America/New_York');
    assert.deepEqual(autumn.days.map((d) => [d.date, d.slots.length]), [['2026-10-31', 24], ['2026-11-01', 25], ['2026-11-02', 24]]);
  });

  test('a skipped visitor date (Pacific/Apia, 2011-12-30) is simply absent', async () => {
    clock.set('2011-12-01T00:00:00Z');
    try {
      const r = await slots('round-the-clock', { service: 'hour', from: '2011-12-29', to: '2011-12-31', timezone: 'Pacific/Apia' });
      assertGrouped(r.days, 'Pacific/Apia');
      assert.deepEqual(r.days.map((d) => [d.date, d.slots.length]), [['2011-12-29', 24], ['2011-12-31', 24]]);
    } finally {
      clock.set(NOW);
    }
  });

  test('the clock is the app clock: minimum notice counts from it', async () => {
    const svc = await addService(db, { slug: 'noticed', duration_min: 60, min_notice_min: 24 * 60 });
    await link(db, berlin.id, svc.id);
    clock.set('2026-03-09T07:30:00Z'); // Monday 08:30 in Berlin
    try {
      const r = await slots('dr-berlin', { service: 'noticed', from: '2026-03-09', to: '2026-03-10' });
      assert.deepEqual(r.days.map((d) => d.date), ['2026-03-10']);
      assert.equal(r.days[0]!.slots[0]!.start, '2026-03-10T08:00:00.000Z');
    } finally {
      clock.set(NOW);
    }
  });
});

describe('slots: what blocks time', () => {
  let sp: Specialist;
  let svc: Service;
  const day = (date: string) => ({ service: svc.slug, from: date, to: date });
  const hoursOf = async (date: string) =>
    starts((await slots(sp.slug, day(date))).days).map((s) => s.slice(11, 16)); // UTC 'HH:MM' (zone is UTC)

  before(async () => {
    sp = await addSpecialist(db, { slug: 'blocked-one', timezone: 'UTC' });
    svc = await addService(db, { slug: 'thirty', duration_min: 30, buffer_after_min: 30, slot_step_min: 30 });
    await link(db, sp.id, svc.id);
    await addHours(db, sp.id, everyWeekday('09:00', '12:00'));
  });

  test('overrides: a blocked date has no slots; custom intervals replace the weekly hours', async () => {
    await addOverride(db, sp.id, '2026-03-16', []);
    await addOverride(db, sp.id, '2026-03-17', [{ start: '14:00', end: '15:30' }]);
    await addOverride(db, sp.id, '2026-03-21', [{ start: '10:00', end: '11:00' }]); // a Saturday
    const r = await slots(sp.slug, { service: svc.slug, from: '2026-03-16', to: '2026-03-22' });
    assert.deepEqual(r.days.map((d) => d.date), ['2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21']);
    assert.deepEqual(await hoursOf('2026-03-17'), ['14:00', '14:30', '15:00']);
    assert.deepEqual(await hoursOf('2026-03-21'), ['10:00', '10:30']);
  });

  test('active bookings block their time plus the buffers; cancelled ones do not', async () => {
    const free = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
    assert.deepEqual(await hoursOf('2026-03-23'), free);
    // 10:00-10:30 plus 30 min after: blocked 10:00-11:00. A new slot's own after-buffer must
    // not reach into it either, so 09:30 goes too.
    await addBooking(db, { specialistId: sp.id, serviceId: svc.id, start: '2026-03-23T10:00:00Z', durationMin: 30, bufferAfterMin: 30 });
    await addBooking(db, { specialistId: sp.id, serviceId: svc.id, start: '2026-03-23T11:30:00Z', durationMin: 30, status: 'cancelled' });
    assert.deepEqual(await hoursOf('2026-03-23'), ['09:00', '11:00', '11:30']);
  });

  test('external calendar busy time blocks slots', async () => {
    await addBusy(db, sp.id, [['2026-03-24T09:10:00Z', '2026-03-24T09:20:00Z']]);
    assert.deepEqual(await hoursOf('2026-03-24'), ['09:30', '10:00', '10:30', '11:00', '11:30']);
  });

  test('another specialist\'s bookings and busy time do not matter', async () => {
    await addBooking(db, { specialistId: berlin.id, serviceId: hour.id, start: '2026-03-25T09:00:00Z', durationMin: 60 });
    await addBusy(db, berlin.id, [['2026-03-25T10:00:00Z', '2026-03-25T11:00:00Z']]);
    assert.equal((await hoursOf('2026-03-25')).length, 6);
  });
});

describe('load.ts for the bookings module', () => {
  test('findSpecialist / findService by id or slug; archived only when asked', async () => {
    assert.equal((await findSpecialist(db, 'dr-berlin'))?.id, berlin.id);
    assert.equal((await findSpecialist(db, berlin.id))?.slug, 'dr-berlin');
    assert.equal(await findSpecialist(db, 'gone'), null);
    assert.equal((await findSpecialist(db, 'gone', { includeArchived: true }))?.id, archivedSpecialist.id);
    assert.equal(await findSpecialist(db, 'not a uuid or slug'), null);
    assert.equal((await findService(db, hour.id))?.slug, 'hour');
    assert.equal(await findService(db, 'old'), null);
    assert.equal((await findService(db, 'old', { includeArchived: true }))?.id, archivedService.id);
  });

  test('a uuid-shaped slug is found, but an id wins over it', async () => {
    const slug = '11111111-2222-4333-8444-555555555555';
    const s = await addSpecialist(db, { slug, timezone: 'UTC' });
    assert.equal((await findSpecialist(db, slug))?.id, s.id);
    const clash = await addSpecialist(db, { slug: berlin.id, timezone: 'UTC' });
    assert.equal((await findSpecialist(db, berlin.id))?.id, berlin.id);
    await db.updateTable('specialists').set({ archived_at: new Date() }).where('id', 'in', [s.id, clash.id]).execute();
  });

  test('offers and serviceRules (step defaults to the duration)', async () => {
    assert.equal(await offers(db, berlin.id, hour.id), true);
    assert.equal(await offers(db, berlin.id, otherService.id), false);
    assert.equal(serviceRules(hour).stepMin, 60);
    assert.equal(serviceRules({ ...hour, slot_step_min: 15 }).stepMin, 15);
  });

  test('inside a transaction: excludeBookingId frees a booking, extraBusy adds busy time', async () => {
    const sp = await addSpecialist(db, { slug: 'mover', timezone: 'UTC' });
    await link(db, sp.id, hour.id);
    await addHours(db, sp.id, [[4, '09:00', '12:00']]); // Thursdays
    const booking = await addBooking(db, { specialistId: sp.id, serviceId: hour.id, start: '2026-03-26T10:00:00Z', durationMin: 60 });
    const window = { specialistId: sp.id, timezone: 'UTC', service: hour, from: Date.parse('2026-03-26T00:00:00Z'), until: Date.parse('2026-03-27T00:00:00Z'), now: Date.parse(NOW) };
    const iso = (xs: { start: number }[]) => xs.map((s) => new Date(s.start).toISOString().slice(11, 16));
    await db.transaction().execute(async (trx) => {
      assert.deepEqual(iso(await availableSlots(trx, window)), ['09:00', '11:00']);
      assert.deepEqual(iso(await availableSlots(trx, { ...window, excludeBookingId: booking.id })), ['09:00', '10:00', '11:00']);
      const extraBusy = [{ start: Date.parse('2026-03-26T11:30:00Z'), end: Date.parse('2026-03-26T11:45:00Z') }];
      assert.deepEqual(iso(await availableSlots(trx, { ...window, extraBusy })), ['09:00']);
    });
  });

  test('the daily cap counts bookings on the specialist-local day', async () => {
    const sp = await addSpecialist(db, { slug: 'capped', timezone: 'Pacific/Kiritimati' });
    const svc = await addService(db, { slug: 'capped-svc', duration_min: 60, max_per_day: 1 });
    await link(db, sp.id, svc.id);
    await addHours(db, sp.id, everyWeekday('09:00', '12:00'));
    // Monday 2026-03-30 09:00 in Kiritimati is Sunday 19:00 UTC.
    await addBooking(db, { specialistId: sp.id, serviceId: svc.id, start: '2026-03-29T19:00:00Z', durationMin: 60 });
    const r = await slots('capped', { service: 'capped-svc', from: '2026-03-30', to: '2026-03-31' });
    assert.deepEqual(r.days.map((d) => [d.date, d.slots.length]), [['2026-03-31', 3]]);
  });
});

describe('specialist "any"', () => {
  let a: Specialist, b: Specialist;
  let shared: Service;
  before(async () => {
    shared = await addService(db, { slug: 'shared', duration_min: 60 });
    a = await addSpecialist(db, { slug: 'any-a', name: 'A', timezone: 'Europe/Berlin' });
    b = await addSpecialist(db, { slug: 'any-b', name: 'B', timezone: 'Europe/Berlin' });
    const gone = await addSpecialist(db, { slug: 'any-gone', timezone: 'Europe/Berlin', archived: true });
    for (const s of [a, b, gone]) await link(db, s.id, shared.id);
    await addHours(db, a.id, [[1, '09:00', '12:00']]);
    await addHours(db, b.id, [[1, '11:00', '14:00']]);
    await addHours(db, gone.id, [[1, '06:00', '20:00']]);
  });

  test('the union of every active specialist offering the service, each slot once, naming who is free', async () => {
    const r = await slots('any', { service: 'shared', from: '2026-03-09', to: '2026-03-09' });
    assert.equal(r.timezone, 'Europe/Berlin', 'the zone they share');
    assert.equal(r.specialist, undefined);
    const team = [a.id, b.id].sort(); // named once, in id order; slots point into the list
    assert.deepEqual(r.team, team);
    const named = (s: Day['slots'][number]) => s.free?.map((i) => team[i]);
    assert.deepEqual(r.days[0]!.slots.map((s) => [s.start.slice(11, 16), named(s)]), [
      ['08:00', [a.id]], ['09:00', [a.id]], ['10:00', team], ['11:00', [b.id]], ['12:00', [b.id]],
    ]);
  });

  test('a booked specialist drops out of a shared slot', async () => {
    await addBooking(db, { specialistId: a.id, serviceId: shared.id, start: '2026-03-16T10:00:00Z', durationMin: 60 });
    const r = await slots('any', { service: 'shared', from: '2026-03-16', to: '2026-03-16' });
    const at10 = r.days[0]!.slots.find((s) => s.start === '2026-03-16T10:00:00.000Z');
    assert.deepEqual(at10?.free?.map((i) => r.team![i]), [b.id]);
  });

  test('specialists in different zones: the server default zone unless one is asked for', async () => {
    const svc = await addService(db, { slug: 'two-zones', duration_min: 60 });
    const tokyo = await addSpecialist(db, { slug: 'any-tokyo', timezone: 'Asia/Tokyo' });
    await link(db, a.id, svc.id);
    await link(db, tokyo.id, svc.id);
    await addHours(db, tokyo.id, [[1, '09:00', '10:00']]);
    const r = await slots('any', { service: 'two-zones', from: '2026-03-09', to: '2026-03-09' });
    assert.equal(r.timezone, 'UTC');
    assert.deepEqual(starts(r.days), ['2026-03-09T00:00:00.000Z', '2026-03-09T08:00:00.000Z', '2026-03-09T09:00:00.000Z', '2026-03-09T10:00:00.000Z']);
    const k = await slots('any', { service: 'two-zones', from: '2026-03-09', to: '2026-03-09', timezone: 'Asia/Tokyo' });
    assert.equal(k.timezone, 'Asia/Tokyo');
    assertGrouped(k.days, 'Asia/Tokyo');
  });

  test('unknown service, or one nobody active offers: 404; errors as for one specialist', async () => {
    assert.equal((await get('/api/specialists/any/slots?service=nothing&from=2026-03-09&to=2026-03-09')).status, 404);
    assert.equal((await get('/api/specialists/any/slots?service=other&from=2026-03-09&to=2026-03-09')).status, 404);
    assert.equal((await get('/api/specialists/any/slots?service=shared&from=2026-03-10&to=2026-03-09')).body.error, 'invalid_range');
    assert.equal((await get('/api/specialists/any/slots?service=shared&from=2026-03-09&to=2026-03-09&timezone=Nowhere')).body.error, 'invalid_timezone');
  });
});
