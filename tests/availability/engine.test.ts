import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeSlots, type EngineInput, type ServiceRules } from '../../server/availability/engine.ts';

const MIN = 60_000;
const H = 60 * MIN;
const at = (iso: string) => Date.parse(iso);

function service(over: Partial<ServiceRules> = {}): ServiceRules {
  return {
    serviceId: 'svc', durationMin: 30, stepMin: 30, bufferBeforeMin: 0, bufferAfterMin: 0,
    minNoticeMin: 0, horizonDays: 60, maxPerDay: null, ...over,
  };
}

/** Europe/Berlin (CEST, +02:00 in June), Mondays 09:00-12:00, window = Monday 2024-06-03 local. */
function input(over: Partial<EngineInput> = {}): EngineInput {
  return {
    timezone: 'Europe/Berlin',
    weekly: [{ weekday: 1, start: '09:00', end: '12:00' }],
    overrides: [], service: service(), bookings: [], busy: [],
    now: at('2024-06-01T00:00:00Z'),
    from: at('2024-06-03T00:00:00+02:00'),
    until: at('2024-06-04T00:00:00+02:00'),
    ...over,
  };
}

/** Slot starts as local 'HH:MM' in the given offset, for readable expectations. */
function starts(inp: EngineInput, offsetH = 2): string[] {
  return computeSlots(inp).map((s) => new Date(s.start + offsetH * H).toISOString().slice(11, 16));
}
function startsIso(inp: EngineInput): string[] {
  return computeSlots(inp).map((s) => new Date(s.start).toISOString());
}

