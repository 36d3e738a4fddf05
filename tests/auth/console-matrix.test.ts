// Authorization stays on the server: the console's own API client (widget/src/console/api.ts)
// against the real API over HTTP, with a specialist's session, another specialist's, the site
// owner's and none. A specialist's session reaches only that specialist's bookings, notes,
// history, schedule and sessions; the practice's records need the owner; nothing needs less.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { ConsoleApi } from '../../widget/src/console/api.ts';
import { ApiError } from '../../widget/src/api.ts';
import { addPractice, bookingBody, DAY, HOUR, T0, type Practice } from '../bookings/fixtures.ts';
import { link } from '../availability/fixtures.ts';

const clock = new TestClock(T0);
let t: TestApp;
let base = '';
let a: Practice;
let b: Practice;
let bookingOfA = '';
let bookingOfB = '';
let asA: ConsoleApi;
let asB: ConsoleApi;
let asOwner: ConsoleApi;
let anonymous: ConsoleApi;

async function signIn(key: string): Promise<ConsoleApi> {
  const session = await new ConsoleApi(base).signInKey(key);
  return new ConsoleApi(base, session.token);
}

/** The status an API call is refused with (fails if it succeeds). */
async function refused(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err.status;
  }
  assert.fail('the call was allowed');
}

before(async () => {
  t = await startTestApp({ clock });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  a = await addPractice(t.app.db);
  b = await addPractice(t.app.db);
  await link(t.app.db, b.specialist.id, a.service.id);
  const book = async (p: Practice, start: number, email: string) => {
    const res = await fetch(`${base}/api/bookings`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start, { visitor: { name: 'Vera', email, timezone: 'UTC' } })),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as { id: string }).id;
  };
  bookingOfA = await book(a, T0 + 2 * DAY + 9 * HOUR, 'shared@visitor.test');
  bookingOfB = await book(b, T0 + 2 * DAY + 9 * HOUR, 'shared@visitor.test');
  asA = await signIn(a.credential);
  asB = await signIn(b.credential);
  asOwner = await signIn(ADMIN_TOKEN);
  anonymous = new ConsoleApi(base);
});
after(() => t.close());

const week = () => [new Date(T0).toISOString(), new Date(T0 + 7 * DAY).toISOString()] as const;

describe('a specialist\'s session', () => {
  test('sees its own agenda, bookings, notes and history, and nothing of another specialist\'s', async () => {
    const agenda = await asA.agenda(...week());
    assert.deepEqual(agenda.bookings.map((x) => x.id), [bookingOfA]);
    assert.equal((await asA.bookingById(bookingOfA)).id, bookingOfA);
    await asA.saveNotes(bookingOfA, { notes: 'mine', summary: 'for the visitor' });
    assert.equal((await asA.notes(bookingOfA)).notes, 'mine');
    // The same visitor booked both: A's history shows A's consultation only, with A's notes.
    const history = (await asA.visitorHistory('shared@visitor.test')).consultations;
    assert.deepEqual(history.map((h) => h.bookingId), [bookingOfA]);

    for (const [what, call] of [
      ['read', () => asA.bookingById(bookingOfB)],
      ['approve', () => asA.decide(bookingOfB, 'approve')],
      ['complete', () => asA.decide(bookingOfB, 'complete')],
      ['cancel', () => asA.cancelBooking(bookingOfB)],
      ['reschedule', () => asA.moveBooking(bookingOfB, new Date(T0 + 3 * DAY + 9 * HOUR).toISOString())],
      ['notes', () => asA.notes(bookingOfB)],
      ['write notes', () => asA.saveNotes(bookingOfB, { notes: 'x' })],
      ['send summary', () => asA.sendSummary(bookingOfB)],
      ['join', () => asA.joinAsHost(bookingOfB)],
    ] as const) {
      assert.equal(await refused(call), 404, `${what}: another specialist's booking is as unknown as a missing one`);
    }
    assert.equal((await asB.notes(bookingOfB)).notes, '', 'nothing leaked into B\'s booking');
  });

  test('edits its own schedule only, and none of the practice\'s records', async () => {
    assert.equal((await asA.hours({ own: true })).specialistId, a.specialist.id);
    for (const [what, call] of [
      ['another\'s hours', () => asA.hours({ specialist: b.specialist.id })],
      ['set another\'s hours', () => asA.saveHours({ specialist: b.specialist.id }, [])],
      ['practice bookings', () => asA.practiceBookings({})],
      ['CSV export', () => asA.practiceBookingsCsv({})],
      ['specialists', () => asA.specialists()],
      ['add a specialist', () => asA.createSpecialist({ slug: 'x-y', name: 'X', email: 'x@y.test', timezone: 'UTC' })],
      ['services', () => asA.adminServices()],
      ['origins', () => asA.origins()],
      ['webhooks', () => asA.webhooks()],
      ['failed notifications', () => asA.failedNotifications()],
      ['owners', () => asA.owners()],
      ['a booking\'s notifications', () => asA.bookingNotifications(bookingOfA)],
      ['issue a credential', () => asA.issueCredential(a.specialist.id, 'x')],
    ] as const) {
      assert.equal(await refused(call), 401, what);
    }
  });

  test('lists and revokes its own sessions only', async () => {
    const mine = (await asA.sessions()).sessions;
    assert.ok(mine.every((s) => s.role === 'specialist') && mine.some((s) => s.current));
    const theirs = (await asB.sessions()).sessions;
    assert.equal(await refused(() => asA.revokeSession(theirs[0]!.id)), 404);
    assert.equal((await asB.me()).id, b.specialist.id, 'B is still signed in');
  });
});

describe('the site owner\'s session', () => {
  test('sees the whole practice but neither hosts calls nor reads private notes', async () => {
    const page = await asOwner.practiceBookings({ limit: 50 });
    assert.deepEqual(page.bookings.map((x) => x.id).sort(), [bookingOfA, bookingOfB].sort());
    assert.ok((await asOwner.practiceBookingsCsv({})).size > 0);
    assert.equal((await asOwner.bookingById(bookingOfB)).id, bookingOfB);
    assert.equal((await asOwner.hours({ specialist: b.specialist.slug })).specialistId, b.specialist.id);
    assert.equal(await refused(() => asOwner.notes(bookingOfA)), 404, 'notes are the specialist\'s');
    assert.equal(await refused(() => asOwner.joinAsHost(bookingOfA)), 403, 'the owner is not one of the two in the call');
    assert.equal(await refused(() => asOwner.decide(bookingOfA, 'approve')), 401, 'decisions are the specialist\'s');
    assert.equal(await refused(() => asOwner.agenda(...week())), 401);
  });
});

describe('without a session', () => {
  test('everything but signing in is refused', async () => {
    for (const call of [
      () => anonymous.session(), () => anonymous.agenda(...week()), () => anonymous.bookingById(bookingOfA),
      () => anonymous.practiceBookings({}), () => anonymous.specialists(), () => anonymous.hours({ own: true }),
    ]) {
      assert.ok([401, 404].includes(await refused(call)));
    }
  });

  test('a revoked session is noticed by the console client at its next call', async () => {
    const api = await signIn(a.credential);
    let ended = 0;
    api.onUnauthorized = () => { ended++; };
    await api.me();
    await api.signOut();
    assert.equal(await refused(() => api.me()), 401);
    assert.equal(ended, 1);
  });
});
