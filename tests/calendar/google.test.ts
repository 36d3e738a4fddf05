// Google Calendar two-way sync against a local fake of Google's OAuth and Calendar API, with
// the real googleapis client pointed at it: connect (signed, expiring state), sealed tokens and
// their refresh, busy time in slots and in the booking re-check, event insert/patch/delete, rate
// limits, and a revoked grant.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { signState, unseal } from '../../server/security/crypto.ts';
import { freshBusy, refreshStaleConnections, FRESH_TIMEOUT_MS, FRESH_TTL_MS } from '../../server/calendar/busy.ts';
import { deliverCalendarJob } from '../../server/calendar/sync-job.ts';
import { CalendarRateLimitError } from '../../server/calendar/errors.ts';
import { googleEventId } from '../../server/calendar/event.ts';
import { calendarRow, cancelBooking, connectCalendar, createBooking, createPractice, getBooking, moveBooking, quietLog, slotsOn, type Practice } from './support.ts';

const ACCOUNT = 'ada@gmail.test';
const clock = new TestClock('2026-12-01T08:00:00Z');
let fake: FakeGoogle;
let t: TestApp;

before(async () => {
  fake = await new FakeGoogle().start();
  fake.consentAccount = ACCOUNT;
  fake.addAccount(ACCOUNT, [
    { id: 'family@group.calendar.google.test', summary: 'Family', accessRole: 'owner' },
    { id: 'holidays@group.v.calendar.google.test', summary: 'Holidays', accessRole: 'reader' },
  ]);
  t = await startTestApp({ env: fake.env(), clock });
});
after(async () => {
  await t.close();
  await fake.stop();
});

/** What the calendar functions take when the tests call them directly (sync passes and jobs alike). */
const deps = () => ({ db: t.app.db, config: t.app.config, clock, log: quietLog });

/** Connects the practice to `account`'s Google calendar (consent as that account). */
async function connect(p: Practice, account = ACCOUNT) {
  fake.consentAccount = account;
  try {
    return await connectCalendar(t.app, 'google', p);
  } finally {
    fake.consentAccount = ACCOUNT;
  }
}

async function connectionRow(p: Practice) {
  return t.app.db.selectFrom('calendar_connections').selectAll().where('specialist_id', '=', p.specialistId).executeTakeFirstOrThrow();
}


