// Observability: request ids in and out (and in every log line of the request), one pino format
// for the API and the worker, and Prometheus metrics (latency by route template, bookings
// created and refused, notification deliveries, the backlog and BullMQ's jobs, pool usage),
// protected by a bearer token or served on a port of their own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { logOptions } from '../../server/observability/log.ts';
import { createMetrics } from '../../server/observability/metrics.ts';
import { listenMetrics } from '../../server/observability/metrics-server.ts';
import { startNotifications } from '../../server/notifications/runtime.ts';
import { startTestApp, testConfig, TestClock, type TestApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { createBooking, seedPractice, silentLog, uniquePrefix, waitFor } from '../notifications/support.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'metrics-token-0123456789abcdef';
const REDIS = process.env.TEST_REDIS_URL;

/** The value of one sample of a metric whose labels include `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); cb(); } });
  return { lines, log: pino(logOptions('info'), stream) };
}

describe('request ids', () => {
  let t: TestApp;
  const captured = logCapture();
  before(async () => { t = await startTestApp({ build: { log: captured.log } }); });
  after(() => t.close());

  test('a fresh id when the caller sends none, returned in X-Request-Id', async () => {
    const a = await t.app.inject('/health');
    const b = await t.app.inject('/health');
    assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  test('the caller\'s X-Request-Id is kept, returned and on every log line of the request', async () => {
    const id = 'edge-7f3a.42:trace=1';
    const res = await t.app.inject({ url: '/api/nope', headers: { 'x-request-id': id, authorization: 'Bearer secret-should-not-be-logged' } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['x-request-id'], id);
    const mine = captured.lines.filter((l) => l.reqId === id);
    assert.ok(mine.length >= 2, JSON.stringify(captured.lines));
    for (const l of mine) {
      assert.equal(typeof l.level, 'string', 'levels as words, one format everywhere');
      assert.match(String(l.time), /^\d{4}-\d\d-\d\dT/);
    }
    assert.ok(!JSON.stringify(captured.lines).includes('secret-should-not-be-logged'));
  });

  test('an id that is too long or carries unsafe characters is replaced', async () => {
    for (const bad of ['x'.repeat(129), 'two words', 'a"b', 'line\u0085break', '']) {
      const res = await t.app.inject({ url: '/health', headers: { 'x-request-id': bad } });
      assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/, JSON.stringify(bad));
    }
  });

  test('browsers on embedding sites may read it', async () => {
    const res = await t.app.inject({ url: '/health', headers: { origin: 'http://embedder.test' } });
    assert.match(String(res.headers['access-control-expose-headers']), /X-Request-Id/i);
  });
});

describe('/metrics on the API port, behind METRICS_TOKEN', () => {
  const clock = new TestClock(T0);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bw-metrics-'));
  let t: TestApp;
  let p: Practice;
  const scrape = async () => {
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200, res.body);
    return res.body;
  };
  const book = (start: string, extra: Record<string, unknown> = {}) => t.app.inject({
    method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.slug, service: p.service.slug }, start, extra),
  });

  before(async () => {
    t = await startTestApp({ clock, env: { METRICS_TOKEN: TOKEN, IN_PROCESS_WORKER: 'true', DATA_DIR: dataDir, RATE_LIMIT_WRITES_PER_MINUTE: '1000' } });
    p = await addPractice(t.database.db);
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('refused without the token, in the Prometheus text format with it', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`]) {
      const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error, 'unauthorized');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    }
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.ok(sample(res.body, 'process_resident_memory_bytes')! > 0);
  });

  test('HTTP latency by route template, never the raw URL', async () => {
    await t.app.inject(`/api/specialists/${p.specialist.slug}/slots?service=${p.service.slug}&from=2026-12-03&to=2026-12-03&timezone=UTC`);
    await t.app.inject('/api/no/such/route');
    const text = await scrape();
    const route = '/api/specialists/:idOrSlug/slots';
    assert.ok(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '200' })! >= 1, text);
    assert.ok(sample(text, 'http_request_duration_seconds_bucket', { route, le: '10' })! >= 1);
    assert.ok(sample(text, 'http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })! >= 1);
    assert.ok(!text.includes(p.specialist.slug), 'no slugs, ids or query strings in labels');
  });

  test('bookings created and refused, by reason', async () => {
    assert.equal((await book('2026-12-03T10:00:00.000Z')).statusCode, 201);
    assert.equal((await book('2026-12-03T10:00:00.000Z', { visitor: { name: 'B', email: 'b@example.com', timezone: 'UTC' } })).statusCode, 409);
    assert.equal((await book('2026-12-03T03:00:00.000Z')).statusCode, 422);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { nonsense: true } })).statusCode, 400);
    const text = await scrape();
    assert.equal(sample(text, 'bookings_created_total'), 1);
    // The same slot twice, a time outside the hours, a malformed body: each by its error code.
    assert.equal(sample(text, 'bookings_refused_total', { reason: 'slot_taken' }), 1);
    assert.equal(sample(text, 'bookings_refused_total', { reason: 'slot_unavailable' }), 1);
    assert.equal(sample(text, 'bookings_refused_total', { reason: 'invalid_request' }), 1);
  });

  test('notification deliveries by channel and outcome, the backlog, both pools', async () => {
    await t.app.notifications!.nudge();
    const text = await waitFor('deliveries counted', async () => {
      const body = await scrape();
      return (sample(body, 'notification_deliveries_total', { channel: 'email', outcome: 'sent' }) ?? 0) >= 2 ? body : null;
    });
    // The reminders wait for their time: scheduled, not due.
    assert.ok(sample(text, 'notifications_pending', { state: 'scheduled' })! >= 3, text);
    assert.equal(sample(text, 'notifications_pending', { state: 'due' }), 0);
    for (const pool of ['api', 'notifications']) {
      assert.ok(sample(text, 'db_pool_connections', { pool, state: 'total' })! >= 1, pool);
      assert.equal(typeof sample(text, 'db_pool_connections', { pool, state: 'waiting' }), 'number');
    }
  });
});

describe('metrics elsewhere', () => {
  test('off unless configured: no /metrics route at all', async () => {
    const t = await startTestApp();
    try {
      assert.equal((await t.app.inject('/metrics')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test('METRICS_PORT: a listener of its own, the API port has no /metrics', async () => {
    const t = await startTestApp({ env: { METRICS_PORT: '9464', METRICS_TOKEN: TOKEN } });
    const listener = await listenMetrics(t.app.metrics, { ...t.config.metrics, host: '127.0.0.1' }, silentLog, 0);
    try {
      assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404);
      const base = `http://127.0.0.1:${listener.port}`;
      assert.equal((await fetch(`${base}/metrics`)).status, 401);
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 200);
      assert.ok(sample(await res.text(), 'db_pool_connections', { pool: 'api', state: 'total' }) !== undefined);
      assert.equal((await fetch(`${base}/other`)).status, 404);
    } finally {
      await listener.close();
      await t.close();
    }
  });

  test('BullMQ job counts by state (with Redis)', { skip: REDIS ? false : 'TEST_REDIS_URL is not set' }, async () => {
    const db = await createTestDatabase();
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const metrics = createMetrics();
    const config = testConfig(db.url);
    const rt = await startNotifications({ config, clock, log: silentLog, redisUrl: REDIS, prefix: uniquePrefix('metrics'), intervalMs: 0, metrics });
    try {
      const practice = await seedPractice(db.db);
      await createBooking(db.db, practice, { start: Date.parse('2026-12-04T10:00:00Z') }, clock.now(), { secretKey: config.secretKey, smsEnabled: false, mailCapPerAddress: 0 });
      await rt.bull!.relay();
      const text = await metrics.render();
      assert.ok(sample(text, 'notification_queue_jobs', { state: 'delayed' })! >= 3, text);
    } finally {
      await rt.bull?.queue.obliterate({ force: true }).catch(() => {});
      await rt.close();
      await db.drop();
    }
  });

  test('the worker process: the same log format, its own metrics on METRICS_PORT', async () => {
    const db = await createTestDatabase();
    const child = spawn(process.execPath, ['server/notifications/worker.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: db.url, METRICS_PORT: '16203', METRICS_TOKEN: TOKEN, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bw-worker-')) },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor('the worker to start', async () => /notification worker started/.test(out), 20_000);
      const res = await fetch('http://127.0.0.1:16203/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.equal(sample(text, 'notifications_pending', { state: 'due' }), 0);
      assert.ok(sample(text, 'db_pool_connections', { pool: 'notifications', state: 'total' }) !== undefined);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(lines.length >= 3);
      for (const l of lines) {
        assert.equal(l.component, 'worker');
        assert.equal(typeof l.level, 'string');
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  });
});
