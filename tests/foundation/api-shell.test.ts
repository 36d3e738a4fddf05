// The API shell: health and readiness, one error shape, CORS allowlist, security headers,
// OpenAPI, the demo page and the widget bundle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(() => t.close());

describe('health', () => {
  test('/health answers while the process runs', async () => {
    const res = await t.app.inject('/health');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('/ready checks the database (and Redis only when configured)', async () => {
    const res = await t.app.inject('/ready');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', checks: { database: 'ok', redis: 'not_configured' } });
  });

  test('/ready answers 503 when the database is unreachable', async () => {
    const down = await startTestApp({ database: { ...t.database, url: 'postgres://postgres@127.0.0.1:1/none' } as never });
    try {
      const res = await down.app.inject('/ready');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().checks.database, 'fail');
    } finally {
      await down.app.close();
    }
  });
});

describe('faults', () => {
  test('/ready stays 200 "degraded" when only Redis is down, and rate-limited writes do not wait on it', async () => {
    // Nothing listens on port 1: the API's Redis connection fails every command at once.
    const noRedis = await startTestApp({ database: t.database, env: { REDIS_URL: 'redis://127.0.0.1:1', IN_PROCESS_WORKER: 'false' } });
    try {
      const res = await noRedis.app.inject('/ready');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'degraded', checks: { database: 'ok', redis: 'fail' } });
      const t0 = performance.now();
      const write = await noRedis.app.inject({ method: 'POST', url: '/api/auth/sign-in/key', payload: { key: 'not-a-real-key-000000000000' } });
      assert.ok(write.statusCode < 500, String(write.statusCode));
      assert.ok(performance.now() - t0 < 1500, 'the rate limiter fell back at once');
    } finally {
      await noRedis.app.close();
    }
  });

  test('a database that does not answer is a 503 database_unavailable with Retry-After, never a 500', async () => {
    const down = await startTestApp({ database: { ...t.database, url: 'postgres://postgres@127.0.0.1:1/none' } as never });
    try {
      const res = await down.app.inject('/api/services');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'database_unavailable');
      assert.equal(res.headers['retry-after'], '5');
    } finally {
      await down.app.close();
    }
  });
});

describe('errors', () => {
  test('an unknown route answers the error shape', async () => {
    const res = await t.app.inject('/api/nope');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'not_found');
    assert.match(res.json().message, /GET \/api\/nope/);
  });

  test('malformed JSON is a 400, not a 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/health', headers: { 'content-type': 'application/json' }, payload: '{' });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode));
    assert.equal(typeof res.json().error, 'string');
  });
});

describe('CORS', () => {
  test('an allowed origin gets its own origin back, never *', async () => {
    const res = await t.app.inject({ url: '/health', headers: { origin: 'http://embedder.test' } });
    assert.equal(res.headers['access-control-allow-origin'], 'http://embedder.test');
  });

  test('an unknown origin gets no CORS headers', async () => {
    const res = await t.app.inject({ url: '/health', headers: { origin: 'http://evil.test' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('origins added by the site owner in the database are honoured', async () => {
    await t.database.db.insertInto('allowed_origins').values({ origin: 'https://added.example' }).execute();
    t.app.invalidateOriginCache();
    const res = await t.app.inject({ method: 'OPTIONS', url: '/health', headers: { origin: 'https://added.example', 'access-control-request-method': 'GET' } });
    assert.equal(res.headers['access-control-allow-origin'], 'https://added.example');
  });
});

describe('documents and pages', () => {
  test('security headers are set on every answer: success, 404 and 400 alike', async () => {
    for (const url of ['/health', '/api/nothing-here', '/api/specialists/x/slots?service=y&from=nope&to=nope']) {
      const res = await t.app.inject(url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      const csp = String(res.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "img-src 'self' data: https:"]) assert.ok(csp.includes(d), `${url}: ${d} in ${csp}`);
      // The widget's files are loaded by other sites' pages.
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', url);
      assert.equal(res.headers['cross-origin-embedder-policy'], undefined, url);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(res.headers['x-powered-by'], undefined, url);
    }
  });

  test('the OpenAPI document is generated from the route schemas', async () => {
    const res = await t.app.inject('/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/ready']);
    assert.ok(doc.components.schemas.Error);
  });

  test('the docs page is served', async () => {
    const res = await t.app.inject('/docs/');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
  });

  test('the demo page embeds the widget', async () => {
    const res = await t.app.inject('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<script type="module" src="\/widget.js"><\/script>/);
    assert.match(res.body, /<booking-widget/);
  });
});
