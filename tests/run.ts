// `npm test`: every test, against real services. Finds PostgreSQL (DATABASE_URL, else
// 127.0.0.1:5432, else an embedded server) and Redis (127.0.0.1:6379 when it answers), runs
// Node's test runner (the time-sensitive folders under several process time zones, since
// results must never depend on TZ), then the browser tests, and closes with one
// "N passed, N failed" line over all of them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, globSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded.ts';
import { createLogger } from '../server/observability/log.ts';

const root = path.resolve(import.meta.dirname, '..');
const TZ_SENSITIVE = ['tests/availability', 'tests/bookings'];
const EXTRA_ZONES = ['Asia/Tokyo', 'America/Los_Angeles'];

const totals = { passed: 0, failed: 0, skipped: 0 };

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try { await client.connect(); await client.query('SELECT 1'); return true; } catch { return false; } finally { await client.end().catch(() => {}); }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
    s.connect(port, '127.0.0.1');
  });
}

function countTap(file: string) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const num = (key: string) => [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
  totals.passed += num('pass');
  totals.failed += num('fail') + num('cancelled');
  totals.skipped += num('skipped') + num('todo');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function nodeTests(label: string, files: string[], env: NodeJS.ProcessEnv) {
  if (files.length === 0) return;
  process.stdout.write(`\n=== ${label}: ${files.length} files ===\n`);
  const tapDir = mkdtempSync(path.join(tmpdir(), 'bw-tap-'));
  const tap = path.join(tapDir, 'out.tap');
  await run(process.execPath, [
    '--test', '--test-concurrency=2', '--test-timeout=120000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], env);
  countTap(tap);
  rmSync(tapDir, { recursive: true, force: true });
}

async function main() {
  const args = process.argv.slice(2);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  let embedded: EmbeddedDatabase | null = null;

  const candidate = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (await canQuery(candidate)) {
    env.TEST_DATABASE_URL = candidate;
  } else {
    process.stdout.write('no PostgreSQL server answered: starting an embedded one for the tests\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'bw-test-pg-'));
    embedded = await startEmbeddedPostgres(dir, 5499, createLogger('warn', 'embedded-postgres'));
    env.TEST_DATABASE_URL = embedded.url;
  }
  if (!env.TEST_REDIS_URL && (await portAnswers(6379))) env.TEST_REDIS_URL = 'redis://127.0.0.1:6379';
  if (!env.TEST_REDIS_URL) process.stdout.write('no Redis on 127.0.0.1:6379: tests that need it are skipped\n');

  const all = (args.length ? args : ['tests']).flatMap((a) =>
    a.endsWith('.ts') ? [a] : globSync(`${a}/**/*.test.ts`, { cwd: root })).sort();
  const sensitive = all.filter((f) => TZ_SENSITIVE.some((d) => f.startsWith(d)));

  await nodeTests('node tests (TZ=UTC)', all, { ...env, TZ: 'UTC' });
  for (const zone of EXTRA_ZONES) await nodeTests(`time-sensitive tests (TZ=${zone})`, sensitive, { ...env, TZ: zone });

  if (args.length === 0 && existsSync(path.join(root, 'web-test-runner.config.js'))) {
    process.stdout.write('\n=== browser tests (web-test-runner, Chromium) ===\n');
    const { browserTests } = await import('./helpers/browser-tests.ts');
    const r = await browserTests(root, env);
    totals.passed += r.passed;
    totals.failed += r.failed;
  }

  await embedded?.stop();
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

main().catch((err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exit(1); });
