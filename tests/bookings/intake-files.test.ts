// Documents as intake answers: uploaded before booking, recognised by content, limited per
// question, claimed once by the booking, readable by its specialist and the owner only, and
// erased with the booking's personal data.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { addPractice, bookingBody, DAY, HOUR, T0, type Practice } from './fixtures.ts';

const clock = new TestClock('2026-12-01T08:00:00Z');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500)]);

let t: TestApp;
let p: Practice;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

before(async () => {
  t = await startTestApp({ clock });
  p = await addPractice(t.database.db, {
    service: {
      intake_questions: JSON.stringify([
        { id: 'referral', label: 'Referral letter', type: 'file', required: true, accept: ['application/pdf'], maxBytes: 4096 },
        { id: 'photo', label: 'Photo', type: 'file', required: false },
      ]) as never,
    },
  });
});
after(() => t.close());

function upload(body: Buffer, question = 'referral', contentType = 'application/pdf', name = 'letter.pdf') {
  return t.app.inject({
    method: 'POST', url: `/api/uploads?service=${p.service.slug}&question=${question}&name=${encodeURIComponent(name)}`,
    headers: { 'content-type': contentType }, payload: body,
  });
}

const book = (hours: number, answers: Record<string, unknown>) => t.app.inject({
  method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 2 * DAY + hours * HOUR, { answers }),
});

describe('intake files', () => {
  test('recognised by content, not name or declared type; limited per question', async () => {
    const ok = await upload(PDF, 'referral', 'application/octet-stream', '../../etc/Überweisung.pdf');
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().contentType, 'application/pdf');
    assert.equal(ok.json().name, 'Überweisung.pdf', 'no path in the stored name');
    const renamed = await upload(EXE, 'referral', 'application/pdf', 'letter.pdf');
    assert.equal(renamed.statusCode, 415);
    assert.equal(renamed.json().error, 'unsupported_file_type');
    const png = await upload(PNG, 'referral', 'image/png', 'scan.png');
    assert.equal(png.statusCode, 415, 'this question takes PDF only');
    assert.equal((await upload(PNG, 'photo', 'image/png', 'me.png')).statusCode, 201, 'the other takes images');
    const big = await upload(Buffer.concat([PDF, Buffer.alloc(5000)]));
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error, 'file_too_large');
    assert.equal((await upload(PDF, 'nope')).statusCode, 400);
    assert.equal((await upload(Buffer.alloc(0))).statusCode, 400);
  });

  test('the booking claims its upload once; only its specialist and the owner read it', async () => {
    const up = (await upload(PDF)).json();
    assert.equal((await book(10, {})).statusCode, 400, 'required');
    const created = await book(10, { referral: up.id });
    assert.equal(created.statusCode, 201, created.body);
    const { id, manageToken } = created.json();
    assert.equal(created.json().answers.referral, up.id);
    const again = await book(12, { referral: up.id });
    assert.equal(again.statusCode, 400, 'an upload answers one booking');
    assert.equal(again.json().field, 'body.answers.referral');

    assert.equal((await t.app.inject({ url: `/api/bookings/${id}/files`, headers: bearer(manageToken) })).statusCode, 404, 'not the visitor');
    assert.equal((await t.app.inject({ url: `/api/bookings/${id}/files` })).statusCode, 404);
    const other = await addPractice(t.database.db);
    assert.equal((await t.app.inject({ url: `/api/bookings/${id}/files`, headers: bearer(other.credential) })).statusCode, 404, 'not another specialist');
    const list = await t.app.inject({ url: `/api/bookings/${id}/files`, headers: bearer(p.credential) });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().map((f: { id: string; questionId: string }) => [f.id, f.questionId]), [[up.id, 'referral']]);
    const file = await t.app.inject({ url: `/api/bookings/${id}/files/${up.id}`, headers: bearer(ADMIN_TOKEN) });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, PDF);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(String(file.headers['content-disposition']), /^attachment; filename\*=UTF-8''letter\.pdf$/);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');

    // Erased with the booking's personal data.
    const erased = await t.app.inject({ method: 'POST', url: '/api/admin/visitors/erase', headers: bearer(ADMIN_TOKEN), payload: { email: 'vera@example.com' } });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.equal((await t.app.inject({ url: `/api/bookings/${id}/files/${up.id}`, headers: bearer(ADMIN_TOKEN) })).statusCode, 404);
    const rows = await t.database.db.selectFrom('intake_files').select('id').where('booking_id', '=', id).execute();
    assert.equal(rows.length, 0);
  });

  test('an unclaimed upload expires after an hour', async () => {
    const up = (await upload(PDF)).json();
    clock.advance(61 * 60_000);
    const late = await book(14, { referral: up.id });
    assert.equal(late.statusCode, 400);
    assert.match(late.json().message, /expired/);
  });
});
