// Start-up failures a site owner can cause: each exits non-zero with one log line naming the
// cause and what to do, and leaves nothing behind (no password file, no database running).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { migrateToLatest, MigrationError, migrationsDir } from '../../server/db/migrate.ts';
import { createTestDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const asRoot = userInfo().uid === 0;
/** Ports of this file's own embedded servers (15000 + 100 * issue 12 + k). */
const PG_PORT = { busy: 16201, lock: 16202 };

interface LogLine { level: string; msg: string; component?: string; [key: string]: unknown }
interface Run { code: number | null; output: string; lines: LogLine[] }

function parseLines(output: string): LogLine[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

interface StartOptions { cwd?: string; nodeArgs?: string[]; tmp?: string; entry?: string }

function spawnServer(env: Record<string, string>, o: StartOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(o.nodeArgs ?? []), o.entry ?? 'server/server.ts'], {
    cwd: o.cwd ?? root,
    env: {
      PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bw-start-')),
      ...(o.tmp ? { TMPDIR: o.tmp } : {}), ...env,
    },
  });
}

function startServer(env: Record<string, string>, o: StartOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawnServer(env, o);
    let output = '';
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output, lines: parseLines(output) }); });
  });
}

/** Starts a server and resolves once it logged that it is ready. */
function startUntilReady(env: Record<string, string>, o: StartOptions = {}): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawnServer(env, o);
    let output = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`not ready in 60 s:\n${output}`)); }, 60_000);
    child.stderr!.on('data', (d) => { output += d; });
    child.stdout!.on('data', (d) => {
      output += d;
      if (/"msg":"ready: /.test(output)) { clearTimeout(timer); resolve({ child, output: () => output, exited }); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited ${code} before ready:\n${output}`)); });
  });
}

/** The one fatal line of a failed start, with no stack trace anywhere. */
function fatalOf(run: Run): string {
  assert.equal(run.code, 1, run.output);
  assert.doesNotMatch(run.output, /^\s+at /m, 'no stack trace');
  const fatal = run.lines.filter((l) => l.level === 'fatal');
  assert.equal(fatal.length, 1, run.output);
  return fatal[0].msg;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  for (const start = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

/** A folder only root may enter, like /root: what the postgres user meets in a clone there. */
function lockedFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-locked-'));
  chmodSync(dir, 0o700);
  return dir;
}

describe('configuration', () => {
  test('every bad variable is named, all at once', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', ALLOWED_ORIGINS: 'not a url', SECRET_KEY: 'short' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'DATABASE_URL', 'ALLOWED_ORIGINS', 'SECRET_KEY']) assert.match(text, new RegExp(name));
      return true;
    });
  });

  test('provider credentials must come together', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', TWILIO_ACCOUNT_SID: 'AC1' }), /TWILIO_AUTH_TOKEN, TWILIO_FROM must be set together/);
  });

  test('production requires SECRET_KEY', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SECRET_KEY is required in production/);
  });

  test('origins are normalised and include PUBLIC_URL', () => {
    const c = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://book.example.com/', ALLOWED_ORIGINS: 'https://a.example/path, http://b.example:8080' });
    assert.deepEqual(c.allowedOrigins, ['https://book.example.com', 'https://a.example', 'http://b.example:8080']);
    assert.equal(c.publicUrl, 'https://book.example.com');
  });

  test('a loopback PUBLIC_URL (the development default) allows its other loopback spellings, nothing else', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', PORT: '4100' }).allowedOrigins, ['http://localhost:4100', 'http://127.0.0.1:4100', 'http://[::1]:4100']);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:3000' }).allowedOrigins, ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']);
  });
});

