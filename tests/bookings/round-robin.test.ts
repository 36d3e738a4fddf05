// Team services ("any available specialist"): over many bookings the work spreads evenly, ties go
// to the same specialist every time, and a busy specialist is passed over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { addHours, addService, addSpecialist, link } from '../availability/fixtures.ts';
import { ALL_WEEK, HOUR, T0, bookingBody } from './fixtures.ts';

let t: TestApp;
let serviceId: string;
let team: string[];
const MONDAY = Date.parse('2026-12-07T00:00:00Z');

before(async () => {
  t = await startTestApp({ clock: new TestClock(T0), env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  const db = t.database.db;
  serviceId = (await addService(db, { duration_min: 60, slot_step_min: 60 })).id;
  const members = await Promise.all([0, 1, 2].map(() => addSpecialist(db, { timezone: 'UTC' })));
  for (const s of members) { await link(db, s.id, serviceId); await addHours(db, s.id, ALL_WEEK); }
  team = members.map((s) => s.id).sort();
});
after(() => t.close());

async function bookAny(start: number): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: 'any', service: serviceId }, start) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().specialist.id;
}

const countBy = (ids: string[]) => Object.fromEntries(team.map((id) => [id, ids.filter((x) => x === id).length]));

describe('round-robin', () => {
  test('ties go to the same specialist (the smallest id), deterministically', async () => {
    assert.equal(await bookAny(Date.parse('2026-12-02T09:00:00Z')), team[0]);
  });

  test('30 bookings in one week spread 10/10/10', async () => {
    const chosen: string[] = [];
    for (let day = 0; day < 5; day++) {
      for (let hour = 8; hour < 14; hour++) chosen.push(await bookAny(MONDAY + day * 24 * HOUR + hour * HOUR));
    }
    assert.deepEqual(countBy(chosen), Object.fromEntries(team.map((id) => [id, 10])));
    // Never more than one booking ahead of the others at any point.
    for (let i = 1; i <= chosen.length; i++) {
      const counts = Object.values(countBy(chosen.slice(0, i)));
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `after ${i} bookings: ${counts}`);
    }
  });

  test('a busy specialist is passed over; the least busy free one gets it', async () => {
    const start = MONDAY + 7 * 24 * HOUR + 10 * HOUR; // the next week: counts start from zero
    const first = await bookAny(start);
    assert.equal(first, team[0]);
    // At the same start team[0] is taken: the next two go to the others, then nobody is free.
    const second = await bookAny(start);
    const third = await bookAny(start);
    assert.deepEqual([second, third].sort(), [team[1], team[2]]);
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: 'any', service: serviceId }, start) });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'slot_taken');
  });
});