describe('generation', () => {
  test('steps from the interval start; end = start + duration', () => {
    const slots = computeSlots(input());
    assert.deepEqual(starts(input()), ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    for (const s of slots) assert.equal(s.end - s.start, 30 * MIN);
    assert.equal(slots[0]!.start, at('2024-06-03T07:00:00Z'));
  });
  test('step shorter than duration; the last slot ends exactly at the interval end', () => {
    const r = starts(input({ service: service({ stepMin: 15 }) }));
    assert.equal(r.length, 11);
    assert.equal(r.at(-1), '11:30');
  });
  test('touching intervals are one stretch of work: starts may cross the boundary', () => {
    const weekly = [{ weekday: 1, start: '09:00', end: '10:00' }, { weekday: 1, start: '10:00', end: '11:00' }];
    assert.deepEqual(starts(input({ weekly, service: service({ durationMin: 45, stepMin: 15 }) })), ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15']);
    assert.deepEqual(starts(input({ weekly, service: service({ durationMin: 90, stepMin: 30 }) })), ['09:00', '09:30']);
    // The measured case: 09:00-12:00 + 12:00-17:00 offers the 11:30 start that runs past noon.
    const split = [{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '12:00', end: '17:00' }];
    const whole = [{ weekday: 1, start: '09:00', end: '17:00' }];
    const svc = service({ durationMin: 60, stepMin: 30 });
    assert.ok(starts(input({ weekly: split, service: svc })).includes('11:30'));
    assert.deepEqual(starts(input({ weekly: split, service: svc })), starts(input({ weekly: whole, service: svc })));
  });
  test('a gap between intervals still separates them', () => {
    const weekly = [{ weekday: 1, start: '09:00', end: '10:00' }, { weekday: 1, start: '10:05', end: '11:00' }];
    assert.deepEqual(starts(input({ weekly, service: service({ durationMin: 45, stepMin: 15 }) })), ['09:00', '09:15', '10:05']);
  });
  test('22:00-24:00 and the next day\'s 00:00-02:00 offer sessions across midnight', () => {
    const weekly = [{ weekday: 1, start: '22:00', end: '24:00' }, { weekday: 2, start: '00:00', end: '02:00' }];
    const r = computeSlots(input({ weekly, until: at('2024-06-05T00:00:00+02:00'), service: service({ durationMin: 60, stepMin: 30 }) }));
    const local = r.map((s) => new Date(s.start + 2 * 3_600_000).toISOString().slice(11, 16));
    assert.deepEqual(local, ['22:00', '22:30', '23:00', '23:30', '00:00', '00:30', '01:00']);
  });
  test('the grid of a start does not depend on the window asked about (the booking check asks for one instant)', () => {
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    const svc = service({ durationMin: 50, stepMin: 45 });
    const all = computeSlots(input({ weekly, service: svc, until: at('2024-06-14T00:00:00+02:00') }));
    for (const s of all.slice(0, 40)) {
      assert.deepEqual(computeSlots(input({ weekly, service: svc, from: s.start, until: s.start + 1 })), [s]);
    }
  });
  test('overlapping intervals give sorted starts without duplicates', () => {
    const weekly = [{ weekday: 1, start: '10:00', end: '12:00' }, { weekday: 1, start: '09:00', end: '11:00' }];
    assert.deepEqual(starts(input({ weekly, service: service({ durationMin: 60 }) })), ['09:00', '09:30', '10:00', '10:30', '11:00']);
  });
  test('an interval may end at 24:00', () => {
    const weekly = [{ weekday: 1, start: '22:30', end: '24:00' }];
    assert.deepEqual(starts(input({ weekly })), ['22:30', '23:00', '23:30']);
  });
  test('only weekdays with hours produce slots', () => {
    const r = computeSlots(input({ until: at('2024-06-10T00:00:00+02:00') }));
    assert.equal(r.length, 6);
  });
});

describe('overrides', () => {
  const week = { until: at('2024-06-10T00:00:00+02:00') };
  test('an override replaces that date’s weekly hours', () => {
    const overrides = [{ date: '2024-06-03', intervals: [{ start: '14:00', end: '15:00' }] }];
    assert.deepEqual(starts(input({ ...week, overrides })), ['14:00', '14:30']);
  });
  test('empty intervals block the day', () => {
    assert.deepEqual(starts(input({ ...week, overrides: [{ date: '2024-06-03', intervals: [] }] })), []);
  });
  test('an override can open a day without weekly hours', () => {
    const overrides = [{ date: '2024-06-05', intervals: [{ start: '08:00', end: '09:00' }] }];
    assert.equal(computeSlots(input({ ...week, overrides })).length, 8);
  });
});

describe('bookings, buffers and busy time', () => {
  const booking = (fromIso: string, untilIso: string, serviceId = 'svc') =>
    ({ start: at(fromIso), blockedFrom: at(fromIso), blockedUntil: at(untilIso), serviceId });
  test('a booking blocks overlapping slots; touching is fine', () => {
    const bookings = [booking('2024-06-03T10:00:00+02:00', '2024-06-03T10:30:00+02:00')];
    assert.deepEqual(starts(input({ bookings })), ['09:00', '09:30', '10:30', '11:00', '11:30']);
  });
  test('the service’s buffers widen the slot’s blocked range', () => {
    const bookings = [booking('2024-06-03T10:00:00+02:00', '2024-06-03T10:30:00+02:00')];
    assert.deepEqual(starts(input({ bookings, service: service({ bufferBeforeMin: 15 }) })), ['09:00', '09:30', '11:00', '11:30']);
    assert.deepEqual(starts(input({ bookings, service: service({ bufferAfterMin: 15 }) })), ['09:00', '10:30', '11:00', '11:30']);
  });
  test('the booking’s own buffers (blockedFrom/Until) count, not just its start', () => {
    const bookings = [{ start: at('2024-06-03T10:00:00+02:00'), blockedFrom: at('2024-06-03T09:50:00+02:00'), blockedUntil: at('2024-06-03T10:40:00+02:00'), serviceId: 'other' }];
    assert.deepEqual(starts(input({ bookings })), ['09:00', '11:00', '11:30']);
  });
  test('external busy time blocks, half-open', () => {
    const busy = [{ start: at('2024-06-03T09:10:00+02:00'), end: at('2024-06-03T10:00:00+02:00') }];
    assert.deepEqual(starts(input({ busy })), ['10:00', '10:30', '11:00', '11:30']);
  });
  test('after a long busy block the next slot stays on the step grid', () => {
    const busy = [{ start: at('2024-06-03T09:10:00+02:00'), end: at('2024-06-03T10:05:00+02:00') }];
    assert.deepEqual(starts(input({ busy })), ['10:30', '11:00', '11:30']);
    assert.deepEqual(starts(input({ busy, service: service({ bufferBeforeMin: 30 }) })), ['11:00', '11:30']);
    assert.deepEqual(starts(input({ busy, service: service({ stepMin: 20 }) })), ['10:20', '10:40', '11:00', '11:20']);
  });
  test('overlapping and unsorted busy ranges and bookings', () => {
    const busy = [
      { start: at('2024-06-03T11:00:00+02:00'), end: at('2024-06-03T11:20:00+02:00') },
      { start: at('2024-06-03T09:00:00+02:00'), end: at('2024-06-03T09:40:00+02:00') },
      { start: at('2024-06-03T09:20:00+02:00'), end: at('2024-06-03T09:30:00+02:00') },
      { start: at('2024-06-03T12:00:00+02:00'), end: at('2024-06-03T11:00:00+02:00') }, // empty: ignored
    ];
    const bookings = [booking('2024-06-03T09:40:00+02:00', '2024-06-03T10:00:00+02:00')];
    assert.deepEqual(starts(input({ busy, bookings })), ['10:00', '10:30', '11:30']);
  });
});

describe('notice, window and horizon', () => {
  test('minNotice: start >= now + notice, still on the step grid', () => {
    const now = at('2024-06-03T08:40:00+02:00');
    assert.deepEqual(starts(input({ now, service: service({ minNoticeMin: 60 }) })), ['10:00', '10:30', '11:00', '11:30']);
    assert.deepEqual(starts(input({ now, service: service({ minNoticeMin: 80 }) })), ['10:00', '10:30', '11:00', '11:30']);
    assert.deepEqual(starts(input({ now, service: service({ minNoticeMin: 81 }) })), ['10:30', '11:00', '11:30']);
  });
  test('slots start in [from, until)', () => {
    const r = starts(input({ from: at('2024-06-03T10:00:00+02:00'), until: at('2024-06-03T11:00:00+02:00') }));
    assert.deepEqual(r, ['10:00', '10:30']);
    assert.deepEqual(starts(input({ from: at('2024-06-03T10:01:00+02:00'), until: at('2024-06-03T10:01:00+02:00') })), []);
    assert.deepEqual(starts(input({ from: at('2024-06-04T00:00:00+02:00'), until: at('2024-06-03T00:00:00+02:00') })), []);
  });
  test('a slot that starts before until may end after it', () => {
    assert.deepEqual(starts(input({ until: at('2024-06-03T09:01:00+02:00') })), ['09:00']);
  });
  test('horizon counts specialist-local dates (now is already Tuesday in Berlin)', () => {
    const weekly = [1, 2, 3, 4].map((weekday) => ({ weekday, start: '09:00', end: '10:00' }));
    const now = at('2024-06-03T22:30:00Z'); // Tue 00:30 in Berlin, still Monday in UTC
    const r = startsIso(input({ weekly, now, until: at('2024-06-10T00:00:00Z'), service: service({ horizonDays: 1 }) }));
    assert.deepEqual(r, ['2024-06-04T07:00:00.000Z', '2024-06-04T07:30:00.000Z', '2024-06-05T07:00:00.000Z', '2024-06-05T07:30:00.000Z']);
    const today = startsIso(input({ weekly, now, until: at('2024-06-10T00:00:00Z'), service: service({ horizonDays: 0 }) }));
    assert.equal(today.length, 2);
  });
  test('an open-ended window is cut by the horizon, not walked to its end', () => {
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '10:00' }));
    const r = computeSlots(input({ weekly, until: 8.64e15, service: service({ horizonDays: 3 }) })); // the last valid Date
    assert.equal(r.length, 2 * 2); // from 2024-06-03 to now's date 2024-06-01 + 3
  });
});