describe('connect', () => {
  test('the consent URL asks for offline access, consent and the least scopes, with a signed state', async () => {
    const p = await createPractice(t.app.db);
    const res = await t.app.inject({ url: '/api/specialist/calendar/google/connect', headers: p.auth });
    assert.equal(res.statusCode, 200);
    const url = new URL(res.json().url);
    assert.equal(url.origin, fake.url);
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('redirect_uri'), 'http://localhost:3000/api/calendar/google/callback');
    assert.deepEqual(url.searchParams.get('scope')!.split(' ').sort(), [
      'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
      'https://www.googleapis.com/auth/calendar.events',
      'https://www.googleapis.com/auth/calendar.freebusy',
    ]);
    assert.match(url.searchParams.get('state')!, /^[\w-]+\.\d+\.[\w-]+$/);
  });

  test('a provider this server has no credentials for answers 404 provider_not_configured', async () => {
    const p = await createPractice(t.app.db);
    const res = await t.app.inject({ url: '/api/specialist/calendar/outlook/connect', headers: p.auth });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'provider_not_configured');
    const bad = await t.app.inject({ url: '/api/specialist/calendar/yahoo/connect', headers: p.auth });
    assert.equal(bad.statusCode, 400);
  });

  test('connecting needs a specialist credential', async () => {
    const res = await t.app.inject({ url: '/api/specialist/calendar/google/connect' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'unauthorized');
  });

  test('the full flow stores sealed tokens, reads busy time at once and reports the connection', async () => {
    const p = await createPractice(t.app.db);
    fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z');
    const { res } = await connect(p);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'active');
    assert.equal(res.json().accountEmail, ACCOUNT);
    assert.equal(res.json().servingCachedBusy, false);

    const row = await connectionRow(p);
    const tokens = JSON.parse(unseal(t.config.secretKey, row.tokens_encrypted));
    assert.match(tokens.refresh_token, /^1\/\//);
    assert.match(tokens.access_token, /^ya29\./);
    // Nothing readable at rest.
    assert.ok(!row.tokens_encrypted.includes(tokens.refresh_token));
    assert.ok(!row.tokens_encrypted.includes(tokens.access_token));
    assert.match(row.tokens_encrypted, /^v1\./);

    const busy = await t.app.db.selectFrom('external_busy').selectAll().where('specialist_id', '=', p.specialistId).execute();
    assert.deepEqual(busy.map((b) => [b.starts_at.toISOString(), b.ends_at.toISOString()]), [['2026-12-02T10:00:00.000Z', '2026-12-02T11:00:00.000Z']]);

    const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
    assert.equal(status.statusCode, 200);
    assert.deepEqual(status.json().providers, { google: true, outlook: false });
    assert.equal(status.json().connections[0].provider, 'google');
  });

  test('a forged state is refused', async () => {
    const p = await createPractice(t.app.db);
    const victim = await createPractice(t.app.db);
    const start = await t.app.inject({ url: '/api/specialist/calendar/google/connect', headers: p.auth });
    const consent = await fetch(start.json().url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const state = back.searchParams.get('state')!;

    // Swap in another specialist's id and keep the signature: the HMAC no longer matches.
    const [body, expires, mac] = state.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, s: victim.specialistId })).toString('base64url');
    for (const forged of [`${forgedBody}.${expires}.${mac}`, signState(Buffer.alloc(32, 1), { ...payload, s: victim.specialistId }, Number(expires)), 'garbage']) {
      back.searchParams.set('state', forged);
      const res = await t.app.inject({ url: back.pathname + back.search });
      assert.equal(res.statusCode, 400, forged);
      assert.equal(res.json().error, 'invalid_state');
    }
    assert.equal(await t.app.db.selectFrom('calendar_connections').select('id').where('specialist_id', '=', victim.specialistId).executeTakeFirst(), undefined);
  });

  test('a browser is sent back to the console (or the embedding page) with the outcome, never to a JSON page', async () => {
    const p = await createPractice(t.app.db);
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const start = await t.app.inject({ url: `/api/specialist/calendar/google/connect?returnTo=${encodeURIComponent('http://embedder.test/wp-admin/bookings')}`, headers: p.auth });
    assert.equal(start.statusCode, 200, start.body);
    const consent = await fetch(start.json().url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const res = await t.app.inject({ url: back.pathname + back.search, headers: html });
    assert.equal(res.statusCode, 303);
    const to = new URL(res.headers.location as string);
    assert.equal(to.origin + to.pathname, 'http://embedder.test/wp-admin/bookings');
    assert.deepEqual([to.searchParams.get('calendar'), to.searchParams.get('calendarResult'), to.searchParams.get('view')], ['google', 'connected', 'calendars']);
    assert.equal((await connectionRow(p)).status, 'active');

    // Used again (or forged): back to the console with the reason.
    const again = await t.app.inject({ url: back.pathname + back.search, headers: html });
    assert.equal(again.statusCode, 303);
    assert.match(again.headers.location as string, /calendarResult=error&calendarError=invalid_code/);
    const forged = await t.app.inject({ url: '/api/calendar/google/callback?state=garbage&code=x', headers: html });
    assert.equal(forged.headers.location, 'http://localhost:3000/console/?view=calendars&calendar=google&calendarResult=error&calendarError=invalid_state');

    // Only to an allowed embedding origin: never an open redirect.
    const evil = await t.app.inject({ url: `/api/specialist/calendar/google/connect?returnTo=${encodeURIComponent('https://evil.example/')}`, headers: p.auth });
    assert.equal(evil.statusCode, 400);
    assert.deepEqual([evil.json().error, evil.json().field], ['invalid_return', 'query.returnTo']);
  });

  test('a state for another provider is refused', async () => {
    const p = await createPractice(t.app.db);
    const state = signState(t.config.secretKey, { s: p.specialistId, p: 'outlook', n: 'x' }, clock.now() + 60_000);
    const res = await t.app.inject({ url: `/api/calendar/google/callback?state=${encodeURIComponent(state)}&code=abc` });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_state');
  });

  test('an expired state is refused', async () => {
    const p = await createPractice(t.app.db);
    const start = await t.app.inject({ url: '/api/specialist/calendar/google/connect', headers: p.auth });
    const consent = await fetch(start.json().url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    clock.advance(11 * 60_000);
    try {
      const res = await t.app.inject({ url: back.pathname + back.search });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_state');
    } finally {
      clock.advance(-11 * 60_000);
    }
  });

  test('a grant with permissions unticked on the consent screen is refused', async () => {
    const p = await createPractice(t.app.db);
    const code = fake.issueCode('http://localhost:3000/api/calendar/google/callback', 'https://www.googleapis.com/auth/calendar.freebusy');
    const state = signState(t.config.secretKey, { s: p.specialistId, p: 'google', n: 'n1' }, clock.now() + 60_000);
    const res = await t.app.inject({ url: `/api/calendar/google/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}` });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'missing_permissions');
    assert.match(res.json().message, /calendar\.events/);
  });

  test('a code is good once; a refused consent is a clean 400', async () => {
    const p = await createPractice(t.app.db);
    const { back, res } = await connect(p);
    assert.equal(res.statusCode, 200);
    const again = await t.app.inject({ url: back.pathname + back.search });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'invalid_code');

    back.searchParams.delete('code');
    back.searchParams.set('error', 'access_denied');
    const denied = await t.app.inject({ url: back.pathname + back.search });
    assert.equal(denied.statusCode, 400);
    assert.equal(denied.json().error, 'consent_denied');
  });
});

