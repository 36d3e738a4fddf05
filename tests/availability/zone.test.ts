import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, compareDates, instantToZoned, isValidDate, isValidTimeZone, localDayNumber,
  offsetMinutes, weekdayOf, zonedToInstant,
} from '../../server/availability/zone.ts';

const at = (iso: string) => Date.parse(iso);
const hm = (h: number, m = 0) => h * 60 + m;
/** zonedToInstant as an ISO string, so failures read like wall clocks. */
const z = (date: string, minutes: number, zone: string) => new Date(zonedToInstant(date, minutes, zone)).toISOString();

describe('isValidTimeZone', () => {
  test('accepts IANA names, UTC and links', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern', 'Asia/Kathmandu']) {
      assert.equal(isValidTimeZone(zone), true, zone);
    }
  });
  test('rejects garbage and bare offsets', () => {
    for (const zone of ['', 'Mars/Olympus_Mons', '+05:00', '-0800', 'Europe/Berlin; DROP TABLE x', '../etc/passwd', 'x'.repeat(200)]) {
      assert.equal(isValidTimeZone(zone), false, zone);
    }
    assert.equal(isValidTimeZone(undefined as unknown as string), false);
  });
  test('other functions throw RangeError on an invalid zone', () => {
    assert.throws(() => zonedToInstant('2024-01-01', 0, 'Nope/Nope'), RangeError);
    assert.throws(() => instantToZoned(0, 'Nope/Nope'), RangeError);
    assert.throws(() => offsetMinutes(0, '+01:00'), RangeError);
  });
});

describe('date helpers', () => {
  test('isValidDate is strict', () => {
    for (const d of ['2024-02-29', '2000-02-29', '1999-12-31', '0001-01-01']) assert.equal(isValidDate(d), true, d);
    for (const d of ['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-01', '20240101', '2024-01-01T00:00', '', ' 2024-01-01']) {
      assert.equal(isValidDate(d), false, d);
    }
  });
  test('addDays crosses months, years and leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2024-02-29', 1), '2024-03-01');
    assert.equal(addDays('2023-02-28', 1), '2023-03-01');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
    assert.equal(addDays('2025-01-01', -1), '2024-12-31');
    assert.equal(addDays('2024-01-15', 366), '2025-01-15');
    assert.equal(addDays('2024-03-31', 0), '2024-03-31');
    assert.throws(() => addDays('2024-01-01', 0.5), RangeError);
    assert.throws(() => addDays('2024-02-30', 1), RangeError);
  });
  test('weekdayOf is ISO (1 = Monday)', () => {
    assert.equal(weekdayOf('2024-01-01'), 1);
    assert.equal(weekdayOf('2024-01-06'), 6);
    assert.equal(weekdayOf('2024-01-07'), 7);
    assert.equal(weekdayOf('1970-01-01'), 4);
    assert.equal(weekdayOf('1969-12-31'), 3);
    assert.equal(weekdayOf('2000-02-29'), 2);
  });
  test('compareDates', () => {
    assert.equal(compareDates('2024-01-01', '2024-01-02'), -1);
    assert.equal(compareDates('2024-01-02', '2024-01-02'), 0);
    assert.equal(compareDates('2025-01-01', '2024-12-31'), 1);
    assert.throws(() => compareDates('2024-01-01', 'tomorrow'), RangeError);
  });
});