describe('server start-up failures exit non-zero with a clear message', () => {
  test('a malformed variable', async () => {
    const { code, output } = await startServer({ PORT: 'seventy' });
    assert.equal(code, 1);
    assert.match(output, /PORT must be an integer/);
  });

  test('an unreachable DATABASE_URL', async () => {
    const { code, output } = await startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    assert.equal(code, 1);
    assert.match(output, /cannot use PostgreSQL at 127\.0\.0\.1:1\/nothing/);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  });

  test('a port in use', async () => {
    const t = await createTestDatabase();
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await startServer({ DATABASE_URL: t.url, PORT: String(port), DEMO_DATA: 'false' });
      assert.equal(code, 1);
      assert.match(output, new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
      await t.drop();
    }
  });

  test('an upgrade runs migrations named before the last one a database ran (branches land in any order)', async () => {
    const t = await createTestDatabase({ empty: true });
    mkdirSync(path.join(root, '.data'), { recursive: true });
    const dir = mkdtempSync(path.join(root, '.data', 'mig-'));
    // What the release before this one shipped: through issue 18's migration, without 13, 16, 17 and 19.
    const released = readdirSync(migrationsDir).filter((f) => f < '2026-12-01T1300' || ['2026-12-01T1400_14_console.ts', '2026-12-01T1500_15_payments.ts', '2026-12-01T1800_18_abuse_privacy.ts'].includes(f));
    for (const f of released) copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
    try {
      assert.equal((await migrateToLatest(t.db, dir)).length, released.length);
      const later = await migrateToLatest(t.db);
      assert.ok(later.includes('2026-12-01T1300_13_delivery_lease') && later.length === readdirSync(migrationsDir).length - released.length, later.join());
      assert.deepEqual(await migrateToLatest(t.db), [], 'nothing left');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.drop();
    }
  });

  test('a failed migration is an error, never a silent success', async () => {
    const t = await createTestDatabase();
    // Inside the repo so the real migrations copied beside the broken one resolve 'kysely'.
    mkdirSync(path.join(root, '.data'), { recursive: true });
    const dir = mkdtempSync(path.join(root, '.data', 'mig-'));
    for (const f of readdirSync(migrationsDir)) copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
    writeFileSync(path.join(dir, '2099-01-01T0000_broken.ts'),
      "export async function up(db: any) { await db.selectFrom('no_such_table').selectAll().execute(); }\n");
    try {
      await assert.rejects(migrateToLatest(t.db, dir), (err: unknown) => err instanceof MigrationError && /2099-01-01T0000_broken failed/.test(err.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.drop();
    }
  });
});

describe('embedded PostgreSQL failures are clear and leave nothing behind', () => {
  const rootOnly = asRoot ? false : 'runs as root only (PostgreSQL then runs as the postgres user)';

  test('a data folder the postgres user cannot reach (a clone under /root, started as root)', { skip: rootOnly }, async () => {
    const locked = lockedFolder();
    const tmp = mkdtempSync(path.join(tmpdir(), 'bw-tmp-'));
    const dataDir = path.join(locked, 'project', '.data');
    try {
      const run = await startServer({ DATA_DIR: dataDir }, { tmp });
      const msg = fatalOf(run);
      assert.match(msg, new RegExp(`user "postgres" .*cannot enter ${escape(locked)} \\(mode 700, owner uid 0\\)`));
      assert.match(msg, new RegExp(`data folder ${escape(path.join(dataDir, 'pg'))}`));
      assert.match(msg, /such as \/srv or \/opt, start as a normal user, or set DATABASE_URL/);
      assert.deepEqual(readdirSync(tmp), [], 'no password file (or anything else) left in the temp folder');
      assert.equal(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), false);
    } finally {
      rmSync(locked, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('PostgreSQL binaries the postgres user cannot run (node_modules under /root)', { skip: rootOnly }, async () => {
    // A clone inside a folder only root may enter; --preserve-symlinks keeps the binaries' path
    // inside it, exactly as a real clone's node_modules would be.
    const locked = lockedFolder();
    const clone = path.join(locked, 'clone');
    for (const part of ['server', 'shared', 'migrations', 'package.json']) cpSync(path.join(root, part), path.join(clone, part), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
    const tmp = mkdtempSync(path.join(tmpdir(), 'bw-tmp-'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bw-data-'));
    try {
      const run = await startServer({ DATA_DIR: dataDir }, { tmp, cwd: clone, nodeArgs: ['--preserve-symlinks', '--preserve-symlinks-main'] });
      const msg = fatalOf(run);
      assert.match(msg, new RegExp(`cannot enter ${escape(locked)} .*so it cannot reach the PostgreSQL binaries in ${escape(path.join(clone, 'node_modules'))}`));
      assert.match(msg, /or set DATABASE_URL/);
      assert.deepEqual(readdirSync(tmp), []);
      assert.doesNotMatch(run.output, /EACCES|Unhandled 'error' event/);
    } finally {
      rmSync(locked, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a port in use: named, with the variable to change, before anything is initialised', async () => {
    const blocker = createServer().listen(PG_PORT.busy, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const tmp = mkdtempSync(path.join(tmpdir(), 'bw-tmp-'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bw-data-'));
    try {
      const run = await startServer({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(PG_PORT.busy) }, { tmp });
      const msg = fatalOf(run);
      assert.match(msg, new RegExp(`port ${PG_PORT.busy} on 127\\.0\\.0\\.1 is already in use .*set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL`));
      assert.deepEqual(readdirSync(tmp), []);
      assert.equal(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), false);
    } finally {
      blocker.close();
      rmSync(tmp, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a database left running by a killed server is named; a stale lock file is cleared', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'bw-tmp-'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bw-data-'));
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(PG_PORT.lock), PORT: '0', DEMO_DATA: 'false', LOG_LEVEL: 'info' };
    const lockFile = path.join(dataDir, 'pg', 'postmaster.pid');
    let pgPid = 0;
    try {
      // First start initialises the folder; the password never touches the temp folder for long.
      const first = await startUntilReady(env, { tmp });
      assert.deepEqual(readdirSync(tmp), []);
      assert.equal(statSync(path.join(dataDir, 'pg.password')).mode & 0o777, 0o600);
      pgPid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
      first.child.kill('SIGKILL'); // no shutdown: PostgreSQL (its own process group) stays up
      await first.exited;
      assert.ok(processAlive(pgPid), 'the orphaned PostgreSQL is still running');

      const second = await startServer(env, { tmp });
      const msg = fatalOf(second);
      assert.match(msg, new RegExp(`data folder ${escape(path.join(dataDir, 'pg'))} is in use by PostgreSQL process ${pgPid}.*kill ${pgPid}.*set DATA_DIR`));
      assert.ok(processAlive(pgPid), 'the running database is left alone');

      // Kill it hard as a crash would: its lock file stays. Its number now belongs to a live
      // process that is not PostgreSQL (as after a reboot or in a container): PostgreSQL alone
      // would refuse to start.
      process.kill(-pgPid, 'SIGKILL');
      await until('the killed PostgreSQL to be gone', () => !processAlive(-pgPid));
      assert.ok(existsSync(lockFile));
      const lock = readFileSync(lockFile, 'utf8').split('\n');
      writeFileSync(lockFile, [String(process.pid), ...lock.slice(1)].join('\n'));

      const third = await startUntilReady(env, { tmp });
      const warning = parseLines(third.output()).find((l) => /removed the stale lock file/.test(l.msg));
      assert.ok(warning, third.output());
      assert.equal(warning.level, 'warn');
      assert.match(warning.msg, new RegExp(`process ${process.pid} is not PostgreSQL`));
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0);
      assert.equal(existsSync(lockFile), false, 'a clean shutdown stops PostgreSQL');
      assert.deepEqual(readdirSync(tmp), []);
    } finally {
      if (pgPid && processAlive(-pgPid)) process.kill(-pgPid, 'SIGKILL');
      const left = existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8').split('\n')[0]) : 0;
      if (left && left !== process.pid && processAlive(-left)) process.kill(-left, 'SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the compiled copy `npm start` runs (npm run build:server, dist/node)', () => {
  test('migrates from its compiled migrations, serves, and stops cleanly', async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json'], { cwd: root });
    const t = await createTestDatabase({ empty: true });
    try {
      const server = await startUntilReady({ DATABASE_URL: t.url, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'true', LOG_LEVEL: 'info' }, { entry: 'dist/node/server/server.js' });
      const base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
      assert.ok(base, server.output());
      assert.equal((await fetch(`${base}/ready`)).status, 200);
      const specialists = await (await fetch(`${base}/api/specialists`)).json() as { items?: unknown[] } | unknown[];
      assert.ok((Array.isArray(specialists) ? specialists : specialists.items ?? []).length > 0, 'the demo practice was set up');
      const ran = await t.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      assert.equal(ran.length, readdirSync(migrationsDir).filter((f) => f.endsWith('.ts')).length, 'every migration, by the same names as from the sources');
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      await t.drop();
    }
  });
});