describe('maxPerDay', () => {
  const weekly = [{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 2, start: '09:00', end: '12:00' }];
  const until = at('2024-06-05T00:00:00+02:00');
  const bk = (iso: string, serviceId = 'svc') => ({ start: at(iso), blockedFrom: at(iso), blockedUntil: at(iso) + 30 * MIN, serviceId });
  const monTue = (inp: EngineInput) => {
    const r = computeSlots(inp);
    const mon = r.filter((s) => s.start < at('2024-06-04T00:00:00+02:00')).length;
    return [mon, r.length - mon];
  };
  test('the day is closed once the cap is reached', () => {
    const bookings = [bk('2024-06-03T09:00:00+02:00'), bk('2024-06-03T11:30:00+02:00')];
    assert.deepEqual(monTue(input({ weekly, until, bookings, service: service({ maxPerDay: 2 }) })), [0, 6]);
    assert.deepEqual(monTue(input({ weekly, until, bookings, service: service({ maxPerDay: 3 }) })), [4, 6]);
    assert.deepEqual(monTue(input({ weekly, until, bookings, service: service({ maxPerDay: null }) })), [4, 6]);
    assert.deepEqual(monTue(input({ weekly, until, service: service({ maxPerDay: 0 }) })), [0, 0]);
  });
  test('only bookings of the same service count', () => {
    const bookings = [bk('2024-06-03T09:00:00+02:00', 'other'), bk('2024-06-03T11:30:00+02:00', 'other')];
    assert.deepEqual(monTue(input({ weekly, until, bookings, service: service({ maxPerDay: 1 }) })), [4, 6]);
  });
  test('the count is per specialist-local date, not UTC date', () => {
    // 00:30 Tuesday in Berlin is 22:30Z Monday.
    const bookings = [bk('2024-06-03T22:30:00Z')];
    assert.deepEqual(monTue(input({ weekly, until, bookings, service: service({ maxPerDay: 1 }) })), [6, 0]);
  });
});

