// Google Meet and Teams call state: after the meeting the outcome pass asks the specialist's
// calendar account who attended (Meet REST API conference records, participants and their
// sessions through the calendar package's OAuth client; Graph online meeting attendance reports), maps them to host
// and visitor, and decides completed / no_show with the same rules as Daily and LiveKit. When the
// provider cannot answer (the permission missing, nothing recorded, failures) the booking is left
// for the specialist to mark by hand, and the booking view says why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeGoogle } from '../fakes/google.ts';
import { FakeGraph } from '../fakes/graph.ts';
import { deliverCalendarJob } from '../../server/calendar/sync-job.ts';
import { runMaintenance } from '../../server/maintenance/jobs.ts';
import { ATTENDANCE_RETRY_MS } from '../../server/video/attendance.ts';
import { calendarRow, connectCalendar, createBooking, createPractice, getBooking, quietLog, type Practice } from '../calendar/support.ts';

const MIN = 60_000;
const clock = new TestClock('2026-12-01T08:00:00Z');
let day = 0;
/** 10:00 UTC on a later day each time (a one-hour booking). */
const nextStart = () => Date.parse('2026-12-03T10:00:00Z') + (day++) * 86_400_000;

/** A confirmed video booking whose calendar event (and meeting) exists; answers it with its times and join URL. */
async function meeting(t: TestApp, p: Practice) {
  const start = nextStart();
  clock.set(start - 60 * MIN);
  const booking = await createBooking(t.app.db, p, new Date(start).toISOString());
  await deliverCalendarJob({ db: t.app.db, config: t.app.config, log: quietLog }, await calendarRow(t.app.db, booking, 'calendar.upsert'));
  const joinUrl = (await getBooking(t.app.db, booking.id)).video_room_url!;
  assert.ok(joinUrl);
  return { id: booking.id, start, end: start + 60 * MIN, joinUrl };
}

const presence = (t: TestApp, id: string) => t.app.db.selectFrom('call_presence').selectAll().where('booking_id', '=', id).orderBy('joined_at').execute();
const view = async (t: TestApp, p: Practice, id: string) => (await t.app.inject({ url: `/api/bookings/${id}`, headers: p.auth })).json();

