// Outlook sync over Microsoft Graph against a local fake of the Microsoft identity platform and
// Graph: connect, rotating refresh tokens persisted sealed, calendarView busy time by showAs
// (with paging), events create/patch/delete, throttling, and a revoked grant.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGraph } from '../fakes/graph.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { unseal } from '../../server/security/crypto.ts';
import { freshBusy, refreshStaleConnections, FRESH_TTL_MS } from '../../server/calendar/busy.ts';
import { deliverCalendarJob } from '../../server/calendar/sync-job.ts';
import { CalendarRateLimitError } from '../../server/calendar/errors.ts';
import { calendarRow, cancelBooking, connectCalendar, createBooking, createPractice, getBooking, moveBooking, quietLog, slotsOn, type Practice } from './support.ts';

const ADDRESS = 'ada@contoso.test';
const clock = new TestClock('2026-12-01T08:00:00Z');
let graph: FakeGraph;
let google: FakeGoogle;
let t: TestApp;

before(async () => {
  graph = await new FakeGraph().start();
  google = await new FakeGoogle().start();
  graph.consentAddress = ADDRESS;
  t = await startTestApp({ env: { ...graph.env(), ...google.env() }, clock });
});
after(async () => {
  await t.close();
  await graph.stop();
  await google.stop();
});

/** What the calendar functions take when the tests call them directly (sync passes and jobs alike). */
const deps = () => ({ db: t.app.db, config: t.app.config, clock, log: quietLog });

/** Connects the practice to `address`'s Outlook calendar (consent as that mailbox). */
async function connect(p: Practice, address = ADDRESS) {
  graph.consentAddress = address;
  try {
    return await connectCalendar(t.app, 'outlook', p);
  } finally {
    graph.consentAddress = ADDRESS;
  }
}

async function connectionRow(p: Practice, provider: 'google' | 'outlook' = 'outlook') {
  return t.app.db.selectFrom('calendar_connections').selectAll()
    .where('specialist_id', '=', p.specialistId).where('provider', '=', provider).executeTakeFirstOrThrow();
}


describe('connect', () => {
  test('the authorize URL uses the tenant endpoint, offline access and Calendars.ReadWrite only', async () => {
    const p = await createPractice(t.app.db);
    const res = await t.app.inject({ url: '/api/specialist/calendar/outlook/connect', headers: p.auth });
    const url = new URL(res.json().url);
    assert.equal(`${url.origin}${url.pathname}`, `${graph.url}/common/oauth2/v2.0/authorize`);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('redirect_uri'), 'http://localhost:3000/api/calendar/outlook/callback');
    assert.deepEqual(url.searchParams.get('scope')!.split(' '), ['offline_access', 'https://graph.microsoft.com/Calendars.ReadWrite']);
    assert.ok(url.searchParams.get('state'));
  });

  test('the flow stores sealed tokens and the account address, and lists calendars', async () => {
    const p = await createPractice(t.app.db);
    graph.addCalendar(ADDRESS, 'Team', true);
    graph.addCalendar(ADDRESS, 'Shared (read only)', false);
    const { res, back } = await connect(p);
    assert.equal(res.json().accountEmail, ADDRESS);
    assert.equal(res.json().provider, 'outlook');

    const row = await connectionRow(p);
    const tokens = JSON.parse(unseal(t.config.secretKey, row.tokens_encrypted));
    assert.ok(tokens.refresh_token && tokens.access_token);
    assert.ok(!row.tokens_encrypted.includes(tokens.refresh_token));

    const list = await t.app.inject({ url: '/api/specialist/calendar/outlook/calendars', headers: p.auth });
    assert.equal(list.statusCode, 200);
    const names = list.json().calendars.map((c: { name: string; primary: boolean; writable: boolean; write: boolean }) => [c.name, c.primary, c.writable, c.write]);
    assert.deepEqual(names, [['Calendar', true, true, true], ['Team', false, true, false], ['Shared (read only)', false, false, false]]);

    // The code was redeemed: a replay is refused.
    const replay = await t.app.inject({ url: back.pathname + back.search });
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json().error, 'invalid_code');
  });

  test('Google and Outlook can be connected side by side', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const start = await t.app.inject({ url: '/api/specialist/calendar/google/connect', headers: p.auth });
    const consent = await fetch(start.json().url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    assert.equal((await t.app.inject({ url: back.pathname + back.search })).statusCode, 200);
    const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
    assert.deepEqual(status.json().connections.map((c: { provider: string }) => c.provider), ['google', 'outlook']);
    assert.deepEqual(status.json().providers, { google: true, outlook: true });
  });
});

