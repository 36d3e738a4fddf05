// Hard edges of input: the measured 5xx (years out of range, leap seconds, offsets without
// minutes), framework errors in the one { error, message } shape without echoing the input,
// and arrays where one value is expected.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { parseCalendarDate, parseInstant } from '../../server/http/dates.ts';

const clock = new TestClock(T0);
let t: TestApp;
let p: Practice;
let base: string;

before(async () => {
  t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  p = await addPractice(t.database.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
after(() => t.close());

function assertErrorShape(body: unknown, what: string) {
  assert.equal(typeof body, 'object', what);
  const b = body as Record<string, unknown>;
  assert.equal(typeof b.error, 'string', `${what}: ${JSON.stringify(body)}`);
  assert.equal(typeof b.message, 'string', `${what}: ${JSON.stringify(body)}`);
  assert.ok(!('statusCode' in b) && !('code' in b), `${what}: no framework fields: ${JSON.stringify(body)}`);
}

async function inject(o: InjectOptions) {
  const res = await t.app.inject(o);
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, raw: res.body };
}

describe('the strict date and instant parser', () => {
  test('calendar-valid dates within 2000-2200 only', () => {
    assert.equal(parseCalendarDate('2024-02-29'), '2024-02-29');
    for (const bad of ['2023-02-29', '2100-02-29', '9999-12-31', '0000-01-01', '1999-12-31', '2201-01-01', '2026-13-01', '2026-1-01', ' 2026-01-01']) {
      assert.equal(parseCalendarDate(bad), null, bad);
    }
  });

  test('instants need an offset with minutes; no leap seconds; bounded years', () => {
    assert.equal(parseInstant('2026-12-22T10:00:00+01:00'), Date.parse('2026-12-22T09:00:00Z'));
    assert.equal(parseInstant('2026-12-22T10:00:00.123456Z'), Date.parse('2026-12-22T10:00:00.123Z'));
    assert.equal(parseInstant('2026-12-22T10:00:00-05:30'), Date.parse('2026-12-22T15:30:00Z'));
    for (const bad of ['2026-12-31T23:59:60Z', '2026-12-22T10:00:00+01', '2026-12-22T10:00:00', '2026-12-22 10:00:00Z',
      '9999-12-31T00:00:00Z', '2026-02-30T00:00:00Z', '2026-12-22T24:00:00Z', '2026-12-22T10:00:00+24:00', '2000-01-01T00:30:00+01:00']) {
      assert.equal(parseInstant(bad), null, bad);
    }
  });

  test('property: whatever it accepts, Date agrees with, to the millisecond', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }), (d, offsetMin) => {
        const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 23);
        const sign = offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(offsetMin);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const parsed = parseInstant(text);
        const inRange = d.getTime() >= Date.UTC(2000, 0, 1) && d.getTime() < Date.UTC(2201, 0, 1) && +local.slice(0, 4) >= 2000 && +local.slice(0, 4) <= 2200;
        if (inRange) assert.equal(parsed, d.getTime(), text);
        else assert.ok(parsed === null || parsed === d.getTime(), text);
      }));
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      const parsed = parseInstant(s);
      if (parsed !== null) assert.ok(Number.isFinite(Date.parse(s)), s);
    }));
  });
});

describe('the measured 5xx answer 400 naming the field', () => {
  test('slots for year 9999 or 0000', async () => {
    for (const [from, to, field] of [['9999-12-31', '9999-12-31', 'query.from'], ['0000-01-01', '0000-01-01', 'query.from'], ['2026-12-01', '9999-12-31', 'query.to']]) {
      const r = await inject({ url: `/api/specialists/${p.specialist.slug}/slots?service=${p.service.slug}&from=${from}&to=${to}` });
      assert.equal(r.status, 400, `${from}..${to}: ${r.raw}`);
      assert.equal(r.body.field, field);
      assert.equal(r.body.error, 'invalid_range');
    }
  });

  test('reschedule to a leap second or an offset without minutes', async () => {
    const created = await inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, '2026-12-03T10:00:00Z') });
    assert.equal(created.status, 201, created.raw);
    for (const start of ['2026-12-31T23:59:60Z', '2026-12-22T10:00:00+01', '9999-12-31T10:00:00Z']) {
      const r = await inject({ method: 'POST', url: `/api/bookings/${created.body.id}/reschedule`, payload: { start }, headers: { authorization: `Bearer ${created.body.manageToken}` } });
      assert.equal(r.status, 400, `${start}: ${r.raw}`);
      assert.equal(r.body.field, 'body.start');
      assert.equal(r.body.error, 'invalid_instant');
    }
  });

  test('a vacation in year 9999, on the admin and on the specialist route', async () => {
    const routes: [string, string][] = [
      [`/api/admin/specialists/${p.specialist.id}/overrides/vacation`, ADMIN_TOKEN],
      ['/api/specialist/overrides/vacation', p.credential],
    ];
    for (const [url, token] of routes) {
      const r = await inject({ method: 'POST', url, payload: { from: '9999-12-30', to: '9999-12-31' }, headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 400, `${url}: ${r.raw}`);
      assert.equal(r.body.field, 'body.from');
      assert.equal(r.body.error, 'invalid_date');
    }
  });

  test('a booking start out of range or without an offset', async () => {
    for (const start of ['9999-12-31T10:00:00Z', '2026-12-03T10:00:00']) {
      const r = await inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, start) });
      assert.equal(r.status, 400, `${start}: ${r.raw}`);
      assert.equal(r.body.field, 'body.start');
    }
  });
});