describe('zonedToInstant', () => {
  test('UTC and plain days', () => {
    assert.equal(z('2024-06-01', hm(9), 'UTC'), '2024-06-01T09:00:00.000Z');
    assert.equal(z('2024-06-01', 1440, 'UTC'), '2024-06-02T00:00:00.000Z');
    assert.equal(z('2024-06-01', hm(9), 'Europe/Berlin'), '2024-06-01T07:00:00.000Z');
  });
  test('rejects bad minutes and dates', () => {
    for (const m of [-1, 1441, 9.5, Number.NaN]) assert.throws(() => zonedToInstant('2024-01-01', m, 'UTC'), RangeError);
    assert.throws(() => zonedToInstant('2024-02-30', 0, 'UTC'), RangeError);
  });
  test('Europe/Berlin spring forward: gap times move to 03:00 CEST (01:00Z)', () => {
    assert.equal(z('2024-03-31', hm(1, 59), 'Europe/Berlin'), '2024-03-31T00:59:00.000Z');
    assert.equal(z('2024-03-31', hm(2), 'Europe/Berlin'), '2024-03-31T01:00:00.000Z');
    assert.equal(z('2024-03-31', hm(2, 30), 'Europe/Berlin'), '2024-03-31T01:00:00.000Z');
    assert.equal(z('2024-03-31', hm(2, 59), 'Europe/Berlin'), '2024-03-31T01:00:00.000Z');
    assert.equal(z('2024-03-31', hm(3), 'Europe/Berlin'), '2024-03-31T01:00:00.000Z');
    assert.equal(z('2024-03-31', hm(3, 1), 'Europe/Berlin'), '2024-03-31T01:01:00.000Z');
    const len = zonedToInstant('2024-03-31', 1440, 'Europe/Berlin') - zonedToInstant('2024-03-31', 0, 'Europe/Berlin');
    assert.equal(len, 23 * 3_600_000);
  });
  test('Europe/Berlin fall back: repeated hour takes the earlier (CEST) occurrence', () => {
    assert.equal(z('2024-10-27', hm(1, 59), 'Europe/Berlin'), '2024-10-26T23:59:00.000Z');
    assert.equal(z('2024-10-27', hm(2), 'Europe/Berlin'), '2024-10-27T00:00:00.000Z');
    assert.equal(z('2024-10-27', hm(2, 30), 'Europe/Berlin'), '2024-10-27T00:30:00.000Z');
    assert.equal(z('2024-10-27', hm(2, 59), 'Europe/Berlin'), '2024-10-27T00:59:00.000Z');
    assert.equal(z('2024-10-27', hm(3), 'Europe/Berlin'), '2024-10-27T02:00:00.000Z');
    const len = zonedToInstant('2024-10-27', 1440, 'Europe/Berlin') - zonedToInstant('2024-10-27', 0, 'Europe/Berlin');
    assert.equal(len, 25 * 3_600_000);
  });
  test('America/New_York both transitions', () => {
    assert.equal(z('2024-03-10', hm(1, 59), 'America/New_York'), '2024-03-10T06:59:00.000Z');
    assert.equal(z('2024-03-10', hm(2, 30), 'America/New_York'), '2024-03-10T07:00:00.000Z');
    assert.equal(z('2024-03-10', hm(3), 'America/New_York'), '2024-03-10T07:00:00.000Z');
    assert.equal(z('2024-11-03', hm(1), 'America/New_York'), '2024-11-03T05:00:00.000Z');
    assert.equal(z('2024-11-03', hm(1, 30), 'America/New_York'), '2024-11-03T05:30:00.000Z');
    assert.equal(z('2024-11-03', hm(2), 'America/New_York'), '2024-11-03T07:00:00.000Z');
  });
  test('Asia/Kathmandu +05:45, and its 1986 switch from +05:30', () => {
    assert.equal(z('2024-01-15', hm(9), 'Asia/Kathmandu'), '2024-01-15T03:15:00.000Z');
    assert.equal(z('2024-01-15', 0, 'Asia/Kathmandu'), '2024-01-14T18:15:00.000Z');
    // 1986-01-01 00:00..00:14 never happened: clocks went from 23:59:59 (+05:30) to 00:15 (+05:45).
    assert.equal(z('1986-01-01', hm(0, 10), 'Asia/Kathmandu'), '1985-12-31T18:30:00.000Z');
    assert.equal(z('1986-01-01', hm(0, 15), 'Asia/Kathmandu'), '1985-12-31T18:30:00.000Z');
    assert.equal(z('1985-12-31', hm(23, 59), 'Asia/Kathmandu'), '1985-12-31T18:29:00.000Z');
  });
  test('Australia/Lord_Howe 30-minute DST, both transitions', () => {
    // 2024-10-06 02:00 (+10:30) jumps to 02:30 (+11:00) at 15:30Z the day before.
    assert.equal(z('2024-10-06', hm(1, 59), 'Australia/Lord_Howe'), '2024-10-05T15:29:00.000Z');
    assert.equal(z('2024-10-06', hm(2, 15), 'Australia/Lord_Howe'), '2024-10-05T15:30:00.000Z');
    assert.equal(z('2024-10-06', hm(2, 30), 'Australia/Lord_Howe'), '2024-10-05T15:30:00.000Z');
    assert.equal(z('2024-10-06', hm(9), 'Australia/Lord_Howe'), '2024-10-05T22:00:00.000Z');
    // 2024-04-07 02:00 (+11:00) falls back to 01:30 (+10:30) at 15:00Z the day before.
    assert.equal(z('2024-04-07', hm(1, 30), 'Australia/Lord_Howe'), '2024-04-06T14:30:00.000Z');
    assert.equal(z('2024-04-07', hm(1, 45), 'Australia/Lord_Howe'), '2024-04-06T14:45:00.000Z');
    assert.equal(z('2024-04-07', hm(2), 'Australia/Lord_Howe'), '2024-04-06T15:30:00.000Z');
    const len = (d: string) => zonedToInstant(d, 1440, 'Australia/Lord_Howe') - zonedToInstant(d, 0, 'Australia/Lord_Howe');
    assert.equal(len('2024-10-06'), 23.5 * 3_600_000);
    assert.equal(len('2024-04-07'), 24.5 * 3_600_000);
  });
  test('Pacific/Apia skipped 2011-12-30: everything on it maps to 2011-12-31T00:00 local', () => {
    assert.equal(z('2011-12-29', hm(23, 59), 'Pacific/Apia'), '2011-12-30T09:59:00.000Z');
    assert.equal(z('2011-12-29', 1440, 'Pacific/Apia'), '2011-12-30T10:00:00.000Z');
    for (const m of [0, hm(9), hm(12, 30), hm(23, 59), 1440]) {
      assert.equal(z('2011-12-30', m, 'Pacific/Apia'), '2011-12-30T10:00:00.000Z', `minute ${m}`);
    }
    assert.equal(z('2011-12-31', 0, 'Pacific/Apia'), '2011-12-30T10:00:00.000Z');
    assert.equal(z('2011-12-31', hm(9), 'Pacific/Apia'), '2011-12-30T19:00:00.000Z');
  });
  test('America/Santiago: midnight in a gap moves to 01:00; 23:30 in the repeated hour is the earlier one', () => {
    assert.equal(z('2024-09-08', 0, 'America/Santiago'), '2024-09-08T04:00:00.000Z');
    assert.equal(z('2024-09-07', 1440, 'America/Santiago'), '2024-09-08T04:00:00.000Z');
    assert.equal(z('2024-04-06', hm(23, 30), 'America/Santiago'), '2024-04-07T02:30:00.000Z');
  });
});

