// Idle memory of the server against a bare Fastify process on the same machine (target: at most
// twice as much). The server runs as `npm start` runs it (the compiled copy, node
// dist/node/server/server.js, built here first; development defaults: demo data, in-process
// notification scheduler, no provider configured) against the local PostgreSQL in a fresh
// database; again with REDIS_URL when Redis answers, and from its TypeScript sources (for the record). Each process
// serves a few requests, idles, and its resident set size is read (median of several samples).
// Run: node tests/bench/idle-rss.bench.ts     Reuse: `const figures = await main()`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '../..');
export const TARGET_RATIO = 2;
const IDLE_MS = 5000;
const SAMPLES = 5;

const BARE_FASTIFY = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => ({ ok: true }));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('ready: http://127.0.0.1:' + app.server.address().port);
`;

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => Math.round(kb / 102.4) / 10;

interface Started { child: ChildProcess; url: string; exited: Promise<void> }

function start(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`not ready in 60 s: ${out.slice(-2000)}`)); }, 60_000);
    const onData = (d: Buffer) => {
      out += d;
      // The server logs "ready: <PUBLIC_URL>"; the URL it listens on is in Fastify's own line.
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? /^ready: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (/ready: /.test(out) && listening) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ child, url: listening[1], exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => { out += d; });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`exited before ready: ${out.slice(-2000)}`)); });
  });
}

async function measure(label: string, s: Started, paths: string[]): Promise<number> {
  for (const p of paths) {
    const res = await fetch(s.url + p, { headers: { 'accept-encoding': 'br, gzip' } });
    if (!res.ok) throw new Error(`${label}: GET ${p} answered ${res.status}`);
    await res.arrayBuffer();
  }
  await sleep(IDLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(rssKb(s.child.pid!));
    await sleep(200);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function stop(s: Started): Promise<void> {
  s.child.kill('SIGTERM');
  await Promise.race([s.exited, sleep(15_000).then(() => s.child.kill('SIGKILL'))]);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    sock.setTimeout(1000);
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => { sock.destroy(); resolve(false); });
    sock.connect(port, '127.0.0.1');
  });
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `bw_bench_rss_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try { await c.query(q); } finally { await c.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const COMPILED = 'dist/node/server/server.js';

async function serverRss(extraEnv: Record<string, string>, entry = COMPILED): Promise<number> {
  return withDatabase(async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bw-bench-rss-'));
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, DATA_DIR: dataDir,
      PORT: '0', HOST: '127.0.0.1', ...extraEnv,
    };
    const s = await start([entry], env);
    try {
      const specialists = '/api/specialists';
      const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      return await measure('server', s, ['/', '/widget.js', specialists, `/api/specialists/dr-weber/slots?service=consultation&from=${from}&to=${from}&timezone=Europe/Berlin`, '/ready']);
    } finally {
      await stop(s);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

export async function main() {
  const bare = await start(['--input-type=module', '-e', BARE_FASTIFY], { PATH: process.env.PATH ?? '' });
  let bareKb: number;
  try { bareKb = await measure('bare Fastify', bare, ['/']); } finally { await stop(bare); }

  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json'], { cwd: root, stdio: 'inherit' });
  const serverKb = await serverRss({});
  const redisKb = (await portAnswers(6379)) ? await serverRss({ REDIS_URL: 'redis://127.0.0.1:6379' }) : null;
  const sourcesKb = await serverRss({}, 'server/server.ts');

  const ratio = serverKb / bareKb;
  process.stdout.write(`bare Fastify (one route):                ${mb(bareKb)} MB RSS\n`);
  process.stdout.write(`${COMPILED} (npm start): ${mb(serverKb)} MB RSS  (${ratio.toFixed(2)}x bare, target <= ${TARGET_RATIO}x)\n`);
  if (redisKb !== null) {
    process.stdout.write(`the same with REDIS_URL:                 ${mb(redisKb)} MB RSS  (${(redisKb / bareKb).toFixed(2)}x bare)\n`);
  }
  process.stdout.write(`node server/server.ts (type stripping):  ${mb(sourcesKb)} MB RSS  (${(sourcesKb / bareKb).toFixed(2)}x bare)\n`);
  const ok = ratio <= TARGET_RATIO;
  process.stdout.write(ok ? 'idle RSS: OK\n' : 'idle RSS: OVER\n');
  return { bareMb: mb(bareKb), serverMb: mb(serverKb), ratio, withRedisMb: redisKb === null ? null : mb(redisKb), withRedisRatio: redisKb === null ? null : redisKb / bareKb, fromSourcesMb: mb(sourcesKb), target: TARGET_RATIO, ok };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await main();
  if (!ok) process.exit(1);
}