describe('arrays and other types where one value is expected', () => {
  test('"specialist": ["slug"] does not book', async () => {
    const body = { ...bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, '2026-12-04T10:00:00Z'), specialist: [p.specialist.slug] };
    const r = await inject({ method: 'POST', url: '/api/bookings', payload: body });
    assert.equal(r.status, 400, r.raw);
    assert.equal(r.body.field, 'body.specialist');
  });

  test('a number for a string and a string for a boolean are refused in JSON bodies', async () => {
    const r = await inject({ method: 'POST', url: '/api/bookings', payload: { ...bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, '2026-12-04T11:00:00Z'), service: 12 } });
    assert.equal(r.status, 400, r.raw);
    const patch = await inject({ method: 'PATCH', url: `/api/admin/services/${p.service.id}`, payload: { requiresApproval: 'true' }, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(patch.status, 400, patch.raw);
    assert.equal(patch.body.field, 'body.requiresApproval');
  });

  test('a repeated query key is refused for a single-valued parameter; query numbers still coerce', async () => {
    const r = await inject({ url: `/api/specialists/${p.specialist.slug}/slots?service=${p.service.slug}&service=${p.service.slug}&from=2026-12-03&to=2026-12-03` });
    assert.equal(r.status, 400, r.raw);
    assert.equal(r.body.field, 'query.service');
    const list = await inject({ url: '/api/admin/notifications?status=failed&limit=5', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(list.status, 200, list.raw);
  });
});

describe('framework errors in the one shape, never echoing the input', () => {
  test('bad percent-encoding (FST_ERR_BAD_URL)', async () => {
    const r = await inject({ url: '/api/specialists/%E0%A4%A' });
    assert.equal(r.status, 400, r.raw);
    assertErrorShape(r.body, 'bad url');
    assert.equal(r.body.error, 'bad_url');
  });

  test('a 5,000-character path parameter answers 414 without the path', async () => {
    const long = 'a'.repeat(5000);
    const r = await inject({ url: `/api/specialists/${long}` });
    assert.equal(r.status, 414, r.raw.slice(0, 200));
    assertErrorShape(r.body, '414');
    assert.ok(r.raw.length < 300, 'the answer does not echo the path');
  });

  test('an unknown long path is a short 404', async () => {
    const r = await inject({ url: `/nope/${'b'.repeat(5000)}` });
    assert.equal(r.status, 404);
    assertErrorShape(r.body, '404');
    assert.ok(r.raw.length < 300);
  });

  test('headers over 16 KB answer 431 in the shape (real HTTP)', async () => {
    const { port } = t.app.server.address() as { port: number };
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET /api/specialists HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (d) => { data += d.toString(); });
      socket.on('close', () => resolve(data));
      socket.on('error', (err) => (data ? resolve(data) : reject(err)));
    });
    assert.match(raw, /^HTTP\/1\.1 431 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    assertErrorShape(body, '431');
    assert.equal(body.error, 'headers_too_large');
  });

  test('413, 415 and malformed JSON', async () => {
    const big = await fetch(`${base}/api/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'z'.repeat(100_000) }) });
    assert.equal(big.status, 413);
    assertErrorShape(await big.json(), '413');
    const xml = await inject({ method: 'POST', url: '/api/bookings', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.status, 415, xml.raw);
    assertErrorShape(xml.body, '415');
    const secret = 'SECRET-INPUT-TEXT';
    const broken = await inject({ method: 'POST', url: '/api/bookings', payload: `{"a": ${secret}`, headers: { 'content-type': 'application/json' } });
    assert.equal(broken.status, 400, broken.raw);
    assertErrorShape(broken.body, 'bad json');
    assert.ok(!broken.raw.includes(secret), broken.raw);
    const empty = await inject({ method: 'POST', url: '/api/bookings', payload: '', headers: { 'content-type': 'application/json' } });
    assert.equal(empty.status, 400, empty.raw);
    assertErrorShape(empty.body, 'empty json');
  });

  test('a malformed request line answers 400 in the shape', async () => {
    const { port } = t.app.server.address() as { port: number };
    const raw = await new Promise<string>((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'GET', path: '/api/specialists', headers: { 'content-length': 'abc' } });
      req.on('response', (res) => { let d = ''; res.on('data', (c) => { d += c; }); res.on('end', () => resolve(`${res.statusCode} ${d}`)); });
      req.on('error', () => resolve(''));
      req.end();
    });
    if (raw !== '') {
      const [status, ...rest] = raw.split(' ');
      assert.equal(status, '400');
      assertErrorShape(JSON.parse(rest.join(' ')), 'bad request line');
    }
  });
});