describe('busy time', () => {
  test('busy, out-of-office and tentative events block; free and working-elsewhere do not; pages are followed', async () => {
    const p = await createPractice(t.app.db);
    const address = 'showas@contoso.test';
    graph.addEvent(address, '2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z', 'busy');
    graph.addEvent(address, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z', 'oof');
    graph.addEvent(address, '2026-12-02T11:00:00Z', '2026-12-02T12:00:00Z', 'tentative');
    graph.addEvent(address, '2026-12-02T13:00:00Z', '2026-12-02T14:00:00Z', 'free');
    graph.addEvent(address, '2026-12-02T14:00:00Z', '2026-12-02T15:00:00Z', 'workingElsewhere');
    graph.addEvent(address, '2026-12-02T15:00:00Z', '2026-12-02T16:00:00Z', 'busy', undefined, { isCancelled: true });
    graph.pageSize = 2;
    try {
      await connect(p, address);
    } finally {
      graph.pageSize = 100;
    }
    assert.ok(graph.requests.some((r) => r.path.endsWith('/calendarView') && r.query.get('$skip') === '4'), 'the client followed @odata.nextLink');
    assert.ok(graph.requests.filter((r) => r.path.endsWith('/calendarView')).every((r) => r.headers.prefer === 'outlook.timezone="UTC"'));
    assert.deepEqual(await slotsOn(t.app.db, clock.now(), p, '2026-12-02'), ['12:00', '13:00', '14:00', '15:00', '16:00']);
  });

  test('the re-check sees an event added after the cache was filled once the TTL passed', async () => {
    const p = await createPractice(t.app.db);
    const address = 'recheck@contoso.test';
    await connect(p, address);
    const from = Date.parse('2026-12-03T10:00:00Z');
    const until = Date.parse('2026-12-03T11:00:00Z');
    graph.addEvent(address, '2026-12-03T10:15:00Z', '2026-12-03T10:45:00Z', 'busy');
    assert.deepEqual(await freshBusy(deps(), p.specialistId, from, until), []);
    clock.advance(FRESH_TTL_MS + 1);
    try {
      assert.deepEqual(await freshBusy(deps(), p.specialistId, from, until), [{ start: Date.parse('2026-12-03T10:15:00Z'), end: Date.parse('2026-12-03T10:45:00Z') }]);
    } finally {
      clock.advance(-(FRESH_TTL_MS + 1));
    }
  });
});

describe('tokens', () => {
  test('an expired access token is refreshed; the rotated refresh token is persisted sealed', async () => {
    const p = await createPractice(t.app.db);
    const address = 'rotate@contoso.test';
    graph.accessTokenTtl = 30; // inside our one-minute margin: the next call refreshes first
    try {
      await connect(p, address);
    } finally {
      graph.accessTokenTtl = 3600;
    }
    const before = JSON.parse(unseal(t.config.secretKey, (await connectionRow(p)).tokens_encrypted));
    const list = await t.app.inject({ url: '/api/specialist/calendar/outlook/calendars', headers: p.auth });
    assert.equal(list.statusCode, 200);
    const row = await connectionRow(p);
    const after = JSON.parse(unseal(t.config.secretKey, row.tokens_encrypted));
    assert.notEqual(after.access_token, before.access_token);
    assert.notEqual(after.refresh_token, before.refresh_token, 'Microsoft rotates refresh tokens; the new one is kept');
    assert.ok(!row.tokens_encrypted.includes(after.refresh_token));

    // The old refresh token is dead at the fake, so only the persisted one keeps the connection alive.
    const refreshed = await t.app.inject({ url: '/api/specialist/calendar/outlook/calendars', headers: p.auth });
    assert.equal(refreshed.statusCode, 200);
  });

  test('a revoked grant breaks the connection; status says so; slots keep the cached busy time', async () => {
    const p = await createPractice(t.app.db);
    const address = 'revoked@contoso.test';
    graph.addEvent(address, '2026-12-04T10:00:00Z', '2026-12-04T11:00:00Z', 'busy');
    graph.accessTokenTtl = 30;
    try {
      await connect(p, address);
    } finally {
      graph.accessTokenTtl = 3600;
    }
    graph.revokeAll(address);
    clock.advance(6 * 60_000);
    try {
      await refreshStaleConnections(deps());
    } finally {
      clock.advance(-6 * 60_000);
    }
    const row = await connectionRow(p);
    assert.equal(row.status, 'broken');
    assert.match(row.last_error ?? '', /AADSTS70008/);
    const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
    assert.equal(status.json().connections[0].servingCachedBusy, true);
    assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-04')).includes('10:00'));
  });
});

describe('events', () => {
  test('create, patch on reschedule, delete on cancel; a deleted event is not an error', async () => {
    const p = await createPractice(t.app.db);
    const address = 'events@contoso.test';
    await connect(p, address);
    const booking = await createBooking(t.app.db, p, '2026-12-05T10:00:00Z');
    const row = await calendarRow(t.app.db, booking, 'calendar.upsert', (await connectionRow(p)).id);
    await deliverCalendarJob(deps(), row);

    const id = (await getBooking(t.app.db, booking.id)).outlook_event_id!;
    const event = graph.event(address, id)!;
    assert.equal(event.subject, 'Consultation: Vera Visitor');
    assert.equal(event.start.dateTime, '2026-12-05T10:00:00.000');
    assert.equal(event.start.timeZone, 'UTC');
    assert.match(event.body!.content, /Manage this booking: /);
    assert.equal(event.location!.displayName, `http://localhost:3000/console/?booking=${booking.id}&action=join`);
    assert.deepEqual(event.attendees, [], 'sendUpdates none: Graph would invite every attendee, so the visitor is only named');
    assert.equal(event.transactionId, booking.id);

    // A retried create after a lost answer (id not stored) returns the same event.
    await t.app.db.updateTable('bookings').set({ outlook_event_id: null }).where('id', '=', booking.id).execute();
    await deliverCalendarJob(deps(), row);
    assert.equal((await getBooking(t.app.db, booking.id)).outlook_event_id, id);
    assert.equal(graph.events(address).length, 1);

    await moveBooking(t.app.db, booking.id, '2026-12-06T15:00:00Z');
    await deliverCalendarJob(deps(), row);
    assert.equal(graph.event(address, id)!.start.dateTime, '2026-12-06T15:00:00.000');

    // Deleted by hand in Outlook: the next change creates it again.
    graph.deleteEvent(address, id);
    await moveBooking(t.app.db, booking.id, '2026-12-06T16:00:00Z');
    await deliverCalendarJob(deps(), row);
    const recreated = (await getBooking(t.app.db, booking.id)).outlook_event_id!;
    assert.notEqual(recreated, id);
    assert.equal(graph.event(address, recreated)!.start.dateTime, '2026-12-06T16:00:00.000');

    await cancelBooking(t.app.db, booking.id);
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.delete'));
    assert.equal(graph.event(address, recreated), undefined);
    assert.equal((await getBooking(t.app.db, booking.id)).outlook_event_id, null);
  });

  test('a delete of an event already gone (404) completes', async () => {
    const p = await createPractice(t.app.db);
    const address = 'gone@contoso.test';
    await connect(p, address);
    const booking = await createBooking(t.app.db, p, '2026-12-07T10:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    graph.deleteEvent(address, (await getBooking(t.app.db, booking.id)).outlook_event_id!);
    await cancelBooking(t.app.db, booking.id);
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.delete'));
    assert.equal((await getBooking(t.app.db, booking.id)).outlook_event_id, null);
  });

  test('throttling (429 + Retry-After) is a retryable error; the retry succeeds', async () => {
    const p = await createPractice(t.app.db);
    const address = 'throttled@contoso.test';
    await connect(p, address);
    const booking = await createBooking(t.app.db, p, '2026-12-08T10:00:00Z');
    const row = await calendarRow(t.app.db, booking, 'calendar.upsert');
    graph.failNext(/POST \/v1\.0\/me\/calendar\/events/, 429, 'TooManyRequests', 1, '12');
    await assert.rejects(deliverCalendarJob(deps(), row), (err: unknown) => err instanceof CalendarRateLimitError && err.retryAfterMs === 12_000);
    assert.equal((await getBooking(t.app.db, booking.id)).status, 'confirmed');
    await deliverCalendarJob(deps(), row);
    assert.ok((await getBooking(t.app.db, booking.id)).outlook_event_id);
  });

  test('with sendUpdates "all" the visitor is invited as an attendee', async () => {
    const p = await createPractice(t.app.db);
    const address = 'invite@contoso.test';
    await connect(p, address);
    const put = await t.app.inject({ method: 'PUT', url: '/api/specialist/calendar/outlook', headers: p.auth, payload: { busyCalendarIds: ['primary'], writeCalendarId: 'primary', sendUpdates: 'all' } });
    assert.equal(put.statusCode, 200, put.body);
    const booking = await createBooking(t.app.db, p, '2026-12-09T10:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    const event = graph.event(address, (await getBooking(t.app.db, booking.id)).outlook_event_id!)!;
    assert.deepEqual(event.attendees, [{ emailAddress: { address: 'vera@visitor.test', name: 'Vera Visitor' }, type: 'required' }]);
  });
});

describe('disconnect', () => {
  test('deletes the tokens and the cached busy time', async () => {
    const p = await createPractice(t.app.db);
    const address = 'bye@contoso.test';
    graph.addEvent(address, '2026-12-10T10:00:00Z', '2026-12-10T11:00:00Z', 'busy');
    await connect(p, address);
    assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-10')).includes('10:00'));
    const res = await t.app.inject({ method: 'DELETE', url: '/api/specialist/calendar/outlook', headers: p.auth });
    assert.equal(res.statusCode, 204);
    assert.ok((await slotsOn(t.app.db, clock.now(), p, '2026-12-10')).includes('10:00'));
  });
});
