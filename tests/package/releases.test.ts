// Versioned widget URLs with SRI hashes (server/http/releases.ts) and the classic-script loader:
// what a page that pins a release, or a CMS that injects <script src>, relies on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import { RELEASE_VERSION } from '../../server/http/releases.ts';
import { widgetDist, consoleDist } from '../../server/http/static.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildFrontEnd, root } from '../e2e/support.ts';

let t: TestApp;
before(async () => {
  await buildFrontEnd(); // the shared build of dist/widget and dist/console (locked across test files)
  t = await startTestApp();
});
after(async () => { await t?.close(); });

const sha384 = (file: string) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;

describe('versioned widget URLs', () => {
  test('the release is the package version: root, publishable package and server agree', () => {
    const version = (p: string) => JSON.parse(readFileSync(path.join(root, p), 'utf8')).version;
    assert.equal(RELEASE_VERSION, version('package.json'));
    assert.equal(version('packages/booking-widget/package.json'), RELEASE_VERSION);
  });

  test('/integrity.json names each entry\'s versioned URL and the sha384 of exactly what is served there', async () => {
    const res = await t.app.inject({ url: '/integrity.json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const body = res.json();
    assert.equal(body.version, RELEASE_VERSION);
    assert.equal(body.loader, '/widget-loader.js');
    for (const [name, dir] of [['widget.js', widgetDist], ['console.js', consoleDist]] as const) {
      const entry = body.files[name];
      assert.equal(entry.url, `/v/${RELEASE_VERSION}/${name}`);
      assert.equal(entry.integrity, sha384(path.join(dir, name)));
      const served = await t.app.inject({ url: entry.url, headers: { 'accept-encoding': 'identity' } });
      assert.equal(served.statusCode, 200, entry.url);
      assert.equal(`sha384-${createHash('sha384').update(served.rawPayload).digest('base64')}`, entry.integrity, 'SRI of the body');
      assert.match(String(served.headers['cache-control']), /immutable/);
      assert.equal(served.headers['access-control-allow-origin'], '*', 'module scripts load in CORS mode');
    }
  });

  test('the lazy chunks are served under the version too (widget.js imports them relative to itself)', async () => {
    const js = readFileSync(path.join(widgetDist, 'widget.js'), 'utf8');
    const chunk = /["'`]\.\/(widget-chunks\/[\w.-]+\.js)["'`]/.exec(js)?.[1];
    assert.ok(chunk, 'widget.js names a chunk');
    const res = await t.app.inject({ url: `/v/${RELEASE_VERSION}/${chunk}`, headers: { 'accept-encoding': 'br' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
  });

  test('another version is not served: a pinned page learns at once that the server moved on', async () => {
    assert.equal((await t.app.inject({ url: '/v/0.0.1/widget.js' })).statusCode, 404);
  });
});

describe('the classic-script loader', () => {
  test('widget.js itself cannot run as a classic script; the loader can, and adds the pinned module', async () => {
    assert.throws(() => new Script(readFileSync(path.join(widgetDist, 'widget.js'), 'utf8')), SyntaxError);
    const res = await t.app.inject({ url: '/widget-loader.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    const integrity = (await t.app.inject({ url: '/integrity.json' })).json();

    // Run it against a minimal DOM: what it appends to <head>.
    const added: Record<string, unknown>[] = [];
    const current = { src: 'https://booking.example.com/widget-loader.js', nonce: 'n0nce', getAttribute: (n: string) => (n === 'data-elements' ? 'widget console' : null) };
    const document = {
      currentScript: current,
      querySelector: () => null,
      createElement: () => ({}),
      head: { appendChild: (el: Record<string, unknown>) => added.push(el) },
    };
    new Script(res.body).runInNewContext({ document, URL });
    assert.deepEqual(added, [
      { type: 'module', src: `https://booking.example.com${integrity.files['widget.js'].url}`, crossOrigin: 'anonymous', integrity: integrity.files['widget.js'].integrity, nonce: 'n0nce' },
      { type: 'module', src: `https://booking.example.com${integrity.files['console.js'].url}`, crossOrigin: 'anonymous', integrity: integrity.files['console.js'].integrity, nonce: 'n0nce' },
    ]);
  });
});
