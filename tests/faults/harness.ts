// Real processes for fault tests and the fault benchmark: an own PostgreSQL cluster (the embedded
// binaries, its own data folder and port, so it can be stopped, restarted and frozen), an own
// redis-server (killed, flushed, absent), a slow SMTP sink that records only deliveries it
// accepted (by Message-ID), and API instances and `npm run worker` as child processes.
// Ports 16300-16399 (issue 13's range).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const PORTS = { postgres: 16310, redis: 16311, smtp: 16312, api: [16320, 16321], worker: 16330 } as const;

/** A PostgreSQL cluster of our own: stop/start keep its data; freeze() SIGSTOPs every process of it. */
export class OwnPostgres {
  readonly dir: string;
  readonly port: number;
  db: EmbeddedDatabase | null = null;
  url = '';
  constructor(port: number) {
    // As root the embedded server runs as `postgres`: its folder's parent must be reachable by it.
    this.dir = mkdtempSync(path.join(tmpdir(), 'bw13-pg-'));
    this.port = port;
  }
  async start() {
    this.db = await startEmbeddedPostgres(this.dir, this.port, quiet);
    this.url = this.db.url;
  }
  async stop() { await this.db?.stop(); this.db = null; }
  /** SIGSTOP/SIGCONT the whole process group (postmaster and backends): a frozen server. */
  freeze() { for (const pid of this.pids()) process.kill(pid, 'SIGSTOP'); }
  thaw() { for (const pid of this.pids()) process.kill(pid, 'SIGCONT'); }
  /** The postmaster and its children (each backend is its own process group, so not -pid). */
  private pids(): number[] {
    const root = this.db!.pid;
    const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
      try { return Number(readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === root ? [Number(d)] : []; } catch { return []; }
    });
    return [root, ...children];
  }
  async query<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try { return (await c.query<T>(text, values)).rows; } finally { await c.end().catch(() => {}); }
  }
  /** Ends every session of the application database but ours (pg_terminate_backend). */
  async terminateBackends(): Promise<number> {
    const rows = await this.query<{ n: string }>(`SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
    return Number(rows[0]?.n ?? 0);
  }
  async destroy() {
    if (this.db) { try { this.thaw(); } catch { /* not frozen */ } await this.stop(); }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** redis-server on its own port, without persistence: a restart loses everything (the worst case). */
export class OwnRedis {
  readonly port: number;
  proc: ChildProcess | null = null;
  constructor(port: number) { this.port = port; }
  get url() { return `redis://127.0.0.1:${this.port}`; }
  async start() {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.proc = proc;
    const reap = () => { if (proc.exitCode === null) proc.kill('SIGKILL'); };
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    for (let i = 0; i < 100; i++) {
      if (await this.ping()) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  }
  async ping(): Promise<boolean> {
    const { Redis } = await import('ioredis');
    const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    r.on('error', () => {});
    try { await r.connect(); return (await r.ping()) === 'PONG'; } catch { return false; } finally { r.disconnect(); }
  }
  async flushAll() {
    const { Redis } = await import('ioredis');
    const r = new Redis(this.url);
    try { await r.flushall(); } finally { r.disconnect(); }
  }
  async kill() {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

/** An SMTP server that answers each message after `delayMs` and records it only once accepted. */
export async function startSink(port: number) {
  const accepted = new Map<string, number>();
  const state = { delayMs: 0, acceptedTotal: 0 };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, size: 1024 * 1024,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
      stream.on('end', () => {
        const id = /^message-id:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? `<none-${Math.random()}>`;
        setTimeout(() => {
          accepted.set(id, (accepted.get(id) ?? 0) + 1);
          state.acceptedTotal++;
          callback();
        }, state.delayMs);
      });
    },
  });
  // A client killed mid-session resets its connection: that is the point of the exercise.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    state, accepted,
    duplicates: () => [...accepted.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Sink = Awaited<ReturnType<typeof startSink>>;

/** A child process (`node server/server.ts` or the worker) with its exit watched. */
export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  exit: { code: number | null; signal: string | null } | null = null;
  readonly lines: string[] = [];
  readonly exited: Promise<void>;
  constructor(name: string, script: string, env: Record<string, string>) {
    this.name = name;
    this.child = spawn(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) { this.lines.push(l); if (this.lines.length > 2000) this.lines.shift(); }
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    // Never outlive the runner (a crashed run must not leave servers on our ports).
    const reap = () => { if (this.alive) this.child.kill('SIGKILL'); };
    process.once('exit', reap);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => { this.exit = { code, signal }; process.removeListener('exit', reap); resolve(); }));
  }
  get alive() { return this.exit === null; }
  async waitFor(pattern: RegExp, timeoutMs = 60_000) {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (this.lines.some((l) => pattern.test(l))) return;
      if (!this.alive) throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}): ${this.lines.slice(-5).join(' | ')}`);
      await sleep(100);
    }
    throw new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms: ${this.lines.slice(-5).join(' | ')}`);
  }
  /** Sends a signal and waits for the exit; resolves with how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    const t0 = Date.now();
    if (this.alive) this.child.kill(signal);
    await this.exited;
    return Date.now() - t0;
  }
}

export const ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';

/** Every process links to the first API instance (so Message-IDs end in @127.0.0.1). */
export function appEnv(o: { databaseUrl: string; redisUrl: string | null; smtpPort: number; leaseMs?: number }): Record<string, string> {
  return {
    PUBLIC_URL: `http://127.0.0.1:${PORTS.api[0]}`,
    NODE_ENV: 'development', LOG_LEVEL: 'info', DEMO_DATA: 'false',
    DATABASE_URL: o.databaseUrl, ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    IN_PROCESS_WORKER: 'false', ADMIN_TOKEN,
    SECRET_KEY: '13'.repeat(32), MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${o.smtpPort}`, MAIL_FROM: 'Bookings <bookings@fault.test>',
    BOOKING_CHALLENGE: 'off', RATE_LIMIT_WRITES_PER_MINUTE: '100000', MAIL_CAP_PER_ADDRESS: '0',
    BOOKING_LIMIT_ACTIVE_PER_EMAIL: '0', BOOKING_LIMIT_ACTIVE_PER_CLIENT: '0', BOOKING_LIMIT_HOURLY_PER_EMAIL: '0',
    BOOKING_LIMIT_HOURLY_PER_CLIENT: '0', BOOKING_LIMIT_DAILY_PER_EMAIL: '0', BOOKING_LIMIT_DAILY_PER_CLIENT: '0',
    NOTIFICATION_LEASE_MS: String(o.leaseMs ?? 5000), SHUTDOWN_GRACE_MS: '45000',
  };
}

export async function startApi(name: string, port: number, env: Record<string, string>): Promise<Proc> {
  const p = new Proc(name, 'server/server.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await p.waitFor(/"ready: /);
  return p;
}

export async function startWorker(env: Record<string, string>, name = 'worker'): Promise<Proc> {
  const p = new Proc(name, 'server/notifications/worker.ts', env);
  await p.waitFor(/notification worker started/);
  return p;
}

/** Practice data straight into the database: `n` specialists in UTC, open all week, one 30-minute service. */
export async function seedPractice(pgc: OwnPostgres, n: number): Promise<{ specialists: string[]; service: string }> {
  const [svc] = await pgc.query<{ id: string }>(`INSERT INTO services (slug, name, duration_min) VALUES ('fault-svc', 'Fault service', 30) RETURNING id`);
  const specialists: string[] = [];
  for (let i = 0; i < n; i++) {
    const [s] = await pgc.query<{ id: string }>(`INSERT INTO specialists (slug, name, email, timezone, bio) VALUES ($1, $2, $3, 'UTC', '') RETURNING id`,
      [`fault-${i}`, `Specialist ${i}`, `spec${i}@fault.test`]);
    specialists.push(s!.id);
    await pgc.query('INSERT INTO specialist_services (specialist_id, service_id) VALUES ($1, $2)', [s!.id, svc!.id]);
    for (let d = 0; d < 7; d++) await pgc.query(`INSERT INTO weekly_hours (specialist_id, weekday, start_time, end_time) VALUES ($1, $2, '00:00', '24:00')`, [s!.id, d + 1]);
  }
  return { specialists, service: svc!.id };
}

export interface Outcome { status: number; ms: number; error?: string; message?: string; id?: string; at: number }

/** One booking attempt over HTTP, with a deadline (a hung request counts as status 0). */
export async function book(base: string, body: unknown, key: string, timeoutMs = 30_000): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/bookings`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
    });
    const json = await res.json().catch(() => ({})) as { id?: string; error?: string; message?: string };
    return { status: res.status, ms: performance.now() - t0, error: json.error, message: json.message, id: json.id, at: Date.now() };
  } catch (err) {
    return { status: 0, ms: performance.now() - t0, error: (err as Error).name, at: Date.now() };
  }
}
