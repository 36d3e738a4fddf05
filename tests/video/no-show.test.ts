// When the specialist never came: the visitor was in the call and the host never joined. The
// booking becomes a no_show naming the specialist (the same for Daily and LiveKit, whether the
// provider's meeting end decides it or the outcome pass after the room closed), a prepaid visitor
// gets everything back through Stripe's Refund API (real SDK, fake Stripe), the visitor is told
// by email, and the booking.no_show webhook says which party did not come.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { FakeLiveKit } from '../fakes/livekit.ts';
import { addPractice, type Practice } from '../bookings/fixtures.ts';
import { bookingRow, paidBooking, paymentRow, prepaidPractice, startPayments, waitFor, type PaymentsHarness } from '../payments/support.ts';
import { runMaintenance } from '../../server/maintenance/jobs.ts';
import { onBookingChanged, type BookingEvent } from '../../server/bookings/hooks.ts';
import { callOutcome, MIN_ATTENDANCE_S } from '../../server/video/policy.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T08:00:00Z');
const sec = (ms: number) => Math.floor(ms / 1000);

let h: PaymentsHarness;
let daily: FakeDaily;
let hook: string;
let free: Practice;
let paid: Practice;
const events: { bookingId: string; event: BookingEvent }[] = [];
let day = 0;
/** A start time on a later day each time, at 10:00 UTC. */
const nextStart = () => Date.parse('2026-12-10T10:00:00Z') + (day++) * 86_400_000;