describe('calendars', () => {
  test('the specialist lists calendars and picks busy and write calendars', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const list = await t.app.inject({ url: '/api/specialist/calendar/google/calendars', headers: p.auth });
    assert.equal(list.statusCode, 200, list.body);
    const calendars = list.json().calendars;
    assert.deepEqual(calendars.map((c: { id: string; busy: boolean; write: boolean; writable: boolean }) => [c.id, c.busy, c.write, c.writable]), [
      [ACCOUNT, true, true, true],
      ['family@group.calendar.google.test', false, false, true],
      ['holidays@group.v.calendar.google.test', false, false, false],
    ]);

    const unknown = await t.app.inject({ method: 'PUT', url: '/api/specialist/calendar/google', headers: p.auth, payload: { busyCalendarIds: ['nope'], writeCalendarId: 'primary' } });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error, 'unknown_calendar');
    const readOnly = await t.app.inject({ method: 'PUT', url: '/api/specialist/calendar/google', headers: p.auth, payload: { busyCalendarIds: [], writeCalendarId: 'holidays@group.v.calendar.google.test' } });
    assert.equal(readOnly.statusCode, 400);
    assert.equal(readOnly.json().error, 'calendar_read_only');

    fake.addEvent(ACCOUNT, 'family@group.calendar.google.test', '2026-12-03T12:00:00Z', '2026-12-03T13:00:00Z');
    const ok = await t.app.inject({
      method: 'PUT', url: '/api/specialist/calendar/google', headers: p.auth,
      payload: { busyCalendarIds: ['primary', 'family@group.calendar.google.test'], writeCalendarId: 'family@group.calendar.google.test', sendUpdates: 'all' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().busyCalendarIds, ['primary', 'family@group.calendar.google.test']);
    assert.equal(ok.json().sendUpdates, 'all');
    assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-03')).includes('12:00'), 'the family calendar now blocks');

    // Bookings now go to the family calendar and invite the visitor.
    const booking = await createBooking(t.app.db, p, '2026-12-04T09:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    const event = fake.event(ACCOUNT, 'family@group.calendar.google.test', googleEventId(booking.id));
    assert.ok(event);
    assert.equal(event.sendUpdates, 'all');
  });
});

describe('busy time', () => {
  test('external events block slots after a background refresh', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    assert.ok((await slotsOn(t.app.db, clock.now(), p, '2026-12-05')).includes('14:00'));
    fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-05T14:00:00Z', '2026-12-05T15:30:00Z');
    fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z', { transparency: 'transparent' });

    clock.advance(6 * 60_000); // older than the background TTL
    try {
      const refreshed = await refreshStaleConnections(deps());
      assert.ok(refreshed >= 1);
    } finally {
      clock.advance(-6 * 60_000);
    }
    const slots = await slotsOn(t.app.db, clock.now(), p, '2026-12-05');
    assert.ok(!slots.includes('14:00') && !slots.includes('15:00'), slots.join(','));
    assert.ok(slots.includes('09:00'), 'an event shown as free does not block');
  });

  test('the re-check in the booking path sees an event added a minute ago, and uses the cache within its TTL', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const from = Date.parse('2026-12-07T10:00:00Z');
    const until = Date.parse('2026-12-07T11:00:00Z');
    assert.deepEqual(await freshBusy(deps(), p.specialistId, from, until), []);

    fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-07T10:30:00Z', '2026-12-07T11:30:00Z');
    const calls = fake.requests.filter((r) => r.path.endsWith('/freeBusy')).length;
    assert.deepEqual(await freshBusy(deps(), p.specialistId, from, until), [], 'within the TTL the cache answers');
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/freeBusy')).length, calls, 'no provider call on a cache hit');

    clock.advance(FRESH_TTL_MS + 1000);
    try {
      const busy = await freshBusy(deps(), p.specialistId, from, until);
      assert.deepEqual(busy, [{ start: Date.parse('2026-12-07T10:30:00Z'), end: Date.parse('2026-12-07T11:30:00Z') }]);
    } finally {
      clock.advance(-(FRESH_TTL_MS + 1000));
    }
  });

  test('a provider failure in the re-check answers from the cache instead of throwing', async () => {
    const p = await createPractice(t.app.db);
    fake.addEvent(ACCOUNT, ACCOUNT, '2026-12-08T10:00:00Z', '2026-12-08T11:00:00Z');
    await connect(p);
    fake.failNext(/POST \/calendar\/v3\/freeBusy/, 429, 'rateLimitExceeded', 1);
    clock.advance(FRESH_TTL_MS + 1000);
    try {
      const busy = await freshBusy(deps(), p.specialistId, Date.parse('2026-12-08T00:00:00Z'), Date.parse('2026-12-09T00:00:00Z'));
      assert.ok(busy.some((b) => b.start === Date.parse('2026-12-08T10:00:00Z')));
    } finally {
      clock.advance(-(FRESH_TTL_MS + 1000));
    }
    assert.equal((await connectionRow(p)).status, 'active', 'a rate limit does not break the connection');
  });

  test('a provider slower than the bound: the re-check answers from the cache in time', async () => {
    const p = await createPractice(t.app.db);
    const email = 'slow@gmail.test';
    fake.addEvent(email, email, '2026-12-20T10:00:00Z', '2026-12-20T11:00:00Z');
    await connect(p, email);
    fake.freeBusyDelayMs = FRESH_TIMEOUT_MS + 1500;
    clock.advance(FRESH_TTL_MS + 1000);
    try {
      const started = Date.now();
      const busy = await freshBusy(deps(), p.specialistId, Date.parse('2026-12-20T00:00:00Z'), Date.parse('2026-12-21T00:00:00Z'));
      assert.ok(Date.now() - started < FRESH_TIMEOUT_MS + 1000, `took ${Date.now() - started} ms`);
      assert.equal(busy.length, 1);
    } finally {
      fake.freeBusyDelayMs = 0;
      clock.advance(-(FRESH_TTL_MS + 1000));
    }
  });

  test('on demand: the specialist refreshes busy time now', async () => {
    const p = await createPractice(t.app.db);
    const email = 'ondemand@gmail.test';
    await connect(p, email);
    fake.addEvent(email, email, '2026-12-21T10:00:00Z', '2026-12-21T11:00:00Z');
    assert.ok((await slotsOn(t.app.db, clock.now(), p, '2026-12-21')).includes('10:00'));
    const res = await t.app.inject({ method: 'POST', url: '/api/specialist/calendar/refresh', headers: p.auth });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().connections[0].status, 'active');
    assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-21')).includes('10:00'));
  });

  test('concurrent background passes (several API instances) share the connections instead of repeating them', async () => {
    await createPractice(t.app.db).then(connect);
    clock.advance(20 * 60_000); // every connection is stale by then
    try {
      const active = await t.app.db.selectFrom('calendar_connections').select('id').where('status', '=', 'active').execute();
      const before = fake.requests.filter((r) => r.path.endsWith('/freeBusy')).length;
      const [a, b] = await Promise.all([refreshStaleConnections(deps()), refreshStaleConnections(deps())]);
      assert.equal(a + b, active.length);
      assert.equal(fake.requests.filter((r) => r.path.endsWith('/freeBusy')).length - before, active.length);
      assert.equal(await refreshStaleConnections(deps()), 0, 'all fresh now');
    } finally {
      clock.advance(-20 * 60_000);
    }
  });

  test('a re-check far ahead stretches the window past freeBusy\'s 90-day limit in several queries', async () => {
    const p = await createPractice(t.app.db);
    const email = 'farahead@gmail.test';
    await connect(p, email);
    fake.addEvent(email, email, '2027-06-01T10:00:00Z', '2027-06-01T11:00:00Z');
    clock.advance(FRESH_TTL_MS + 1000);
    try {
      const busy = await freshBusy(deps(), p.specialistId, Date.parse('2027-06-01T00:00:00Z'), Date.parse('2027-06-02T00:00:00Z'));
      assert.deepEqual(busy, [{ start: Date.parse('2027-06-01T10:00:00Z'), end: Date.parse('2027-06-01T11:00:00Z') }]);
      assert.equal((await connectionRow(p)).last_error, null);
    } finally {
      clock.advance(-(FRESH_TTL_MS + 1000));
    }
  });

  test('no connection: no busy time', async () => {
    const p = await createPractice(t.app.db);
    assert.deepEqual(await freshBusy(deps(), p.specialistId, clock.now(), clock.now() + 3600_000), []);
  });
});

