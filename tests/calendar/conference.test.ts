// Google Meet and Microsoft Teams as video providers: the specialist's calendar event is created
// with a conference (Google conferenceData with conferenceDataVersion=1; Graph isOnlineMeeting),
// its join URL becomes the booking's room, the join route hands it out after the waiting room's
// window, and the event's location stays a working link (our waiting room, not a dead URL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGoogle, type FakeEvent } from '../fakes/google.ts';
import { FakeGraph } from '../fakes/graph.ts';
import { deliverCalendarJob } from '../../server/calendar/sync-job.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { calendarRow, connectCalendar, createBooking, createPractice, getBooking, quietLog, type Practice } from './support.ts';

const START = '2026-12-02T10:00:00Z';
const clock = new TestClock('2026-12-02T09:56:00Z');

async function joinAs(t: TestApp, id: string, auth: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: `/api/bookings/${id}/join`, headers: auth });
}

async function visitorToken(t: TestApp, id: string): Promise<Record<string, string>> {
  const token = `mt_${id.replace(/-/g, '')}0123456789abcdef`;
  await t.app.db.updateTable('bookings').set({ manage_token_hash: hashToken(token) }).where('id', '=', id).execute();
  return { authorization: `Bearer ${token}` };
}

describe('Google Meet', () => {
  let fake: FakeGoogle;
  let t: TestApp;
  let p: Practice;
  const ACCOUNT = 'meet@gmail.test';

  before(async () => {
    fake = await new FakeGoogle().start();
    fake.consentAccount = ACCOUNT;
    t = await startTestApp({ env: { ...fake.env(), VIDEO_PROVIDER: 'google_meet' }, clock });
    p = await createPractice(t.app.db);
    await connectCalendar(t.app, 'google', p);
  });
  after(async () => { await t.close(); await fake.stop(); });

  test('the event gets a Meet conference whose link becomes the booking\'s room; joining hands it out', async () => {
    const booking = await createBooking(t.app.db, p, START);
    const auth = await visitorToken(t, booking.id);
    const early = await joinAs(t, booking.id, auth);
    assert.equal(early.statusCode, 409, 'no meeting before the calendar event exists');
    assert.equal(early.json().error, 'conference_pending');

    const deps = { db: t.app.db, config: t.app.config, clock, log: quietLog };
    await deliverCalendarJob(deps, await calendarRow(t.app.db, booking, 'calendar.upsert'));
    const event = fake.bookingEvents(ACCOUNT)[0] as FakeEvent & { conferenceData: { createRequest: { requestId: string; conferenceSolutionKey: { type: string } } } };
    assert.equal(event.conferenceData.createRequest.conferenceSolutionKey.type, 'hangoutsMeet');
    assert.equal(event.conferenceData.createRequest.requestId, booking.id);
    const meet = (await getBooking(t.app.db, booking.id)).video_room_url!;
    assert.match(meet, /^https:\/\/meet\.google\.com\/[a-j]{3}-[a-j]{4}-[a-j]{3}$/);
    assert.equal(event.hangoutLink, meet);
    assert.match(event.location!, /\/console\/\?booking=.+&action=join$/, 'the location is our waiting room, a working link');

    const visitor = await joinAs(t, booking.id, auth);
    assert.equal(visitor.statusCode, 200, visitor.body);
    assert.equal(visitor.json().provider, 'google_meet');
    assert.equal(visitor.json().roomUrl, meet);
    assert.equal(visitor.json().token, '');
    assert.equal((await joinAs(t, booking.id, p.auth)).json().roomUrl, meet);

    // Synced again (a reschedule, a retry): the same conference, not a new one.
    await deliverCalendarJob(deps, await calendarRow(t.app.db, booking, 'calendar.upsert'));
    assert.equal((await getBooking(t.app.db, booking.id)).video_room_url, meet);
    assert.equal(fake.meetLinks.length, 1);
  });
});

describe('Microsoft Teams', () => {
  let graph: FakeGraph;
  let t: TestApp;
  let p: Practice;

  before(async () => {
    graph = await new FakeGraph().start();
    t = await startTestApp({ env: { ...graph.env(), VIDEO_PROVIDER: 'teams' }, clock });
    p = await createPractice(t.app.db);
    await connectCalendar(t.app, 'outlook', p);
  });
  after(async () => { await t.close(); await graph.stop(); });

  test('the event is an online meeting; its Teams join URL is the booking\'s room', async () => {
    const booking = await createBooking(t.app.db, p, START);
    const deps = { db: t.app.db, config: t.app.config, clock, log: quietLog };
    await deliverCalendarJob(deps, await calendarRow(t.app.db, booking, 'calendar.upsert'));
    const [event] = graph.events(graph.consentAddress);
    assert.equal(event!.isOnlineMeeting, true);
    assert.equal(event!.onlineMeetingProvider, 'teamsForBusiness');
    const teams = (await getBooking(t.app.db, booking.id)).video_room_url!;
    assert.equal(teams, event!.onlineMeeting!.joinUrl);
    assert.match(teams, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const joined = await joinAs(t, booking.id, await visitorToken(t, booking.id));
    assert.equal(joined.statusCode, 200, joined.body);
    assert.deepEqual([joined.json().provider, joined.json().roomUrl], ['teams', teams]);
  });
});
