// Bytes on the wire, measured over real HTTP against the app: the widget's files as sent to a
// browser that accepts brotli, one that accepts only gzip, and one that accepts neither (the
// build's precompressed copies), and a team's slots answer over the demo practice's 60-day
// horizon (compressed per request above 1 KB). Prints sizes and ratios.
// Run: node tests/bench/compression.bench.ts     Reuse: `const figures = await main()`.
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { buildApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ENCODINGS = ['br', 'gzip', 'identity'] as const;
type Encoding = (typeof ENCODINGS)[number];

/** Status, Content-Encoding and the number of bytes that crossed the socket's body. */
function fetchRaw(url: string, encoding: Encoding): Promise<{ status: number; encoding: string; bytes: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => { bytes += d.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), bytes, ms: performance.now() - t0 }));
    }).on('error', reject).end();
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function sizes(url: string): Promise<Record<Encoding, number>> {
  const out = {} as Record<Encoding, number>;
  for (const e of ENCODINGS) {
    const r = await fetchRaw(url, e);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
    if (r.encoding !== e) throw new Error(`${url} for ${e} came as ${r.encoding}`);
    out[e] = r.bytes;
  }
  return out;
}

export async function main() {
  const widgetDir = mkdtempSync(path.join(tmpdir(), 'bw-bench-widget-'));
  // Built first: the app lists the widget's files when it starts.
  await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error', build: { outDir: widgetDir, emptyOutDir: true } });
  const database = await createTestDatabase();
  const app = await buildApp(testConfig(database.url), { poolSize: 4, widgetDir });
  try {
    await seedDemo(database.db, { now: Date.now() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    const chunks = readdirSync(path.join(widgetDir, 'widget-chunks')).filter((f) => f.endsWith('.js'));
    const files: Record<string, Record<Encoding, number>> = { 'widget.js': await sizes(`${base}/widget.js`) };
    for (const c of chunks) files[`widget-chunks/${c}`] = await sizes(`${base}/widget-chunks/${c}`);

    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 59 * 86_400_000).toISOString().slice(0, 10);
    const slotsUrl = `${base}/api/specialists/any/slots?service=consultation&from=${from}&to=${to}&timezone=Europe/Berlin`;
    const slots = await sizes(slotsUrl);
    // What compressing per request costs: median time of a few requests, brotli against none.
    const timing = async (e: Encoding) => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) ms.push((await fetchRaw(slotsUrl, e)).ms);
      return ms.sort((a, b) => a - b)[3];
    };
    const slotsMs = { br: await timing('br'), gzip: await timing('gzip'), identity: await timing('identity') };

    process.stdout.write(`${'file'.padEnd(40)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}\n`);
    for (const [name, s] of Object.entries({ ...files, 'team slots, 59 days (JSON)': slots })) {
      process.stdout.write(`${name.padEnd(40)} ${kb(s.identity).padStart(10)} ${kb(s.gzip).padStart(10)} ${kb(s.br).padStart(10)}\n`);
    }
    process.stdout.write(`team slots per request (median): ${slotsMs.identity.toFixed(1)} ms plain, ${slotsMs.gzip.toFixed(1)} ms gzip, ${slotsMs.br.toFixed(1)} ms brotli\n`);
    const entry = files['widget.js'];
    return {
      widgetJs: { raw: entry.identity, gzip: entry.gzip, br: entry.br, brRatio: entry.br / entry.identity },
      chunks: Object.fromEntries(Object.entries(files).filter(([n]) => n !== 'widget.js').map(([n, s]) => [path.basename(n), { raw: s.identity, gzip: s.gzip, br: s.br }])),
      teamSlots: { raw: slots.identity, gzip: slots.gzip, br: slots.br, brRatio: slots.br / slots.identity, ms: slotsMs },
    };
  } finally {
    await app.close();
    await database.drop();
    rmSync(widgetDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
  process.exit(0);
}
