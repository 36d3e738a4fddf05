// The calendar module's pure parts: interval merging, cache coverage, Retry-After, error
// classification, event content and ids, Graph date-times, the status flag.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { busyWindow, cacheCovers, mergeIntervals, BUSY_HORIZON_MS } from '../../server/calendar/busy.ts';
import { CalendarApiError, CalendarAuthError, CalendarRateLimitError, parseRetryAfter } from '../../server/calendar/errors.ts';
import { eventDraft, googleEventId } from '../../server/calendar/event.ts';
import { googleError } from '../../server/calendar/google.ts';
import { graphInstant } from '../../server/calendar/outlook.ts';
import { toView } from '../../server/calendar/manage.ts';
import type { CalendarConnection, ServiceTerms } from '../../server/db/schema.ts';

const T = (iso: string) => Date.parse(iso);

describe('mergeIntervals', () => {
  test('joins overlapping and touching intervals, sorts, drops empty ones', () => {
    assert.deepEqual(mergeIntervals([
      { start: 50, end: 60 }, { start: 10, end: 20 }, { start: 20, end: 30 }, { start: 15, end: 18 }, { start: 40, end: 40 },
    ]), [{ start: 10, end: 30 }, { start: 50, end: 60 }]);
  });
  test('does not mutate its input', () => {
    const input = [{ start: 1, end: 5 }, { start: 2, end: 9 }];
    mergeIntervals(input);
    assert.deepEqual(input, [{ start: 1, end: 5 }, { start: 2, end: 9 }]);
  });
});

describe('cache', () => {
  const conn = { busy_fetched_at: new Date(T('2026-12-01T08:00:00Z')), busy_window_from: new Date(T('2026-12-01T08:00:00Z')), busy_window_until: new Date(T('2026-12-31T00:00:00Z')) };
  test('covers a window inside the fetched one while younger than the TTL', () => {
    assert.equal(cacheCovers(conn, T('2026-12-02T10:00:00Z'), T('2026-12-02T11:00:00Z'), T('2026-12-01T08:00:20Z'), 30_000), true);
    assert.equal(cacheCovers(conn, T('2026-12-02T10:00:00Z'), T('2026-12-02T11:00:00Z'), T('2026-12-01T08:00:31Z'), 30_000), false);
    assert.equal(cacheCovers(conn, T('2026-12-30T23:00:00Z'), T('2026-12-31T01:00:00Z'), T('2026-12-01T08:00:01Z'), 30_000), false);
    assert.equal(cacheCovers({ busy_fetched_at: null, busy_window_from: null, busy_window_until: null }, 0, 1, 0, 30_000), false);
  });
  test('the fetch window runs from now to the horizon, stretched to what is asked', () => {
    const now = T('2026-12-01T08:00:00Z');
    assert.deepEqual(busyWindow(now), { from: now, until: now + BUSY_HORIZON_MS });
    assert.deepEqual(busyWindow(now, now - 1000, now + 2 * BUSY_HORIZON_MS), { from: now - 1000, until: now + 2 * BUSY_HORIZON_MS });
  });
});

describe('Retry-After', () => {
  test('delta-seconds and HTTP dates', () => {
    const now = T('2026-12-01T08:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 08:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 07:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, now), null);
    assert.equal(parseRetryAfter('soon', now), null);
  });
});

describe('Google errors', () => {
  const body = (status: number, reason: string) => ({ error: { errors: [{ domain: 'usageLimits', reason, message: reason }], code: status, message: reason } });
  test('429 and 403 rate-limit reasons are retryable rate limits with Retry-After', () => {
    const e429 = googleError({ response: { status: 429, data: body(429, 'rateLimitExceeded'), headers: new Headers({ 'retry-after': '3' }) } });
    assert.ok(e429 instanceof CalendarRateLimitError);
    assert.equal(e429.retryAfterMs, 3000);
    for (const reason of ['rateLimitExceeded', 'userRateLimitExceeded']) {
      const e = googleError({ response: { status: 403, data: body(403, reason), headers: new Headers() } });
      assert.ok(e instanceof CalendarRateLimitError, reason);
    }
  });
  test('other 403s are permanent, 5xx retryable, invalid_grant an auth error', () => {
    const forbidden = googleError({ response: { status: 403, data: body(403, 'forbiddenForNonOrganizer') } });
    assert.ok(forbidden instanceof CalendarApiError && !forbidden.retryable);
    const backend = googleError({ response: { status: 503, data: body(503, 'backendError') } });
    assert.ok(backend instanceof CalendarApiError && backend.retryable);
    const grant = googleError({ response: { status: 400, data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } } });
    assert.ok(grant instanceof CalendarAuthError);
  });
});

describe('events', () => {
  const terms: ServiceTerms = { name: 'Consultation', durationMin: 60, priceCents: null, currency: null, cancellationPolicy: 'flexible', bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: true };
  const booking = {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e', starts_at: new Date(T('2026-12-02T10:00:00Z')), ends_at: new Date(T('2026-12-02T11:00:00Z')),
    visitor_name: 'Vera', visitor_email: 'vera@visitor.test', visitor_phone: '+4915112345678', service_terms: terms,
  };
  test('the draft carries title, links, attendee, location and sendUpdates', () => {
    const d = eventDraft(booking, { manageUrl: 'https://x/manage', joinUrl: 'https://x/join' }, 'all');
    assert.equal(d.title, 'Consultation: Vera');
    assert.equal(d.location, 'https://x/join');
    assert.match(d.description, /Join: https:\/\/x\/join/);
    assert.match(d.description, /Manage this booking: https:\/\/x\/manage/);
    assert.match(d.description, /Phone: \+4915112345678/);
    assert.deepEqual(d.attendee, { name: 'Vera', email: 'vera@visitor.test' });
    assert.equal(d.sendUpdates, 'all');
    assert.equal(eventDraft(booking, { manageUrl: null, joinUrl: null }, 'none').location, null);
  });
  test('Google event ids derived from bookings are valid base32hex, 5-1024 chars, stable', () => {
    const id = googleEventId(booking.id);
    assert.match(id, /^[a-v0-9]{5,1024}$/);
    assert.equal(id, googleEventId(booking.id.toUpperCase()));
  });
});

describe('Graph date-times', () => {
  test('offset-less values are UTC (Prefer: outlook.timezone="UTC"); explicit offsets are honoured', () => {
    assert.equal(graphInstant({ dateTime: '2026-12-02T10:00:00.0000000', timeZone: 'UTC' }), T('2026-12-02T10:00:00Z'));
    assert.equal(graphInstant({ dateTime: '2026-12-02T10:00:00+01:00' }), T('2026-12-02T09:00:00Z'));
  });
});

describe('status view', () => {
  const base = {
    id: 'c', specialist_id: 's', provider: 'google', account_email: 'a@b', tokens_encrypted: 'v1.x', scopes: '', busy_calendar_ids: ['primary'],
    write_calendar_id: 'primary', status: 'active', last_error: null, busy_fetched_at: new Date(T('2026-12-01T08:00:00Z')),
    busy_window_from: null, busy_window_until: null, created_at: new Date(), updated_at: new Date(), send_updates: 'none',
  } as CalendarConnection;
  test('flags cached busy time when broken or not refreshed for two rounds', () => {
    assert.equal(toView(base, T('2026-12-01T08:05:00Z')).servingCachedBusy, false);
    assert.equal(toView(base, T('2026-12-01T08:11:00Z')).servingCachedBusy, true);
    assert.equal(toView({ ...base, status: 'broken' }, T('2026-12-01T08:00:01Z')).servingCachedBusy, true);
  });
});