describe('Google Meet', () => {
  let google: FakeGoogle;
  let t: TestApp;
  let p: Practice;
  const ACCOUNT = 'ada.meet@gmail.test';

  before(async () => {
    google = await new FakeGoogle().start();
    google.consentAccount = ACCOUNT;
    google.meetPageSize = 1; // every list is paged
    t = await startTestApp({ env: { ...google.env(), VIDEO_PROVIDER: 'google_meet' }, clock });
    p = await createPractice(t.app.db);
    await connectCalendar(t.app, 'google', p);
  });
  after(async () => { await t.close(); await google.stop(); });

  test('connecting with Meet as the provider asks to read the meetings\' attendance; the calendar status says whether it may', async () => {
    const conn = await t.app.db.selectFrom('calendar_connections').select('scopes').where('specialist_id', '=', p.specialistId).executeTakeFirstOrThrow();
    assert.match(conn.scopes, /meetings\.space\.readonly/);
    const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
    assert.equal(status.json().connections[0].meetingAttendance, 'granted');
  });

  test('both attended (the host found by the account\'s own Meet identity, the guest anonymous): completed', async () => {
    const m = await meeting(t, p);
    google.holdMeeting(m.joinUrl, m.start - 3 * MIN, m.end + 2 * MIN, [
      { signedinUser: { user: google.meetUser(ACCOUNT), displayName: 'Dr. Ada' }, sessions: [{ start: m.start - 3 * MIN, end: m.end + 2 * MIN }] },
      { anonymousUser: { displayName: 'Vera' }, sessions: [{ start: m.start + MIN, end: m.start + 20 * MIN }, { start: m.start + 22 * MIN, end: m.end }] },
    ]);
    await runMaintenance(t.app, m.end + 11 * MIN); // the records are read ...
    let row = await getBooking(t.app.db, m.id);
    assert.equal(row.attendance_check, 'imported');
    assert.equal(row.status, 'confirmed', '... and decided once the room\'s time is over');
    assert.deepEqual((await presence(t, m.id)).map((r) => r.role), ['specialist', 'visitor', 'visitor']);
    const r = await runMaintenance(t.app, m.end + 31 * MIN);
    assert.equal(r.callsSettled, 1);
    row = await getBooking(t.app.db, m.id);
    assert.equal(row.status, 'completed');
    assert.equal(row.ended_at?.getTime(), m.end + 2 * MIN);
    const list = google.requests.find((x) => x.path === '/v2/conferenceRecords');
    assert.match(list!.query.get('filter')!, new RegExp(`space\\.meeting_code = "${new URL(m.joinUrl).pathname.slice(1)}" AND start_time >= "`));
    assert.ok(google.requests.some((x) => x.path.endsWith('/participantSessions')), 'sessions, not just first and last times');
  });

  test('only the visitor came: the specialist\'s no-show, the visitor told', async () => {
    const m = await meeting(t, p);
    google.holdMeeting(m.joinUrl, m.start, m.start + 25 * MIN, [
      { anonymousUser: { displayName: 'Vera' }, sessions: [{ start: m.start, end: m.start + 25 * MIN }] },
    ]);
    await runMaintenance(t.app, m.end + 31 * MIN);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.status, row.no_show_party], ['no_show', 'specialist']);
    const mails = await t.app.db.selectFrom('notifications').select('kind').where('booking_id', '=', m.id).where('kind', '=', 'visitor.specialist_absent').execute();
    assert.equal(mails.length, 1);
  });

  test('only the host came: the visitor\'s no-show', async () => {
    const m = await meeting(t, p);
    google.holdMeeting(m.joinUrl, m.start - 2 * MIN, m.start + 30 * MIN, [
      { signedinUser: { user: google.meetUser(ACCOUNT), displayName: 'Dr. Ada' }, sessions: [{ start: m.start - 2 * MIN, end: m.start + 30 * MIN }] },
    ]);
    await runMaintenance(t.app, m.end + 31 * MIN);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.status, row.no_show_party], ['no_show', 'visitor']);
  });

  test('a call still running when first asked is asked again later', async () => {
    const m = await meeting(t, p);
    const record = google.holdMeeting(m.joinUrl, m.start, null, [
      { signedinUser: { user: google.meetUser(ACCOUNT), displayName: 'Dr. Ada' }, sessions: [{ start: m.start, end: m.end + 20 * MIN }] },
      { anonymousUser: { displayName: 'Vera' }, sessions: [{ start: m.start, end: m.end + 20 * MIN }] },
    ]);
    await runMaintenance(t.app, m.end + 11 * MIN);
    assert.equal((await getBooking(t.app.db, m.id)).attendance_check, 'no_data');
    await runMaintenance(t.app, m.end + 12 * MIN);
    assert.equal((await getBooking(t.app.db, m.id)).attendance_attempts, 1, 'not asked again at once');
    (google as unknown as { conferenceRecords: { name: string; endTime: number | null }[] }).conferenceRecords.find((x) => x.name === record)!.endTime = m.end + 20 * MIN;
    await runMaintenance(t.app, m.end + 11 * MIN + ATTENDANCE_RETRY_MS);
    const row = await getBooking(t.app.db, m.id);
    assert.equal(row.attendance_check, 'imported');
    assert.equal(row.status, 'completed');
  });

  test('Meet refuses (the permission was withdrawn): left to the specialist, and the booking says why', async () => {
    const m = await meeting(t, p);
    google.failNext(/^GET \/v2\/conferenceRecords$/, 403, 'insufficientPermissions');
    await runMaintenance(t.app, m.end + 31 * MIN);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.status, row.attendance_check], ['confirmed', 'scope_missing']);
    clock.set(m.end + 31 * MIN);
    const v = await view(t, p, m.id);
    assert.equal(v.attendance, 'scope_missing');
    assert.ok(v.actions.includes('complete') && v.actions.includes('no_show'), 'the specialist marks it by hand');
    await runMaintenance(t.app, m.end + 31 * MIN + 2 * ATTENDANCE_RETRY_MS);
    assert.equal((await getBooking(t.app.db, m.id)).attendance_attempts, 1, 'not asked again: it cannot change by itself');
  });

  test('a connection made before Meet was the provider lacks the permission: nothing is asked', async () => {
    const m = await meeting(t, p);
    const conn = await t.app.db.selectFrom('calendar_connections').selectAll().where('specialist_id', '=', p.specialistId).executeTakeFirstOrThrow();
    await t.app.db.updateTable('calendar_connections').set({ scopes: conn.scopes.replace(/\s*\S*meetings\.space\.readonly/, '') }).where('id', '=', conn.id).execute();
    const before = google.requests.length;
    try {
      const status = await t.app.inject({ url: '/api/specialist/calendar', headers: p.auth });
      assert.equal(status.json().connections[0].meetingAttendance, 'missing', 'the console offers to connect again');
      await runMaintenance(t.app, m.end + 31 * MIN);
      assert.equal((await getBooking(t.app.db, m.id)).attendance_check, 'scope_missing');
      assert.ok(!google.requests.slice(before).some((x) => x.path.startsWith('/v2/')), 'Meet not asked');
    } finally {
      await t.app.db.updateTable('calendar_connections').set({ scopes: conn.scopes }).where('id', '=', conn.id).execute();
    }
  });

  test('Google rate-limits: unavailable for now, asked again after the retry interval', async () => {
    const m = await meeting(t, p);
    google.holdMeeting(m.joinUrl, m.start, m.end, [
      { signedinUser: { user: google.meetUser(ACCOUNT), displayName: 'Dr. Ada' }, sessions: [{ start: m.start, end: m.end }] },
    ]);
    google.failNext(/^GET \/v2\/conferenceRecords$/, 429);
    await runMaintenance(t.app, m.end + 11 * MIN);
    assert.equal((await getBooking(t.app.db, m.id)).attendance_check, 'unavailable');
    await runMaintenance(t.app, m.end + 11 * MIN + ATTENDANCE_RETRY_MS);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.attendance_check, row.status, row.no_show_party], ['imported', 'no_show', 'visitor']);
  });
});