before(async () => {
  daily = await new FakeDaily().start();
  h = await startPayments({ clock: new TestClock(T0), env: { DAILY_API_KEY: daily.apiKey, DAILY_API_URL: daily.url, DAILY_WEBHOOK_SECRET: daily.webhookSecret, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
  hook = `${h.api}/api/webhooks/daily`;
  free = await addPractice(h.t.database.db, { service: { video_enabled: true, horizon_days: 90 } });
  paid = await prepaidPractice(h, { video_enabled: true });
  const endpoint = await h.call('POST', '/api/admin/webhooks', ADMIN_TOKEN, { url: 'https://hooks.example-public.test/bookings', events: ['booking.no_show'] });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  onBookingChanged(async (_app, bookingId, event) => { events.push({ bookingId, event }); });
});
after(async () => { await h.close(); await daily.stop(); });

/** A booking made through the API (free or paid), the visitor in its Daily room from 2 min before the start. */
async function visitorWaits(practice: Practice, prepaid = false) {
  const start = nextStart();
  h.clock.set(T0);
  let b: { id: string; manageToken: string };
  if (prepaid) {
    b = await paidBooking(h, practice, start);
  } else {
    const res = await h.call('POST', '/api/bookings', null, { specialist: practice.specialist.slug, service: practice.service.slug, start: new Date(start).toISOString(), visitor: { name: 'Vera Visitor', email: 'vera@example.com', timezone: 'Europe/Berlin' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    b = res.body;
  }
  h.clock.set(start - 2 * MIN);
  const join = await h.call('POST', `/api/bookings/${b.id}/join`, b.manageToken);
  assert.equal(join.status, 200, JSON.stringify(join.body));
  const room = `consult-${b.id}`;
  const joined = await daily.sendWebhook(hook, 'participant.joined', { room, joined_at: sec(start - 2 * MIN), user_id: `visitor-${b.id}`, owner: false, session_id: `v-${b.id}` }, { now: h.clock.now() });
  assert.equal(joined.status, 200);
  return { ...b, start, end: start + 60 * MIN, room };
}

const leaves = (b: { id: string; room: string; start: number }, at: number) =>
  daily.sendWebhook(hook, 'participant.left', { room: b.room, joined_at: sec(b.start - 2 * MIN), duration: sec(at - (b.start - 2 * MIN)), user_id: `visitor-${b.id}`, owner: false, session_id: `v-${b.id}` }, { now: h.clock.now() });
const ends = (b: { room: string; start: number }, at: number) =>
  daily.sendWebhook(hook, 'meeting.ended', { room: b.room, start_ts: sec(b.start - 2 * MIN), end_ts: sec(at), meeting_id: `m-${b.room}-${at}` }, { now: h.clock.now() });

const outbox = (bookingId: string) => h.t.database.db.selectFrom('notifications').selectAll().where('booking_id', '=', bookingId).execute();

describe('the specialist never came', () => {
  test('the visitor waited through the booked time: no_show naming the specialist, the visitor told, the webhook says who', async () => {
    const b = await visitorWaits(free);
    h.clock.set(b.end + MIN);
    await leaves(b, b.end + MIN);
    assert.equal((await ends(b, b.end + MIN)).status, 200);
    const row = await bookingRow(h, b.id);
    assert.equal(row.status, 'no_show');
    assert.equal(row.no_show_party, 'specialist');
    assert.equal(row.refund_cents, null, 'nothing was paid');
    assert.deepEqual(events.filter((e) => e.bookingId === b.id).map((e) => e.event), ['created', 'no_show']);

    const rows = await outbox(b.id);
    const mail = rows.find((r) => r.kind === 'visitor.specialist_absent');
    assert.ok(mail, 'the visitor is told');
    assert.equal(mail.recipient, 'vera@example.com');
    const webhook = rows.find((r) => r.channel === 'webhook' && r.kind === 'booking.no_show');
    assert.ok(webhook);
    const data = (webhook.payload as { event: { data: Record<string, unknown> } }).event.data;
    assert.equal(data.noShowParty, 'specialist');
    assert.equal(data.status, 'no_show');
    assert.ok(!rows.some((r) => r.kind === 'visitor.review_request' && r.status === 'pending'), 'no review request for a session that did not happen');

    await h.runJobs();
    const sent = h.mails.find((m) => m.to === 'vera@example.com' && String(m.subject).includes('did not join'));
    assert.ok(sent, 'the email went out');
    assert.match(String(sent.text), /did not join/);
    assert.doesNotMatch(String(sent.text), /refunded/, 'no refund to speak of');
    const own = rows.find((r) => r.kind === 'specialist.absent');
    assert.ok(own, 'the specialist is told too');
    assert.notEqual(own.recipient, 'vera@example.com');
    const theirs = h.mails.find((m) => m.to === own.recipient && String(m.subject).startsWith('Missed:'));
    assert.ok(theirs, 'their email went out');
    assert.match(String(theirs.text), /you did not join/);
    assert.doesNotMatch(String(theirs.text), /\/join|action=join/, 'no join link for a session that is over');

    const view = await h.call('GET', `/api/bookings/${b.id}`, b.manageToken);
    assert.deepEqual(view.body.noShow, { party: 'specialist', refund: null });
  });

  test('the visitor gave up early: nothing is decided at the meeting\'s end; the outcome pass decides once the room closed', async () => {
    const b = await visitorWaits(free);
    h.clock.set(b.start + 12 * MIN);
    await leaves(b, b.start + 12 * MIN);
    await ends(b, b.start + 12 * MIN);
    assert.equal((await bookingRow(h, b.id)).status, 'in_progress', 'the specialist may still come');

    await runMaintenance(h.t.app, b.end + 29 * MIN);
    assert.equal((await bookingRow(h, b.id)).status, 'in_progress', 'the room is still open');
    const r = await runMaintenance(h.t.app, b.end + 31 * MIN);
    assert.equal(r.callsSettled, 1);
    const row = await bookingRow(h, b.id);
    assert.equal(row.status, 'no_show');
    assert.equal(row.no_show_party, 'specialist');
    assert.equal(row.ended_at?.getTime(), b.start + 12 * MIN, 'the call ended when the visitor left');
    assert.equal((await runMaintenance(h.t.app, b.end + 40 * MIN)).callsSettled, 0, 'decided once');
    assert.equal((await outbox(b.id)).filter((x) => x.kind === 'visitor.specialist_absent').length, 1);
  });

  test('a visitor who was in the room only before the start, gone before it began: not the specialist\'s no-show', async () => {
    const b = await visitorWaits(free);
    h.clock.set(b.start - MIN);
    await leaves(b, b.start - MIN);
    await ends(b, b.start - MIN);
    await runMaintenance(h.t.app, b.end + 31 * MIN);
    const row = await bookingRow(h, b.id);
    assert.deepEqual([row.status, row.no_show_party], ['in_progress', null], 'left to the specialist to mark');
  });

  test('prepaid: the whole payment goes back through Stripe, exactly once, and the email says so', async () => {
    const b = await visitorWaits(paid, true);
    h.clock.set(b.end + 2 * MIN);
    await leaves(b, b.end + MIN);
    await ends(b, b.end + MIN);
    await ends(b, b.end + MIN); // delivered again: nothing more happens
    const row = await bookingRow(h, b.id);
    assert.equal(row.no_show_party, 'specialist');
    assert.deepEqual([row.refund_percent, row.refund_cents], [100, 9000]);
    await h.runJobs();
    await h.runJobs();
    await h.stripe.drained();
    const pi = (await paymentRow(h, b.id)).stripe_payment_intent_id!;
    const made = h.stripe.refundsOf(pi);
    assert.deepEqual(made.map((r) => r.amount), [9000]);
    assert.equal(made[0]!.metadata.reason, 'specialist_no_show');
    await waitFor('refund state from Stripe', async () => (await paymentRow(h, b.id)).status === 'refunded');
    const refunds = await h.t.database.db.selectFrom('refunds').selectAll().where('booking_id', '=', b.id).execute();
    assert.deepEqual(refunds.map((r) => [r.reason, r.amount_cents]), [['specialist_no_show', 9000]]);
    const sent = h.mails.find((m) => m.to === 'vera@example.com' && String(m.subject).includes('did not join') && String(m.text).includes('refunded the full amount'));
    assert.ok(sent, 'the email names the refund');
    const view = await h.call('GET', `/api/bookings/${b.id}`, paid.credential);
    assert.deepEqual(view.body.noShow, { party: 'specialist', refund: { percent: 100, cents: 9000, currency: 'EUR' } });
    const webhook = (await outbox(b.id)).find((r) => r.channel === 'webhook' && r.kind === 'booking.no_show')!;
    const data = (webhook.payload as { event: { data: { refund: unknown; noShowParty: unknown } } }).event.data;
    assert.deepEqual(data.refund, { percent: 100, amountCents: 9000, currency: 'EUR' });
  });

  test('the specialist came and the visitor did not: the visitor\'s no_show, no refund; marked by hand it is the visitor\'s too', async () => {
    const start = nextStart();
    h.clock.set(T0);
    const b = await paidBooking(h, paid, start);
    h.clock.set(start - 5 * MIN);
    assert.equal((await h.call('POST', `/api/bookings/${b.id}/join`, paid.credential)).status, 200);
    const room = `consult-${b.id}`;
    await daily.sendWebhook(hook, 'participant.joined', { room, joined_at: sec(start - 5 * MIN), user_id: `specialist-${paid.specialist.id}`, owner: true, session_id: `s-${b.id}` }, { now: h.clock.now() });
    h.clock.set(start + 20 * MIN);
    await ends({ room, start }, start + 20 * MIN);
    const row = await bookingRow(h, b.id);
    assert.equal(row.status, 'no_show');
    assert.equal(row.no_show_party, 'visitor');
    assert.equal(row.refund_cents, null);
    const webhook = (await outbox(b.id)).find((r) => r.channel === 'webhook' && r.kind === 'booking.no_show')!;
    assert.equal((webhook.payload as { event: { data: { noShowParty: unknown } } }).event.data.noShowParty, 'visitor');
    assert.equal((await outbox(b.id)).filter((r) => r.kind === 'visitor.specialist_absent').length, 0);

    const other = await visitorWaits(free);
    h.clock.set(other.start + 10 * MIN);
    const marked = await h.call('POST', `/api/specialist/bookings/${other.id}/no-show`, free.credential);
    assert.equal(marked.status, 200, JSON.stringify(marked.body));
    assert.equal((await bookingRow(h, other.id)).no_show_party, 'visitor');
    assert.deepEqual(marked.body.noShow, { party: 'visitor', refund: null });
  });
});

describe('recorded by the site owner where the call could not tell', () => {
  test('after the start: the specialist\'s no-show with the full refund and the visitor told; before it, twice, or by the specialist: refused', async () => {
    const start = nextStart();
    h.clock.set(T0);
    const b = await paidBooking(h, paid, start);
    const mark = (token: string) => h.call('POST', `/api/admin/bookings/${b.id}/specialist-no-show`, token);
    h.clock.set(start - MIN);
    const early = await mark(ADMIN_TOKEN);
    assert.equal(early.status, 409);
    assert.equal(early.body.error, 'invalid_transition');
    h.clock.set(start + 15 * MIN);
    assert.equal((await mark(paid.credential)).status, 401, 'the site owner\'s, not the specialist\'s');
    const res = await mark(ADMIN_TOKEN);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.noShow, { party: 'specialist', refund: { percent: 100, cents: 9000, currency: 'EUR' } });
    assert.equal((await mark(ADMIN_TOKEN)).status, 409, 'once');
    await h.runJobs();
    await h.stripe.drained();
    const pi = (await paymentRow(h, b.id)).stripe_payment_intent_id!;
    assert.deepEqual(h.stripe.refundsOf(pi).map((r) => [r.amount, r.metadata.reason]), [[9000, 'specialist_no_show']]);
    assert.equal((await outbox(b.id)).filter((r) => r.kind === 'visitor.specialist_absent').length, 1);
    assert.deepEqual(events.filter((e) => e.bookingId === b.id).map((e) => e.event).slice(-1), ['no_show']);
  });
});

describe('the same for LiveKit', () => {
  let lk: FakeLiveKit;
  let lkApp: TestApp;
  let lkHook: string;
  before(async () => {
    lk = await new FakeLiveKit().start();
    lkApp = await startTestApp({ clock: h.clock, database: h.t.database, env: { VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret } });
    await lkApp.app.listen({ port: 0, host: '127.0.0.1' });
    lkHook = `http://127.0.0.1:${(lkApp.app.server.address() as { port: number }).port}/api/webhooks/livekit`;
  });
  after(async () => { await lkApp.app.close(); await lk.stop(); });

  test('participant_joined for the visitor only, room_finished after the booked end: the specialist\'s no_show', async () => {
    const start = nextStart();
    h.clock.set(T0);
    const res = await h.call('POST', '/api/bookings', null, { specialist: free.specialist.slug, service: free.service.slug, start: new Date(start).toISOString(), visitor: { name: 'Vera Visitor', email: 'vera@example.com', timezone: 'Europe/Berlin' } });
    const b = res.body as { id: string; manageToken: string };
    h.clock.set(start - 2 * MIN);
    const join = await lkApp.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/join`, headers: { authorization: `Bearer ${b.manageToken}` } });
    assert.equal(join.statusCode, 200, join.body);
    const room = { sid: 'RM_x', name: `consult-${b.id}` };
    const participant = { sid: 'PA_v', identity: `visitor-${b.id}`, joinedAt: String(sec(start - 2 * MIN)) };
    assert.equal((await lk.sendWebhook(lkHook, { event: 'participant_joined', room, participant })).status, 200);
    assert.equal((await lk.sendWebhook(lkHook, { event: 'participant_left', room, participant, createdAt: String(sec(start + 61 * MIN)) })).status, 200);
    assert.equal((await lk.sendWebhook(lkHook, { event: 'room_finished', room, createdAt: String(sec(start + 63 * MIN)) })).status, 200);
    const row = await bookingRow(h, b.id);
    assert.equal(row.status, 'no_show');
    assert.equal(row.no_show_party, 'specialist');
  });
});

describe('the rule (policy.ts callOutcome)', () => {
  const starts = new Date('2026-12-01T10:00:00Z');
  const endsAt = new Date('2026-12-01T11:00:00Z');
  const at = (min: number) => new Date(starts.getTime() + min * MIN);
  const a = (o: Partial<Parameters<typeof callOutcome>[0]>) => ({ visitorS: 0, specialistS: 0, visitorCame: false, specialistCame: false, visitorAtStart: false, ...o });

  test('the specialist\'s no-show only once the booked time is over or the room closed', () => {
    const waited = a({ visitorCame: true, visitorS: 600, visitorAtStart: true });
    assert.equal(callOutcome(waited, starts, endsAt, at(20)), null);
    assert.deepEqual(callOutcome(waited, starts, endsAt, at(60)), { status: 'no_show', noShowParty: 'specialist' });
    assert.deepEqual(callOutcome(waited, starts, endsAt, at(20), true), { status: 'no_show', noShowParty: 'specialist' });
    // Early and gone before the start: nobody was there when it began, so nothing is decided.
    assert.equal(callOutcome(a({ visitorCame: true, visitorS: 120 }), starts, endsAt, at(60), true), null);
  });

  test('both there: completed; the visitor only for a moment: the visitor\'s no-show; nobody: nothing', () => {
    assert.deepEqual(callOutcome(a({ visitorCame: true, specialistCame: true, visitorS: MIN_ATTENDANCE_S, specialistS: 900 }), starts, endsAt, at(30)), { status: 'completed', noShowParty: null });
    assert.deepEqual(callOutcome(a({ visitorCame: true, specialistCame: true, visitorS: MIN_ATTENDANCE_S - 1, specialistS: 900 }), starts, endsAt, at(30)), { status: 'no_show', noShowParty: 'visitor' });
    assert.equal(callOutcome(a({}), starts, endsAt, at(60), true), null);
  });
});
