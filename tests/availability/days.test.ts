// Visitor-local days: range checks, the window a date range stands for, grouping by start date.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDateRange, groupByLocalDate, isoUtc, localDateWindow } from '../../server/availability/days.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('checkDateRange', () => {
  test('accepts real dates in order, up to the maximum inclusive length', () => {
    assert.equal(checkDateRange('2026-03-01', '2026-03-01', 62), null);
    assert.equal(checkDateRange('2026-03-01', '2026-05-01', 62), null); // 62 days
    assert.equal(checkDateRange('2024-02-28', '2024-02-29', 2), null); // leap day
  });
  test('malformed or reversed: invalid_range', () => {
    for (const [a, b] of [['2026-02-29', '2026-03-01'], ['2026-3-01', '2026-03-02'], ['x', '2026-03-01'],
      ['2026-03-02', '2026-03-01'], ['2026-03-01 ', '2026-03-02'], ['2026-13-01', '2026-13-02']]) {
      assert.equal(checkDateRange(a!, b!, 62), 'invalid_range', `${a}..${b}`);
    }
  });
  test('too long: range_too_long, counted on the calendar', () => {
    assert.equal(checkDateRange('2026-03-01', '2026-05-02', 62), 'range_too_long');
    assert.equal(checkDateRange('2026-01-01', '2026-01-08', 7), 'range_too_long');
    assert.equal(checkDateRange('2026-01-01', '2026-01-07', 7), null);
  });
});

describe('localDateWindow', () => {
  test('local midnight to the midnight after the last date', () => {
    assert.deepEqual(localDateWindow('2026-03-10', '2026-03-10', 'Pacific/Kiritimati'),
      { from: at('2026-03-09T10:00:00Z'), until: at('2026-03-10T10:00:00Z') });
    assert.deepEqual(localDateWindow('2026-03-09', '2026-03-10', 'Pacific/Pago_Pago'),
      { from: at('2026-03-09T11:00:00Z'), until: at('2026-03-11T11:00:00Z') });
  });
  test('a DST day lasts 23 or 25 hours; a 30-minute-offset zone shifts by 30 minutes', () => {
    const spring = localDateWindow('2026-03-08', '2026-03-08', 'America/New_York');
    assert.equal(spring.until - spring.from, 23 * 3_600_000);
    const autumn = localDateWindow('2026-10-25', '2026-10-25', 'Europe/Berlin');
    assert.equal(autumn.until - autumn.from, 25 * 3_600_000);
    const lordHowe = localDateWindow('2026-04-05', '2026-04-05', 'Australia/Lord_Howe');
    assert.equal(lordHowe.until - lordHowe.from, 24.5 * 3_600_000);
  });
  test('a midnight in a DST gap starts the day at the first existing instant', () => {
    // America/Santiago skipped 2024-09-08 00:00-01:00 (-04:00 -> -03:00).
    const w = localDateWindow('2024-09-08', '2024-09-08', 'America/Santiago');
    assert.equal(iso(w.from), '2024-09-08T04:00:00.000Z');
    assert.equal(iso(w.until), '2024-09-09T03:00:00.000Z');
  });
  test('a skipped date (Pacific/Apia 2011-12-30) is an empty window', () => {
    const w = localDateWindow('2011-12-30', '2011-12-30', 'Pacific/Apia');
    assert.equal(w.until, w.from);
  });
});

describe('groupByLocalDate', () => {
  const slot = (s: string) => ({ start: at(s), end: at(s) + 3_600_000 });

  test('groups under the local start date, ascending, no empty dates', () => {
    const slots = ['2026-03-09T08:00:00Z', '2026-03-09T09:00:00Z', '2026-03-09T10:00:00Z', '2026-03-11T15:00:00Z'].map(slot);
    assert.deepEqual(groupByLocalDate(slots, 'Pacific/Kiritimati').map((d) => [d.date, d.slots.map((s) => iso(s.start))]), [
      ['2026-03-09', ['2026-03-09T08:00:00.000Z', '2026-03-09T09:00:00.000Z']],
      ['2026-03-10', ['2026-03-09T10:00:00.000Z']],
      ['2026-03-12', ['2026-03-11T15:00:00.000Z']],
    ]);
    assert.deepEqual(groupByLocalDate(slots, 'Pacific/Pago_Pago').map((d) => [d.date, d.slots.length]),
      [['2026-03-08', 3], ['2026-03-11', 1]]);
  });

  test('keeps the slot objects (extra fields survive) and handles the empty list', () => {
    const s = { ...slot('2026-03-09T08:00:00Z'), specialists: ['x'] };
    assert.equal(groupByLocalDate([s], 'UTC')[0]!.slots[0], s);
    assert.deepEqual(groupByLocalDate([], 'UTC'), []);
  });

  test('across the Apia date-line jump the skipped date never appears', () => {
    const slots = ['2011-12-30T09:00:00Z', '2011-12-30T10:00:00Z'].map(slot);
    assert.deepEqual(groupByLocalDate(slots, 'Pacific/Apia').map((d) => d.date), ['2011-12-29', '2011-12-31']);
  });
});

describe('isoUtc', () => {
  test('equals Date#toISOString for random instants, negative and far ones included', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [0, 1, 999, 86_399_999, 86_400_000, -1, -86_400_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15];
    for (let i = 0; i < 5000; i++) samples.push(Math.floor(next() * 4e12), Math.floor(next() * 4e12 / 60_000) * 60_000);
    for (const ms of samples) assert.equal(isoUtc(ms), new Date(ms).toISOString(), String(ms));
  });
});