describe('Microsoft Teams', () => {
  let graph: FakeGraph;
  let t: TestApp;
  let p: Practice;
  let specialistEmail: string;

  before(async () => {
    graph = await new FakeGraph().start();
    graph.pageSize = 1;
    t = await startTestApp({ env: { ...graph.env(), VIDEO_PROVIDER: 'teams' }, clock });
    p = await createPractice(t.app.db);
    specialistEmail = (await t.app.db.selectFrom('specialists').select('email').where('id', '=', p.specialistId).executeTakeFirstOrThrow()).email;
    await connectCalendar(t.app, 'outlook', p);
  });
  after(async () => { await t.close(); await graph.stop(); });

  test('the attendance report (organizer and the visitor by address): completed', async () => {
    const conn = await t.app.db.selectFrom('calendar_connections').select('scopes').where('specialist_id', '=', p.specialistId).executeTakeFirstOrThrow();
    assert.match(conn.scopes, /OnlineMeetingArtifact\.Read\.All/);
    const m = await meeting(t, p);
    graph.holdMeeting(m.joinUrl, m.start - MIN, m.end, [
      { emailAddress: graph.consentAddress, role: 'Organizer', intervals: [{ join: m.start - MIN, leave: m.end }] },
      { emailAddress: 'vera@visitor.test', role: 'Attendee', intervals: [{ join: m.start + 2 * MIN, leave: m.end - MIN }] },
    ]);
    await runMaintenance(t.app, m.end + 31 * MIN);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.attendance_check, row.status], ['imported', 'completed']);
    assert.deepEqual((await presence(t, m.id)).map((r) => r.role), ['specialist', 'visitor']);
    assert.ok(graph.requests.some((x) => x.path.endsWith('/attendanceRecords')));
  });

  test('the host by the specialist\'s own address (a presenter, not the organizer); only a guest came otherwise', async () => {
    const m = await meeting(t, p);
    graph.holdMeeting(m.joinUrl, m.start, m.end, [
      { emailAddress: 'VERA@visitor.test', role: 'Attendee', intervals: [{ join: m.start, leave: m.start + 30 * MIN }] },
      { emailAddress: specialistEmail.toUpperCase(), role: 'Presenter', intervals: [{ join: m.start + 5 * MIN, leave: m.start + 30 * MIN }] },
    ]);
    await runMaintenance(t.app, m.end + 31 * MIN);
    assert.equal((await getBooking(t.app.db, m.id)).status, 'completed');

    const alone = await meeting(t, p);
    graph.holdMeeting(alone.joinUrl, alone.start, alone.start + 15 * MIN, [
      { emailAddress: null, displayName: 'Vera (Guest)', role: 'Attendee', intervals: [{ join: alone.start, leave: alone.start + 15 * MIN }] },
    ]);
    await runMaintenance(t.app, alone.end + 31 * MIN);
    const row = await getBooking(t.app.db, alone.id);
    assert.deepEqual([row.status, row.no_show_party], ['no_show', 'specialist']);
  });

  test('no attendance report (nobody joined): asked a few times, then left to the specialist', async () => {
    const m = await meeting(t, p);
    for (let i = 0; i < 8; i++) await runMaintenance(t.app, m.end + 11 * MIN + i * ATTENDANCE_RETRY_MS);
    const row = await getBooking(t.app.db, m.id);
    assert.deepEqual([row.status, row.attendance_check, row.attendance_attempts], ['confirmed', 'no_data', 6]);
    clock.set(m.end + 31 * MIN);
    assert.equal((await view(t, p, m.id)).attendance, 'no_data');
  });

  test('a grant without the attendance permission: Graph\'s 403 leaves it to the specialist', async () => {
    const m = await meeting(t, p);
    graph.failNext(/attendanceReports$/, 403, 'Forbidden');
    await runMaintenance(t.app, m.end + 31 * MIN);
    assert.deepEqual([(await getBooking(t.app.db, m.id)).status, (await getBooking(t.app.db, m.id)).attendance_check], ['confirmed', 'scope_missing']);
  });
});
