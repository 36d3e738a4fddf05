// The packed package in the frameworks integrators use (run separately, ~15 min on 2 shared cores:
// `npm run test:integrations`, or `node tests/integrations/frameworks.ts [name...]`):
//   1. builds packages/booking-widget and packs it with `npm pack`, as it would be published;
//   2. for each project of projects.ts (React with Babel's JSX through webpack, React with
//      TypeScript JSX through Vite, Vue with vue-tsc, Svelte with svelte-check, Angular's
//      application builder with strict templates), installs the tarball and the framework's
//      pinned packages from the npm registry into a fresh folder and runs its own build;
//   3. opens each built app in Chromium and waits for the app's own listener of the hyphen event
//      `booking-widget-error` to log the widget's failure (the API is a closed port);
//   4. does the same for a plain page with a classic <script src> of the package's
//      dist/browser/loader.js (what a CMS injects).
// Ends with one "N passed, N failed" line; exit code 1 on any failure. Set KEEP=1 to keep the
// projects (printed path) for a look.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { launchChromium } from '../e2e/support.ts';
import { API, projects, type Project } from './projects.ts';

const root = path.resolve(import.meta.dirname, '../..');
const pkgDir = path.join(root, 'packages/booking-widget');
const work = mkdtempSync(path.join(tmpdir(), 'bw-integrations-'));
const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number; note: string }[] = [];

function run(cmd: string, args: string[], cwd: string, quiet = true): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, CI: 'true', NG_CLI_ANALYTICS: 'false', NO_UPDATE_NOTIFIER: '1' } });
    let output = '';
    const keep = (d: Buffer) => { output += d; if (!quiet) process.stdout.write(d); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function must(cmd: string, args: string[], cwd: string) {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.output.slice(-4000)}`);
  return r.output;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
/** A static site on a loopback port (index.html for directories). */
function serve(dir: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(dir, decodeURIComponent(url.pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const browser = await launchChromium();
/** Opens the site and waits for #log to show the event the app's listener received. */
async function eventReachesApp(dir: string, page = '/'): Promise<string> {
  const site = await serve(dir);
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    await tab.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}${page}`);
    await tab.waitForFunction(() => /error \S+/.test(document.querySelector('#log')?.textContent ?? ''), null, { timeout: 20_000 })
      .catch(() => { throw new Error(`no booking-widget-error reached the app's listener (page errors: ${errors.join('; ') || 'none'})`); });
    const upgraded = await tab.evaluate(() => !!customElements.get('booking-widget') && !!document.querySelector('booking-widget')?.shadowRoot);
    if (!upgraded) throw new Error('<booking-widget> is not upgraded');
    return (await tab.textContent('#log'))!.trim().split('\n')[0]!;
  } finally {
    await tab.close();
    site.close();
  }
}

async function step(name: string, body: () => Promise<string>) {
  const started = Date.now();
  try {
    const note = await body();
    results.push({ name, ok: true, seconds: (Date.now() - started) / 1000, note });
  } catch (err) {
    results.push({ name, ok: false, seconds: (Date.now() - started) / 1000, note: String((err as Error).message ?? err) });
  }
  const r = results.at(-1)!;
  process.stdout.write(`${r.ok ? 'ok    ' : 'FAILED'} ${name.padEnd(14)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.ok ? r.note : `\n${r.note}\n`}\n`);
}

let tarball = '';
await step('pack', async () => {
  await must(process.execPath, [path.join(pkgDir, 'build.ts')], root);
  const out = await must('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], pkgDir);
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  tarball = path.join(work, info[0]!.filename);
  return `${info[0]!.filename}: ${(info[0]!.size / 1024).toFixed(0)} KB packed, ${(info[0]!.unpackedSize / 1024).toFixed(0)} KB unpacked, ${info[0]!.entryCount} files`;
});

async function project(p: Project) {
  const dir = path.join(work, p.name);
  await step(`${p.name} install`, async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `bw-${p.name}`, private: true, type: 'module' }, null, 2)}\n`);
    for (const [file, text] of Object.entries(p.files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    await must('npm', ['install', '--no-audit', '--no-fund', '--save-exact', tarball, ...Object.entries(p.deps).map(([n, v]) => `${n}@${v}`)], dir);
    return `${readdirSync(path.join(dir, 'node_modules')).length} top-level packages`;
  });
  if (!results.at(-1)!.ok) return;
  await step(`${p.name} build`, async () => {
    for (const [cmd, ...args] of p.build) await must(cmd!, args, dir);
    return p.build.map((c) => c.slice(1).join(' ')).join(' && ');
  });
  if (!results.at(-1)!.ok) return;
  await step(`${p.name} browser`, () => eventReachesApp(path.join(dir, p.out)));
}

if (results[0]!.ok) {
  for (const p of projects) if (only.length === 0 || only.includes(p.name)) await project(p);
  // A classic script tag of the package's loader (as a CMS, or a page loading from a CDN, has it).
  const withPackage = projects.map((p) => path.join(work, p.name, 'node_modules/booking-widget')).find((d) => { try { readdirSync(d); return true; } catch { return false; } });
  if (withPackage) {
    await step('classic script', async () => {
      writeFileSync(path.join(withPackage, 'classic.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CMS page</title>
<script src="dist/browser/loader.js" async></script></head><body>
<booking-widget api="${API}" specialist="dr-weber" service="consultation"></booking-widget><pre id="log"></pre>
<script>document.addEventListener('booking-widget-error', function (e) { document.getElementById('log').textContent += 'error ' + e.detail.code + '\\n'; });</script>
</body></html>\n`);
      return eventReachesApp(withPackage, '/classic.html');
    });
  }
}

await browser.close();
if (process.env.KEEP) process.stdout.write(`projects kept in ${work}\n`);
else rmSync(work, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`\nintegrations: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