describe('tokens', () => {
  test('a refreshed access token is persisted sealed, keeping the refresh token', async () => {
    const p = await createPractice(t.app.db);
    fake.accessTokenTtl = 60; // inside the client's eager-refresh window: the next call refreshes first
    try {
      await connect(p);
    } finally {
      fake.accessTokenTtl = 3600;
    }
    const before = JSON.parse(unseal(t.config.secretKey, (await connectionRow(p)).tokens_encrypted));
    const refreshes = fake.requests.filter((r) => r.path === '/token' && (r.body as URLSearchParams).get('grant_type') === 'refresh_token').length;

    const list = await t.app.inject({ url: '/api/specialist/calendar/google/calendars', headers: p.auth });
    assert.equal(list.statusCode, 200);
    assert.ok(fake.requests.filter((r) => r.path === '/token' && (r.body as URLSearchParams).get('grant_type') === 'refresh_token').length > refreshes);

    const row = await connectionRow(p);
    const after = JSON.parse(unseal(t.config.secretKey, row.tokens_encrypted));
    assert.notEqual(after.access_token, before.access_token);
    assert.equal(after.refresh_token, before.refresh_token, 'Google does not resend the refresh token; ours is kept');
    assert.ok(after.expiry_date > Date.now());
    assert.ok(!row.tokens_encrypted.includes(after.access_token));
  });

  test('an access token Google stops accepting early (401) is refreshed once and the call retried', async () => {
    const p = await createPractice(t.app.db);
    const email = 'early@gmail.test';
    await connect(p, email);
    const before = JSON.parse(unseal(t.config.secretKey, (await connectionRow(p)).tokens_encrypted));
    fake.expireAccessTokens(email);
    const booking = await createBooking(t.app.db, p, '2026-12-19T10:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    assert.ok(fake.event(email, email, googleEventId(booking.id)));
    const after = JSON.parse(unseal(t.config.secretKey, (await connectionRow(p)).tokens_encrypted));
    assert.notEqual(after.access_token, before.access_token);
    assert.equal(after.refresh_token, before.refresh_token);
  });

  test('a revoked grant breaks the connection, tells the specialist, and slots keep coming from the cache', async () => {
    const p = await createPractice(t.app.db);
    const email = 'revoked@gmail.test';
    fake.addEvent(email, email, '2026-12-09T10:00:00Z', '2026-12-09T11:00:00Z');
    fake.accessTokenTtl = 60;
    try {
      await connect(p, email);
    } finally {
      fake.accessTokenTtl = 3600;
    }
    fake.revokeAll(email);

    clock.advance(6 * 60_000);
    try {
      await refreshStaleConnections(deps());
      const row = await connectionRow(p);
      assert.equal(row.status, 'broken');
      assert.match(row.last_error ?? '', /expired or revoked/);

      const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
      const conn = status.json().connections[0];
      assert.equal(conn.status, 'broken');
      assert.equal(conn.servingCachedBusy, true);
      assert.match(conn.lastError, /revoked/);

      // The specialist is emailed once, with a link to the console's calendars (not per failed call).
      await refreshStaleConnections(deps());
      const mails = await t.app.db.selectFrom('notifications').selectAll().where('kind', '=', 'specialist.calendar_broken')
        .where('recipient', '=', (await t.app.db.selectFrom('specialists').select('email').where('id', '=', p.specialistId).executeTakeFirstOrThrow()).email).execute();
      assert.equal(mails.length, 1);
      assert.deepEqual([mails[0].channel, mails[0].booking_id, (mails[0].payload as { provider: string }).provider], ['email', null, 'google']);
      const { composeAccountMessage } = await import('../../server/notifications/sender.ts');
      const message = composeAccountMessage(t.app.config, mails[0]);
      assert.match(message.subject, /Google calendar connection stopped working/);
      assert.match(message.text, /http:\/\/localhost:3000\/console\/\?view=calendars/);

      assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-09')).includes('10:00'), 'cached busy time still blocks');
      const busy = await freshBusy(deps(), p.specialistId, Date.parse('2026-12-09T00:00:00Z'), Date.parse('2026-12-10T00:00:00Z'));
      assert.equal(busy.length, 1, 'the re-check answers from the cache');

      // A calendar write for a broken connection neither throws nor retries forever.
      const booking = await createBooking(t.app.db, p, '2026-12-10T09:00:00Z');
      await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
      assert.equal((await getBooking(t.app.db, booking.id)).google_event_id, null);

      const calendars = await t.app.inject({ url: '/api/specialist/calendar/google/calendars', headers: p.auth });
      assert.equal(calendars.statusCode, 409);
      assert.equal(calendars.json().error, 'calendar_broken');

      // Reconnecting repairs it and queues the booking missed meanwhile.
      const { res } = await connect(p, email);
      assert.equal(res.json().status, 'active');
      assert.equal(res.json().lastError, null);
      const queued = await t.app.db.selectFrom('notifications').selectAll()
        .where('booking_id', '=', booking.id).where('channel', '=', 'calendar').where('status', '=', 'pending').execute();
      assert.ok(queued.some((r) => r.kind === 'calendar.upsert' && r.recipient === row.id));
    } finally {
      clock.advance(-6 * 60_000);
    }
  });
});

describe('events', () => {
  test('confirm inserts, reschedule patches, cancel deletes; an already-deleted event is fine', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const booking = await createBooking(t.app.db, p, '2026-12-11T10:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));

    const id = (await getBooking(t.app.db, booking.id)).google_event_id;
    assert.equal(id, googleEventId(booking.id));
    const event = fake.event(ACCOUNT, ACCOUNT, id!)!;
    assert.equal(event.summary, 'Consultation: Vera Visitor');
    assert.equal(event.start.dateTime, '2026-12-11T10:00:00.000Z');
    assert.equal(event.end.dateTime, '2026-12-11T11:00:00.000Z');
    assert.deepEqual(event.attendees, [{ email: 'vera@visitor.test', displayName: 'Vera Visitor' }]);
    assert.equal(event.location, `http://localhost:3000/console/?booking=${booking.id}&action=join`);
    assert.match(event.description!, /Manage this booking: http:\/\/localhost:3000\/console\/\?booking=/);
    assert.match(event.description!, /Join: /);
    assert.equal(event.sendUpdates, 'none');

    await moveBooking(t.app.db, booking.id, '2026-12-12T13:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    assert.equal(fake.event(ACCOUNT, ACCOUNT, id!)!.start.dateTime, '2026-12-12T13:00:00.000Z');
    assert.equal(fake.bookingEvents(ACCOUNT).filter((e) => e.extendedProperties?.private?.bookingId === booking.id).length, 1);

    await cancelBooking(t.app.db, booking.id);
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.delete'));
    assert.equal(fake.event(ACCOUNT, ACCOUNT, id!)!.status, 'cancelled');
    assert.equal((await getBooking(t.app.db, booking.id)).google_event_id, null);

    // Delivered twice (at-least-once): Google answers 410 Gone, which means done.
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.delete'));
  });

  test('an event deleted by hand comes back on the next change; a lost insert answer makes no duplicate', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const booking = await createBooking(t.app.db, p, '2026-12-14T10:00:00Z');
    const row = await calendarRow(t.app.db, booking, 'calendar.upsert');
    await deliverCalendarJob(deps(), row);
    const id = googleEventId(booking.id);

    // The specialist deleted it in Google Calendar; a reschedule shows it again.
    fake.event(ACCOUNT, ACCOUNT, id)!.status = 'cancelled';
    await moveBooking(t.app.db, booking.id, '2026-12-14T12:00:00Z');
    await deliverCalendarJob(deps(), row);
    assert.equal(fake.event(ACCOUNT, ACCOUNT, id)!.status, 'confirmed');
    assert.equal(fake.event(ACCOUNT, ACCOUNT, id)!.start.dateTime, '2026-12-14T12:00:00.000Z');

    // The insert happened but its answer was lost (id never stored): the retry finds it (409) and patches.
    await t.app.db.updateTable('bookings').set({ google_event_id: null }).where('id', '=', booking.id).execute();
    await deliverCalendarJob(deps(), row);
    assert.equal(fake.bookingEvents(ACCOUNT).filter((e) => e.extendedProperties?.private?.bookingId === booking.id).length, 1);
    assert.equal((await getBooking(t.app.db, booking.id)).google_event_id, id);
  });

  test('a pending booking is not written; a cancel with no stored id still removes the event', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const pending = await createBooking(t.app.db, p, '2026-12-15T10:00:00Z', 'pending');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, pending, 'calendar.upsert'));
    assert.equal(fake.event(ACCOUNT, ACCOUNT, googleEventId(pending.id)), undefined);

    const booking = await createBooking(t.app.db, p, '2026-12-15T12:00:00Z');
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert'));
    await t.app.db.updateTable('bookings').set({ google_event_id: null }).where('id', '=', booking.id).execute();
    await cancelBooking(t.app.db, booking.id);
    await deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.delete'));
    assert.equal(fake.event(ACCOUNT, ACCOUNT, googleEventId(booking.id))!.status, 'cancelled');
  });

  test('rate limits (429, 403 rateLimitExceeded) throw a retryable error honouring Retry-After; the retry succeeds', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const booking = await createBooking(t.app.db, p, '2026-12-16T10:00:00Z');
    const row = await calendarRow(t.app.db, booking, 'calendar.upsert');

    fake.failNext(/POST \/calendar\/v3\/calendars\/.*\/events$/, 429, 'rateLimitExceeded', 1, '7');
    await assert.rejects(deliverCalendarJob(deps(), row), (err: unknown) => {
      assert.ok(err instanceof CalendarRateLimitError);
      assert.equal(err.retryable, true);
      assert.equal(err.retryAfterMs, 7000);
      return true;
    });
    fake.failNext(/POST \/calendar\/v3\/calendars\/.*\/events$/, 403, 'userRateLimitExceeded', 1);
    await assert.rejects(deliverCalendarJob(deps(), row), (err: unknown) => err instanceof CalendarRateLimitError && err.status === 403 && err.retryAfterMs === null);

    // The booking itself is untouched by the failures; the queue's retry goes through.
    assert.equal((await getBooking(t.app.db, booking.id)).status, 'confirmed');
    await deliverCalendarJob(deps(), row);
    assert.equal((await getBooking(t.app.db, booking.id)).google_event_id, googleEventId(booking.id));
  });

  test('a 403 that is not a rate limit is not retried', async () => {
    const p = await createPractice(t.app.db);
    await connect(p);
    const booking = await createBooking(t.app.db, p, '2026-12-17T10:00:00Z');
    fake.failNext(/POST \/calendar\/v3\/calendars\/.*\/events$/, 403, 'forbiddenForNonOrganizer', 1);
    await assert.rejects(deliverCalendarJob(deps(), await calendarRow(t.app.db, booking, 'calendar.upsert')), (err: Error) => err.name === 'PermanentDeliveryError');
    const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
    assert.match(status.json().connections[0].lastError, /Could not write a booking: Google Calendar 403/);
    assert.equal(status.json().connections[0].status, 'active');
  });
});

describe('disconnect', () => {
  test('revokes the grant at Google and deletes tokens and busy time', async () => {
    const p = await createPractice(t.app.db);
    const email = 'leaving@gmail.test';
    fake.addEvent(email, email, '2026-12-18T10:00:00Z', '2026-12-18T11:00:00Z');
    await connect(p, email);
    assert.ok(!(await slotsOn(t.app.db, clock.now(), p, '2026-12-18')).includes('10:00'));

    const res = await t.app.inject({ method: 'DELETE', url: '/api/specialist/calendar/google', headers: p.auth });
    assert.equal(res.statusCode, 204);
    assert.ok(fake.refreshGrants(email).every((g) => g.revoked));
    assert.equal(await t.app.db.selectFrom('calendar_connections').select('id').where('specialist_id', '=', p.specialistId).executeTakeFirst(), undefined);
    assert.ok((await slotsOn(t.app.db, clock.now(), p, '2026-12-18')).includes('10:00'), 'its busy time is gone with it');

    const again = await t.app.inject({ method: 'DELETE', url: '/api/specialist/calendar/google', headers: p.auth });
    assert.equal(again.statusCode, 404);
  });
});
