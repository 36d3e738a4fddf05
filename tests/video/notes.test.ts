// Notes and history: the specialist writes private notes and a shared summary; the visitor
// sees summaries of their own consultations (same email) and never the notes; a specialist
// sees notes of their own bookings only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.ts';
import { bearer, createBooking, seedPractice, type Practice } from './fixtures.ts';
import { unseal } from '../../server/security/crypto.ts';

let t: TestApp;
let p: Practice;
let mine: { id: string; manageToken: string };
let earlier: { id: string; manageToken: string };
let withBob: { id: string; manageToken: string };
let stranger: { id: string; manageToken: string };

before(async () => {
  t = await startTestApp();
  p = await seedPractice(t.database.db);
  const db = t.database.db;
  mine = await createBooking(db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-03T10:00:00Z', email: 'vera@example.test' });
  earlier = await createBooking(db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-11-03T10:00:00Z', email: 'Vera@Example.TEST', status: 'completed', summary: 'Earlier summary', notes: 'Earlier private note' });
  withBob = await createBooking(db, { specialistId: p.otherSpecialistId, serviceId: p.videoServiceId, startsAt: '2026-11-10T10:00:00Z', email: 'vera@example.test', status: 'completed', summary: 'Bob summary', notes: 'Bob private note' });
  stranger = await createBooking(db, { specialistId: p.specialistId, serviceId: p.videoServiceId, startsAt: '2026-12-04T10:00:00Z', email: 'sam@example.test', summary: 'Sam summary', notes: 'Sam note' });
});
after(() => t.close());

const putNotes = (id: string, token: string, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: `/api/specialist/bookings/${id}/notes`, headers: bearer(token), payload: payload as object });

describe('notes', () => {
  test('the specialist writes notes and a summary, and reads them back', async () => {
    const res = await putNotes(mine.id, p.specialistToken, { notes: 'Private: follow up on sleep', summary: 'We agreed on a plan.' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().notes, 'Private: follow up on sleep');
    assert.equal(res.json().summary, 'We agreed on a plan.');
    const partial = await putNotes(mine.id, p.specialistToken, { summary: 'We agreed on a plan (v2).' });
    assert.equal(partial.json().notes, 'Private: follow up on sleep', 'untouched field kept');
    const read = await t.app.inject({ url: `/api/specialist/bookings/${mine.id}/notes`, headers: bearer(p.specialistToken) });
    assert.equal(read.json().summary, 'We agreed on a plan (v2).');
  });

  test('the visitor, another specialist and the site owner can neither read nor write them', async () => {
    for (const token of [mine.manageToken, p.otherSpecialistToken, ADMIN_TOKEN]) {
      assert.equal((await t.app.inject({ url: `/api/specialist/bookings/${mine.id}/notes`, headers: bearer(token) })).statusCode, 404);
      assert.equal((await putNotes(mine.id, token, { notes: 'x' })).statusCode, 404);
    }
  });

  test('an empty or unknown body is a 400', async () => {
    assert.equal((await putNotes(mine.id, p.specialistToken, {})).statusCode, 400);
    assert.equal((await putNotes(mine.id, p.specialistToken, { notes: 'a', secret: 1 })).statusCode, 400);
    assert.equal((await putNotes(mine.id, p.specialistToken, { notes: 'x'.repeat(20_001) })).statusCode, 400);
  });
});

describe('the visitor\'s history', () => {
  test('a manage token shows its own booking only, even after the visitor attended: booking under someone else\'s email reveals nothing', async () => {
    await t.database.db.updateTable('bookings').set({ visitor_joined_at: new Date('2026-12-03T10:01:00Z') }).where('id', '=', mine.id).execute();
    for (const b of [mine, earlier]) {
      const res = await t.app.inject({ url: `/api/bookings/${b.id}/history`, headers: bearer(b.manageToken) });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().scope, 'booking');
      assert.deepEqual(res.json().consultations.map((i: { bookingId: string }) => i.bookingId), [b.id]);
    }
    const res = await t.app.inject({ url: `/api/bookings/${mine.id}/history`, headers: bearer(mine.manageToken) });
    assert.doesNotMatch(res.body, /Earlier summary|Bob summary|private|Private/);
  });

  test('a verified address lists every consultation under it (any case), with summaries and never notes', async () => {
    const sent = await t.app.inject({ method: 'POST', url: '/api/visitor/verification', payload: { email: 'VERA@example.test' } });
    assert.equal(sent.statusCode, 202, sent.body);
    const row = await t.database.db.selectFrom('notifications').select(['payload', 'recipient']).where('kind', '=', 'visitor.verification_code').executeTakeFirstOrThrow();
    const code = unseal(t.config.secretKey, (row.payload as { codeSealed: string }).codeSealed);
    const session = await t.app.inject({ method: 'POST', url: '/api/visitor/session', payload: { email: 'vera@example.test', code } });
    assert.equal(session.statusCode, 201, session.body);
    const res = await t.app.inject({ url: '/api/visitor/history', headers: bearer(session.json().token) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().scope, 'email');
    const items = res.json().consultations as Record<string, unknown>[];
    assert.deepEqual(items.map((i) => i.bookingId), [mine.id, withBob.id, earlier.id], 'newest first, other emails left out');
    assert.deepEqual(items.map((i) => i.summary), ['We agreed on a plan (v2).', 'Bob summary', 'Earlier summary']);
    assert.deepEqual(items.map((i) => i.specialistName), ['Dr Ada', 'Dr Bob', 'Dr Ada']);
    for (const item of items) assert.equal('notes' in item, false);
    assert.doesNotMatch(res.body, /private|Private/);
  });

  test('another visitor\'s token or a specialist credential does not open it', async () => {
    assert.equal((await t.app.inject({ url: `/api/bookings/${mine.id}/history`, headers: bearer(stranger.manageToken) })).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/bookings/${mine.id}/history`, headers: bearer(p.specialistToken) })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/visitor/history', headers: bearer(mine.manageToken) })).statusCode, 401);
  });
});

describe('the specialist\'s history', () => {
  test('their own consultations with the visitor, notes included; other specialists\' left out', async () => {
    const res = await t.app.inject({ url: '/api/specialist/history?visitorEmail=VERA@example.test', headers: bearer(p.specialistToken) });
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().consultations as { bookingId: string; notes: string }[];
    assert.deepEqual(items.map((i) => i.bookingId), [mine.id, earlier.id]);
    assert.deepEqual(items.map((i) => i.notes), ['Private: follow up on sleep', 'Earlier private note']);
    const bob = await t.app.inject({ url: '/api/specialist/history?visitorEmail=vera@example.test', headers: bearer(p.otherSpecialistToken) });
    assert.deepEqual(bob.json().consultations.map((i: { bookingId: string }) => i.bookingId), [withBob.id]);
  });

  test('requires a specialist credential', async () => {
    assert.equal((await t.app.inject({ url: '/api/specialist/history?visitorEmail=vera@example.test', headers: bearer(mine.manageToken) })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/specialist/history?visitorEmail=vera@example.test' })).statusCode, 401);
  });
});
