// What goes over the wire: the widget's precompressed files by content negotiation (brotli,
// gzip, or the file itself), each with `Vary: Accept-Encoding` and the caching its name allows;
// JSON answers compressed above a threshold; event streams and encoded bodies left alone; and in
// production neither source maps nor the demo pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { build } from 'vite';
import compressionPlugin, { COMPRESS_MIN_BYTES } from '../../server/http/compression.ts';
import { CACHE_ENTRY, CACHE_IMMUTABLE } from '../../server/http/static.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PRODUCTION_ENV = {
  NODE_ENV: 'production', SECRET_KEY: 'cd'.repeat(32), MAIL_TRANSPORT: 'files', PUBLIC_URL: 'https://booking.example.com',
};

// A build of our own: other test files rebuild dist/ while this one runs.
const widgetDir = mkdtempSync(path.join(tmpdir(), 'bw-widget-'));
let dev: TestApp;
let production: TestApp;
let chunk = '';

before(async () => {
  await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error', build: { outDir: widgetDir, emptyOutDir: true } });
  chunk = readdirSync(path.join(widgetDir, 'widget-chunks')).find((f) => /^daily-.*\.js$/.test(f))!;
  dev = await startTestApp({ build: { widgetDir } });
  production = await startTestApp({ env: PRODUCTION_ENV, database: dev.database, build: { widgetDir } });
});
after(async () => {
  await production?.app.close();
  await dev?.close();
  rmSync(widgetDir, { recursive: true, force: true });
});

const file = (name: string) => readFileSync(path.join(widgetDir, name));
const get = (app: TestApp, url: string, encoding?: string, headers: Record<string, string> = {}) =>
  app.app.inject({ url, headers: { ...(encoding === undefined ? {} : { 'accept-encoding': encoding }), ...headers } });

describe('the widget build is precompressed and served by negotiation', () => {
  test('the build writes .br and .gz beside every script, each much smaller', () => {
    for (const name of ['widget.js', `widget-chunks/${chunk}`]) {
      const raw = file(name).length;
      assert.ok(file(`${name}.br`).length < raw * 0.4, `${name}.br`);
      assert.ok(file(`${name}.gz`).length < raw * 0.45, `${name}.gz`);
    }
  });

  test('brotli when accepted: the stored file as it is, decompressing to the script', async () => {
    const res = await get(dev, '/widget.js', 'gzip, deflate, br');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers.vary), /accept-encoding/i);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(Number(res.headers['content-length']), file('widget.js.br').length);
    // Compressed once, at build time: one decompression gives the script back.
    assert.deepEqual(brotliDecompressSync(res.rawPayload), file('widget.js'));
  });

  test('gzip for a client without brotli; the plain file (still varying) for one without either', async () => {
    const gz = await get(dev, '/widget.js', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.rawPayload), file('widget.js'));
    const plain = await get(dev, '/widget.js', 'identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /accept-encoding/i, 'a shared cache must not hand this to a brotli client');
    assert.deepEqual(plain.rawPayload, file('widget.js'));
  });

  test('widget.js revalidates after a short time (its name never changes); each variant has its own ETag', async () => {
    const br = await get(dev, '/widget.js', 'br');
    const gz = await get(dev, '/widget.js', 'gzip');
    assert.equal(br.headers['cache-control'], CACHE_ENTRY);
    assert.match(CACHE_ENTRY, /max-age=300, must-revalidate/);
    assert.ok(br.headers.etag && gz.headers.etag && br.headers.etag !== gz.headers.etag);
    const again = await get(dev, '/widget.js', 'br', { 'if-none-match': String(br.headers.etag) });
    assert.equal(again.statusCode, 304);
  });

  test('hashed chunks are cached for good', async () => {
    const res = await get(dev, `/widget-chunks/${chunk}`, 'br');
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['cache-control'], CACHE_IMMUTABLE);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  test('the compressed copies are not addressable by themselves', async () => {
    assert.equal((await get(dev, '/widget.js.br')).statusCode, 404);
    assert.equal((await get(dev, '/widget.js.gz')).statusCode, 404);
  });
});

describe('JSON answers are compressed above the threshold', () => {
  test('a large answer (the OpenAPI document) goes out as brotli or gzip', async () => {
    const br = await get(dev, '/openapi.json', 'br, gzip');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    const doc = JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'));
    assert.equal(doc.openapi, '3.1.0');
    const gz = await get(dev, '/openapi.json', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.rawPayload.length < JSON.stringify(doc).length / 4);
  });

  test('a small answer is sent as it is', async () => {
    const res = await get(dev, '/health', 'br, gzip');
    assert.ok(res.rawPayload.length < COMPRESS_MIN_BYTES);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('event streams and bodies that are already encoded are never compressed (again)', async () => {
    const app = Fastify();
    await app.register(compressionPlugin);
    const big = 'x'.repeat(COMPRESS_MIN_BYTES * 4);
    app.get('/events', (_req, reply) => {
      const stream = new PassThrough();
      reply.type('text/event-stream').send(stream);
      stream.end(`data: ${big}\n\n`);
    });
    app.get('/encoded', (_req, reply) => {
      reply.type('application/json').header('content-encoding', 'gzip').send(Buffer.from('already gzip bytes'));
    });
    app.get('/json', async () => ({ big }));
    try {
      const events = await app.inject({ url: '/events', headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(events.headers['content-encoding'], undefined);
      assert.equal(events.body, `data: ${big}\n\n`);
      const encoded = await app.inject({ url: '/encoded', headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(encoded.headers['content-encoding'], 'gzip');
      assert.equal(encoded.body, 'already gzip bytes');
      const json = await app.inject({ url: '/json', headers: { 'accept-encoding': 'br' } });
      assert.equal(json.headers['content-encoding'], 'br', 'the same plugin does compress JSON');
    } finally {
      await app.close();
    }
  });
});

describe('production serves no development aids', () => {
  test('source maps: served in development, absent in production', async () => {
    assert.equal((await get(dev, '/widget.js.map')).statusCode, 200);
    const res = await get(production, '/widget.js.map');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'not_found');
    assert.equal((await get(production, `/widget-chunks/${chunk}.map`)).statusCode, 404);
    assert.equal((await get(production, '/widget.js', 'br')).headers['content-encoding'], 'br');
  });

  test('the demo pages are not served at / (nor under /demo)', async () => {
    assert.equal((await get(dev, '/')).statusCode, 200);
    for (const url of ['/', '/demo/react', '/demo/vue']) {
      const res = await get(production, url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error, 'not_found');
    }
  });
});
