// The API's description of itself matches what it does: a valid OpenAPI document (checked with
// an independent validator), optional query fields marked optional, the framework's error
// answers documented on every operation; CORS exposes the rate-limit headers actually sent; and a
// known booking id with a wrong token costs the same work as an unknown id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { T0, addPractice, bookingBody } from '../bookings/fixtures.ts';

const clock = new TestClock(T0);
let t: TestApp;
let doc: any;

before(async () => {
  t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '3' } });
  doc = (await t.app.inject({ url: '/openapi.json' })).json();
});
after(() => t.close());

const operations = () => Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map(([method, op]) => ({ path, method, op })));

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3 (@seriousme/openapi-schema-validator)', async () => {
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
  });

  test('optional query fields are optional, required ones required', () => {
    const param = (path: string, method: string, name: string) =>
      doc.paths[path][method].parameters.find((p: { in: string; name: string }) => p.in === 'query' && p.name === name);
    assert.equal(param('/api/admin/notifications', 'get', 'limit').required ?? false, false);
    assert.equal(param('/api/admin/notifications', 'get', 'status').required ?? false, false);
    assert.equal(param('/api/specialists/{idOrSlug}/slots', 'get', 'timezone').required ?? false, false);
    assert.equal(param('/api/specialists/{idOrSlug}/slots', 'get', 'service').required, true);
    assert.equal(param('/api/services', 'get', 'specialist').required ?? false, false);
  });

  test('every operation documents 400, 414 and 431; those with a body 413 and 415', () => {
    for (const { path, method, op } of operations()) {
      for (const code of ['400', '414', '431']) assert.ok(op.responses[code], `${method} ${path} documents ${code}`);
      if (['post', 'put', 'patch'].includes(method)) for (const code of ['413', '415']) assert.ok(op.responses[code], `${method} ${path} documents ${code}`);
    }
  });
});

describe('CORS and the rate-limit headers', () => {
  test('every rate-limit header the server sends is exposed to the embedding page', async () => {
    const seen = new Set<string>();
    let exposed = '';
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ url: '/api/challenge', headers: { origin: 'http://embedder.test' }, remoteAddress: '10.9.9.9' });
      exposed = String(res.headers['access-control-expose-headers'] ?? '');
      for (const name of Object.keys(res.headers)) if (/ratelimit|retry-after/i.test(name)) seen.add(name.toLowerCase());
      if (res.statusCode === 429) break;
    }
    assert.ok(seen.has('retry-after') && seen.has('x-ratelimit-limit'), [...seen].join());
    const list = exposed.toLowerCase().split(',').map((s) => s.trim());
    for (const name of seen) assert.ok(list.includes(name), `${name} exposed in "${exposed}"`);
  });
});

describe('a known id with a wrong token answers like an unknown id', () => {
  test('the same database work either way', async () => {
    const p = await addPractice(t.database.db);
    const created = await t.app.inject({ method: 'POST', url: '/api/bookings', remoteAddress: '10.8.8.8', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 3 * 86_400_000 + 10 * 3_600_000) });
    assert.equal(created.statusCode, 201, created.body);
    const queries = async (id: string) => {
      const original = pg.Client.prototype.query;
      let n = 0;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) { n++; return (original as (...a: unknown[]) => unknown).apply(this, args); } as typeof original;
      try {
        const res = await t.app.inject({ url: `/api/bookings/${id}/history`, headers: { authorization: 'Bearer bm_wrongwrongwrongwrongwrongwrong' }, remoteAddress: `10.7.${n}.1` });
        assert.equal(res.statusCode, 404);
        return n;
      } finally {
        pg.Client.prototype.query = original;
      }
    };
    const known = await queries(created.json().id);
    const unknown = await queries('6f1c1f0e-5b7a-4c1e-9d6a-2a4f8c3b9e10');
    assert.equal(known, unknown);
    assert.ok(known > 0);
  });
});