describe('DST and odd zones', () => {
  const sunday = (date: string, start: string, end: string, zone = 'Europe/Berlin', over: Partial<EngineInput> = {}) =>
    startsIso(input({
      timezone: zone, weekly: [], overrides: [{ date, intervals: [{ start, end }] }],
      now: at('2000-01-01T00:00:00Z'), from: at(`${date}T00:00:00Z`) - 86_400_000, until: at(`${date}T00:00:00Z`) + 2 * 86_400_000,
      service: service({ horizonDays: 100_000 }), ...over,
    }));
  test('Berlin spring forward: 01:00-05:00 is 3 real hours, stepped in real time', () => {
    const r = sunday('2024-03-31', '01:00', '05:00');
    assert.deepEqual(r, ['00:00', '00:30', '01:00', '01:30', '02:00', '02:30'].map((t) => `2024-03-31T${t}:00.000Z`));
  });
  test('Berlin spring forward: 09:00-17:00 on the 23-hour day', () => {
    const r = sunday('2024-03-31', '09:00', '17:00');
    assert.equal(r.length, 16);
    assert.equal(r[0], '2024-03-31T07:00:00.000Z');
    assert.equal(r.at(-1), '2024-03-31T14:30:00.000Z');
  });
  test('Berlin spring forward: a start in the gap moves to 03:00', () => {
    assert.deepEqual(sunday('2024-03-31', '02:30', '04:00'), ['2024-03-31T01:00:00.000Z', '2024-03-31T01:30:00.000Z']);
  });
  test('Berlin fall back: 01:00-05:00 is 5 real hours; 02:30 starts the earlier 02:30', () => {
    assert.equal(sunday('2024-10-27', '01:00', '05:00').length, 10);
    assert.deepEqual(sunday('2024-10-27', '02:30', '03:00'), ['2024-10-27T00:30:00.000Z', '2024-10-27T01:00:00.000Z', '2024-10-27T01:30:00.000Z']);
  });
  test('America/New_York spring forward', () => {
    assert.deepEqual(sunday('2024-03-10', '01:00', '04:00', 'America/New_York'),
      ['06:00', '06:30', '07:00', '07:30'].map((t) => `2024-03-10T${t}:00.000Z`));
  });
  test('Asia/Kathmandu +05:45', () => {
    assert.deepEqual(sunday('2024-01-15', '09:00', '10:00', 'Asia/Kathmandu'), ['2024-01-15T03:15:00.000Z', '2024-01-15T03:45:00.000Z']);
  });
  test('Australia/Lord_Howe: 30-minute shifts', () => {
    assert.equal(sunday('2024-10-06', '01:00', '04:00', 'Australia/Lord_Howe').length, 5);
    assert.equal(sunday('2024-04-07', '01:00', '04:00', 'Australia/Lord_Howe').length, 7);
  });
  test('Pacific/Apia: the skipped 2011-12-30 offers nothing, its neighbours do', () => {
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    const r = computeSlots(input({
      timezone: 'Pacific/Apia', weekly, now: at('2011-12-01T00:00:00Z'),
      from: at('2011-12-29T00:00:00Z'), until: at('2012-01-01T00:00:00Z'),
    }));
    const byDate = new Map<string, number>();
    for (const s of r) {
      const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Apia' }).format(s.start);
      byDate.set(d, (byDate.get(d) ?? 0) + 1);
    }
    assert.equal(byDate.get('2011-12-30'), undefined);
    assert.equal(byDate.get('2011-12-29'), 16);
    assert.equal(byDate.get('2011-12-31'), 16);
    assert.equal(r.find((s) => s.start >= at('2011-12-30T10:00:00Z'))!.start, at('2011-12-30T19:00:00Z')); // 12-31 09:00
  });
});

describe('input validation', () => {
  test('malformed input throws RangeError', () => {
    const bad: Partial<EngineInput>[] = [
      { timezone: 'Mars/Base' },
      { weekly: [{ weekday: 8, start: '09:00', end: '10:00' }] },
      { weekly: [{ weekday: 1, start: '9:00', end: '10:00' }] },
      { weekly: [{ weekday: 1, start: '10:00', end: '10:00' }] },
      { weekly: [{ weekday: 1, start: '24:00', end: '24:00' }] },
      { weekly: [{ weekday: 1, start: '09:00', end: '24:30' }] },
      { overrides: [{ date: '2024-02-30', intervals: [] }] },
      { overrides: [{ date: '2024-06-03', intervals: [] }, { date: '2024-06-03', intervals: [] }] },
      { service: service({ stepMin: 0 }) },
      { service: service({ durationMin: -30 }) },
      { service: service({ bufferAfterMin: 1.5 }) },
      { service: service({ maxPerDay: -1 }) },
      { now: Number.NaN },
      { busy: [{ start: 0, end: Infinity }] },
    ];
    for (const b of bad) assert.throws(() => computeSlots(input(b)), RangeError, JSON.stringify(b));
  });
});