describe('instantToZoned / offsetMinutes', () => {
  test('Europe/Berlin: both occurrences of the repeated hour read 02:30', () => {
    assert.deepEqual(instantToZoned(at('2024-10-27T00:30:00Z'), 'Europe/Berlin'), { date: '2024-10-27', minutes: hm(2, 30), weekday: 7 });
    assert.deepEqual(instantToZoned(at('2024-10-27T01:30:00Z'), 'Europe/Berlin'), { date: '2024-10-27', minutes: hm(2, 30), weekday: 7 });
    assert.equal(offsetMinutes(at('2024-10-27T00:59:59Z'), 'Europe/Berlin'), 120);
    assert.equal(offsetMinutes(at('2024-10-27T01:00:00Z'), 'Europe/Berlin'), 60);
    assert.equal(offsetMinutes(at('2024-03-31T00:59:59.999Z'), 'Europe/Berlin'), 60);
    assert.equal(offsetMinutes(at('2024-03-31T01:00:00Z'), 'Europe/Berlin'), 120);
  });
  test('Asia/Kathmandu and Australia/Lord_Howe offsets', () => {
    assert.equal(offsetMinutes(at('2024-01-15T00:00:00Z'), 'Asia/Kathmandu'), 345);
    assert.equal(offsetMinutes(at('1985-12-31T18:29:59Z'), 'Asia/Kathmandu'), 330);
    assert.equal(offsetMinutes(at('2024-07-01T00:00:00Z'), 'Australia/Lord_Howe'), 630);
    assert.equal(offsetMinutes(at('2024-12-01T00:00:00Z'), 'Australia/Lord_Howe'), 660);
    assert.equal(offsetMinutes(at('2024-04-06T14:59:59Z'), 'Australia/Lord_Howe'), 660);
    assert.equal(offsetMinutes(at('2024-04-06T15:00:00Z'), 'Australia/Lord_Howe'), 630);
  });
  test('Pacific/Apia jumps from 2011-12-29 23:59 to 2011-12-31 00:00', () => {
    assert.deepEqual(instantToZoned(at('2011-12-30T09:59:00Z'), 'Pacific/Apia'), { date: '2011-12-29', minutes: hm(23, 59), weekday: 4 });
    assert.deepEqual(instantToZoned(at('2011-12-30T10:00:00Z'), 'Pacific/Apia'), { date: '2011-12-31', minutes: 0, weekday: 6 });
    assert.equal(offsetMinutes(at('2011-12-30T09:59:59Z'), 'Pacific/Apia'), -600);
    assert.equal(offsetMinutes(at('2011-12-30T10:00:00Z'), 'Pacific/Apia'), 840);
  });
  test('date line: Pacific/Kiritimati (+14) and Pacific/Pago_Pago (-11) see different dates', () => {
    const t = at('2024-01-01T12:00:00Z');
    assert.deepEqual(instantToZoned(t, 'Pacific/Kiritimati'), { date: '2024-01-02', minutes: hm(2), weekday: 2 });
    assert.deepEqual(instantToZoned(t, 'Pacific/Pago_Pago'), { date: '2024-01-01', minutes: hm(1), weekday: 1 });
    assert.deepEqual(instantToZoned(at('2024-01-01T10:00:00Z'), 'Pacific/Kiritimati'), { date: '2024-01-02', minutes: 0, weekday: 2 });
    assert.deepEqual(instantToZoned(at('2024-01-01T10:59:00Z'), 'Pacific/Pago_Pago'), { date: '2023-12-31', minutes: hm(23, 59), weekday: 7 });
    assert.equal(offsetMinutes(t, 'Pacific/Kiritimati'), 840);
    assert.equal(offsetMinutes(t, 'Pacific/Pago_Pago'), -660);
  });
  test('seconds and milliseconds are dropped, never rounded', () => {
    assert.deepEqual(instantToZoned(at('2024-06-01T09:59:59.999Z'), 'UTC'), { date: '2024-06-01', minutes: hm(9, 59), weekday: 6 });
    assert.deepEqual(instantToZoned(at('1969-12-31T23:59:59.999Z'), 'UTC'), { date: '1969-12-31', minutes: hm(23, 59), weekday: 3 });
  });
  test('localDayNumber agrees with instantToZoned', () => {
    const t = at('2011-12-30T10:00:00Z');
    assert.equal(localDayNumber(t, 'Pacific/Apia'), (Date.parse('2011-12-31T00:00:00Z') / 86_400_000));
  });
  test('round trip: every wall minute of a DST day that exists maps back to itself', () => {
    for (const [zone, date] of [['Europe/Berlin', '2024-03-31'], ['Europe/Berlin', '2024-10-27'], ['Australia/Lord_Howe', '2024-10-06'], ['Australia/Lord_Howe', '2024-04-07']] as const) {
      for (let m = 0; m < 1440; m++) {
        const t = zonedToInstant(date, m, zone);
        const back = instantToZoned(t, zone);
        if (back.date === date && back.minutes === m) continue;
        // Only gap minutes may move, and only forward to the gap's end.
        assert.ok(back.date === date && back.minutes > m, `${zone} ${date} ${m} -> ${back.date} ${back.minutes}`);
        assert.equal(offsetMinutes(t - 1, zone) < offsetMinutes(t, zone), true);
      }
    }
  });
  test('rejects non-finite instants', () => {
    assert.throws(() => instantToZoned(Number.NaN, 'UTC'), RangeError);
    assert.throws(() => offsetMinutes(Infinity, 'UTC'), RangeError);
  });
});
