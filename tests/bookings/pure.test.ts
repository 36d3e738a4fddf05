// The pure parts of bookings: local times in both zones, the "any" week and tie-break, the
// actions each role may take, the request fingerprint of idempotency keys, the alternatives
// picked for a refused start.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { localIso } from '../../server/bookings/view.ts';
import { pickLeastBusy, requestFingerprint, utcWeek } from '../../server/bookings/create.ts';
import { allowedActions } from '../../server/bookings/lifecycle.ts';
import { ALTERNATIVES_AFTER_MS, ALTERNATIVES_BEFORE_MS, nearestOf, type OpenSlot } from '../../server/bookings/slots.ts';

describe('localIso', () => {
  const cases: [string, string, string][] = [
    ['2026-12-03T10:00:00Z', 'Europe/Berlin', '2026-12-03T11:00:00+01:00'],
    ['2026-07-03T10:00:00Z', 'Europe/Berlin', '2026-07-03T12:00:00+02:00'],
    ['2026-12-03T10:00:00Z', 'Asia/Kolkata', '2026-12-03T15:30:00+05:30'],
    ['2026-12-03T10:00:00Z', 'Asia/Kathmandu', '2026-12-03T15:45:00+05:45'],
    ['2026-12-03T10:00:00Z', 'America/St_Johns', '2026-12-03T06:30:00-03:30'],
    ['2026-12-03T10:00:00Z', 'Australia/Lord_Howe', '2026-12-03T21:00:00+11:00'],
    ['2026-07-03T10:00:00Z', 'Australia/Lord_Howe', '2026-07-03T20:30:00+10:30'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29T03:00:00+02:00'], // the first instant after the gap
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+02:00'], // the repeated hour, first time
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+01:00'], // and second time
    ['2026-12-03T10:00:00Z', 'UTC', '2026-12-03T10:00:00+00:00'],
  ];
  for (const [instant, zone, want] of cases) {
    test(`${instant} in ${zone}`, () => assert.equal(localIso(Date.parse(instant), zone), want));
  }
});

describe('"any" specialist choice', () => {
  test('the week runs Monday 00:00 to Monday 00:00 UTC', () => {
    const monday = Date.parse('2026-12-14T00:00:00Z');
    const next = Date.parse('2026-12-21T00:00:00Z');
    for (const t of ['2026-12-14T00:00:00Z', '2026-12-16T12:00:00Z', '2026-12-20T23:59:59.999Z']) {
      assert.deepEqual(utcWeek(Date.parse(t)), { from: monday, until: next }, t);
    }
    assert.deepEqual(utcWeek(next), { from: next, until: next + 7 * 86_400_000 });
    assert.deepEqual(utcWeek(Date.parse('1969-12-31T12:00:00Z')), { from: Date.parse('1969-12-29T00:00:00Z'), until: Date.parse('1970-01-05T00:00:00Z') });
  });

  test('fewest bookings wins; ties go to the smallest id, whatever the input order', () => {
    const counts = new Map([['b', 2], ['c', 1], ['a', 1]]);
    assert.equal(pickLeastBusy(['b', 'c', 'a'], counts), 'a');
    assert.equal(pickLeastBusy(['b', 'c'], counts), 'c');
    assert.equal(pickLeastBusy(['z', 'b'], counts), 'z', 'no bookings counts as 0');
    assert.equal(pickLeastBusy([], counts), undefined);
  });
});

describe('allowed actions', () => {
  const start = Date.parse('2026-12-03T10:00:00Z');
  const before = start - 3_600_000;
  const after = start + 600_000;
  test('the visitor may cancel and reschedule before the start only', () => {
    assert.deepEqual(allowedActions({ status: 'confirmed', startsAt: start }, 'visitor', before), ['cancel', 'reschedule']);
    assert.deepEqual(allowedActions({ status: 'pending', startsAt: start }, 'visitor', before), ['cancel', 'reschedule']);
    assert.deepEqual(allowedActions({ status: 'confirmed', startsAt: start }, 'visitor', after), []);
    assert.deepEqual(allowedActions({ status: 'cancelled', startsAt: start }, 'visitor', before), []);
  });
  test('the specialist decides requests and records outcomes; the site owner may cancel and move', () => {
    assert.deepEqual(allowedActions({ status: 'pending', startsAt: start }, 'specialist', before), ['cancel', 'reschedule', 'approve', 'decline']);
    assert.deepEqual(allowedActions({ status: 'confirmed', startsAt: start }, 'specialist', after), ['cancel', 'complete', 'no_show']);
    assert.deepEqual(allowedActions({ status: 'in_progress', startsAt: start }, 'specialist', after), ['complete', 'no_show']);
    assert.deepEqual(allowedActions({ status: 'pending', startsAt: start }, 'admin', before), ['cancel', 'reschedule']);
    assert.deepEqual(allowedActions({ status: 'completed', startsAt: start }, 'specialist', after), []);
  });
});

describe('request fingerprint', () => {
  const base = { specialist: 's', service: 'v', start: 1, visitor: { name: 'Ann', email: 'Ann@Example.com', timezone: 'UTC' }, answers: { a: 'x', b: true } };
  test('equal requests match whatever the key order, case of the email or surrounding spaces', () => {
    const same = { answers: { b: true, a: 'x' }, visitor: { timezone: 'UTC', email: ' ann@example.com', name: 'Ann ' }, start: 1, service: 'v', specialist: 's' };
    assert.equal(requestFingerprint(base), requestFingerprint(same));
  });
  test('any difference in what is booked changes it', () => {
    const fp = requestFingerprint(base);
    assert.notEqual(fp, requestFingerprint({ ...base, start: 2 }));
    assert.notEqual(fp, requestFingerprint({ ...base, specialist: 'any' }));
    assert.notEqual(fp, requestFingerprint({ ...base, answers: { a: 'y', b: true } }));
    assert.notEqual(fp, requestFingerprint({ ...base, visitor: { ...base.visitor, timezone: 'Europe/Paris' } }));
  });
});

describe('alternatives for a refused start', () => {
  // The definition, spelled the slow way: every slot of the span by distance, then start, then
  // specialist; the first of each start.
  function byDefinition(slots: OpenSlot[], start: number, count = 5) {
    const near = slots.filter((f) => f.start >= start - ALTERNATIVES_BEFORE_MS && f.start < start + ALTERNATIVES_AFTER_MS)
      .sort((a, b) => Math.abs(a.start - start) - Math.abs(b.start - start) || a.start - b.start || (a.specialist < b.specialist ? -1 : 1));
    const seen = new Set<number>();
    return near.filter((f) => !seen.has(f.start) && seen.add(f.start)).slice(0, count)
      .map((f) => ({ start: new Date(f.start).toISOString(), end: new Date(f.end).toISOString(), specialist: f.specialist }));
  }
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const HALF_HOUR = 1_800_000, T = Date.parse('2026-12-10T09:00:00Z');

  test('the nearest starts, one specialist each (the smallest id), ties to the earlier: as the definition, on 2,000 random days', () => {
    for (let run = 0; run < 2000; run++) {
      const slots: OpenSlot[] = [];
      const n = Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) {
        // Starts spread over 25 days around T, several specialists per start now and then.
        const s = T + Math.round((rnd() - 0.5) * 1200) * HALF_HOUR;
        slots.push({ start: s, end: s + HALF_HOUR, specialist: `sp-${Math.floor(rnd() * 4)}` });
      }
      slots.sort((a, b) => a.start - b.start || (a.specialist < b.specialist ? -1 : 1));
      const wanted = T + Math.round((rnd() - 0.5) * 1400) * HALF_HOUR;
      const count = 1 + Math.floor(rnd() * 6);
      assert.deepEqual(nearestOf(slots, wanted, count), byDefinition(slots, wanted, count), `run ${run}`);
    }
  });

  test('an exact tie goes to the earlier start; none when nothing lies within the span', () => {
    const at = (h: number, sp = 'a'): OpenSlot => ({ start: T + h * 3_600_000, end: T + h * 3_600_000 + HALF_HOUR, specialist: sp });
    assert.deepEqual(nearestOf([at(-1, 'b'), at(-1, 'a'), at(1)].sort((x, y) => x.start - y.start || (x.specialist < y.specialist ? -1 : 1)), T, 2).map((a) => [a.start, a.specialist]),
      [[new Date(T - 3_600_000).toISOString(), 'a'], [new Date(T + 3_600_000).toISOString(), 'a']]);
    assert.deepEqual(nearestOf([at(-24 * 4), at(24 * 15)], T), []);
  });
});
