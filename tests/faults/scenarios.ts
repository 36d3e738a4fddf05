// The fault run shared by tests/faults/faults.test.ts (asserts) and tests/bench/faults.bench.ts
// (prints): two API instances and `npm run worker` against an own PostgreSQL and Redis, a steady
// booking load (retried like the widget: same idempotency key, after Retry-After), and one fault
// at a time. Every phase reports the answers it saw, the longest wait, recovery times, and the
// duplicate emails (same Message-ID accepted twice) it caused.
import { ADMIN_TOKEN, OwnPostgres, OwnRedis, PORTS, Proc, appEnv, book, seedPractice, sleep, startApi, startSink, startWorker, type Outcome, type Sink } from './harness.ts';

export interface PhaseReport {
  phase: string;
  attempts: number;
  statuses: Record<string, number>;
  maxMs: number;
  p50ms: number;
  p99ms: number;
  /** Emails accepted twice during this phase. */
  duplicates: number;
  extra?: Record<string, unknown>;
}

export interface FaultReport {
  phases: PhaseReport[];
  bookings: number;
  /** 201s whose row is missing, or rows no 201/200 answered. */
  rowMismatch: number;
  overlaps: number;
  /** Immediate notifications of created bookings not accepted by the SMTP sink in the end. */
  lost: number;
  duplicates: number;
  /** Processes that exited on their own. */
  crashed: string[];
  status500: number;
  /** The workers' last warnings and errors (for the record). */
  workerLog?: string[];
  doubledRows?: unknown[];
}

const SLOT_MS = 30 * 60_000;
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0; };

export async function runFaults(log: (line: string) => void = () => {}, only: string[] = []): Promise<FaultReport> {
  const pgc = new OwnPostgres(PORTS.postgres);
  const redis = new OwnRedis(PORTS.redis);
  let sink: Sink | null = null;
  const procs: Proc[] = [];
  const expectedExit = new Set<Proc>();
  try {
    await pgc.start();
    await redis.start();
    sink = await startSink(PORTS.smtp);
    sink.state.delayMs = 100;
    const env = appEnv({ databaseUrl: pgc.url, redisUrl: redis.url, smtpPort: PORTS.smtp, leaseMs: 5000 });
    const apiA = await startApi('api-a', PORTS.api[0], env); // migrates
    const apiB = await startApi('api-b', PORTS.api[1], env);
    let worker = await startWorker(env);
    procs.push(apiA, apiB, worker);
    const practice = await seedPractice(pgc, 40);
    const bases = PORTS.api.map((p) => `http://127.0.0.1:${p}`);

    // Unique (specialist, start) per attempt, from two days ahead.
    const day0 = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000;
    let seq = 0;
    const created = new Map<string, string>(); // idempotency key -> booking id
    let status500 = 0;
    const nextBody = (specialist?: number) => {
      const n = seq++;
      const s = specialist ?? n % practice.specialists.length;
      // A chosen specialist books far ahead, clear of the round-robin load's slots.
      const start = specialist === undefined ? day0 + Math.floor(n / practice.specialists.length) * SLOT_MS : day0 + 200 * 86_400_000 + n * SLOT_MS;
      return {
        key: `fault-key-${n}`,
        body: {
          specialist: practice.specialists[s], service: practice.service,
          start: new Date(start).toISOString(),
          visitor: { name: 'Fault Visitor', email: `v${n}@visitor.test`, timezone: 'UTC' },
        },
      };
    };

    /** Like the widget: a 503 (or no answer) is retried with the same key after Retry-After. */
    async function attempt(first: Outcome[], specialist?: number) {
      const { key, body } = nextBody(specialist);
      for (let i = 0; i < 20; i++) {
        const o = await book(bases[(seq + i) % 2]!, body, key, 30_000);
        first.push(o); // every answer, retries included
        if (o.status === 500) status500++;
        if ((o.status === 201 || o.status === 200) && o.id) { created.set(key, o.id); return; }
        if (o.status >= 400 && o.status < 500) { if (o.status !== 409) log(`refused: ${o.status} ${o.error} ${o.message}`); return; }
        await sleep(o.error === 'busy' ? 1000 : 2000);
      }
    }

    /** Steady load while `during` runs: `concurrency` loops of attempts. */
    async function phase(name: string, during: (outcomes: Outcome[]) => Promise<Record<string, unknown> | void>, concurrency = 6): Promise<PhaseReport> {
      if (only.length > 0 && !only.some((w) => name.includes(w))) return { phase: name, attempts: 0, statuses: {}, maxMs: 0, p50ms: 0, p99ms: 0, duplicates: 0, extra: { skipped: true } };
      const before = sink!.duplicates();
      const outcomes: Outcome[] = [];
      let stop = false;
      const loops = Array.from({ length: concurrency }, async () => { while (!stop) await attempt(outcomes); });
      let extra: Record<string, unknown> | void;
      try { extra = await during(outcomes); } finally { stop = true; await Promise.all(loops); }
      const statuses: Record<string, number> = {};
      for (const o of outcomes) { const k = `${o.status}${o.error && o.status >= 400 ? ` ${o.error}` : ''}`; statuses[k] = (statuses[k] ?? 0) + 1; }
      const ms = outcomes.map((o) => o.ms);
      const r: PhaseReport = {
        phase: name, attempts: outcomes.length, statuses,
        maxMs: Math.round(Math.max(0, ...ms)), p50ms: Math.round(percentile(ms, 50)), p99ms: Math.round(percentile(ms, 99)),
        duplicates: sink!.duplicates() - before, ...(extra ? { extra } : {}),
      };
      log(`${name}: ${JSON.stringify(r)}`);
      return r;
    }

    /** Ms until `count` (pending rows; an unreachable database counts as some) reaches 0, or -1 after the timeout. */
    async function untilNone(count: () => Promise<string>, timeoutMs: number): Promise<number> {
      const t0 = Date.now();
      while (Date.now() - t0 < timeoutMs) {
        if (await count().catch(() => '1') === '0') return Date.now() - t0;
        await sleep(200);
      }
      return -1;
    }
    const PENDING_DUE = `FROM notifications WHERE status = 'pending' AND send_at <= now()`;
    /** Waits until every message due now is recorded sent (with no load adding more); ms taken, or -1. */
    const drained = (timeoutMs = 60_000) =>
      untilNone(async () => (await pgc.query<{ n: string }>(`SELECT count(*) AS n ${PENDING_DUE}`))[0]!.n, timeoutMs);
    const dueNow = async () => (await pgc.query<{ id: string }>(`SELECT id ${PENDING_DUE}`)).map((r) => r.id);
    /**
     * Ms until every given notification (by default: every one due now) is recorded sent, while
     * the load goes on adding more behind them; -1 after the timeout.
     */
    async function delivered(due?: string[], timeoutMs = 120_000): Promise<number> {
      const ids = due ?? await dueNow();
      return untilNone(async () => (await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE status = 'pending' AND id = ANY($1::uuid[])`, [ids]))[0]!.n, timeoutMs);
    }
    const ready = async (base: string) => {
      const res = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
      return res ? `${res.status} ${((await res.json()) as { status: string }).status}` : 'no answer';
    };
    /** Time from now until a booking succeeds again. */
    async function recovery(): Promise<number> {
      const t0 = Date.now();
      for (;;) {
        const { key, body } = nextBody();
        const o = await book(bases[0]!, body, key, 10_000);
        if (o.status === 201 && o.id) { created.set(key, o.id); return Date.now() - t0; }
        await sleep(100);
      }
    }

    const phases: PhaseReport[] = [];
    phases.push(await phase('baseline', async () => { await sleep(4000); }));

    phases.push(await phase('postgres stopped 6 s, restarted', async () => {
      await sleep(1000);
      await pgc.stop();
      await sleep(6000);
      await pgc.start();
      const recoveredMs = await recovery();
      await sleep(1000);
      return { recoveredMs };
    }));

    phases.push(await phase('pg_terminate_backend x3 during sends', async () => {
      let terminated = 0;
      for (let i = 0; i < 3; i++) { await sleep(1000); terminated += await pgc.terminateBackends(); }
      await sleep(1000);
      return { terminated };
    }));

    phases.push(await phase('postgres frozen 10 s (SIGSTOP)', async () => {
      await sleep(1000);
      pgc.freeze();
      await sleep(10_000);
      pgc.thaw();
      const recoveredMs = await recovery();
      return { recoveredMs };
    }));

    // The load makes mail faster than one worker sends it through a 100 ms SMTP server, so each
    // Redis fault starts from an empty backlog: its figure is the recovery of what that fault lost
    // (and what piled up during it), not of the previous phases' queue.
    await drained();
    phases.push(await phase('redis killed 6 s, restarted empty', async () => {
      await sleep(1000);
      await redis.kill();
      await sleep(1000);
      const readyDuring = await ready(bases[0]!);
      await sleep(5000);
      await redis.start();
      return { readyDuring, dueDeliveredAfterRestartMs: await delivered() };
    }));

    await drained();
    phases.push(await phase('redis FLUSHALL', async () => {
      await sleep(1000);
      // What the flush takes away: every job of a pending row due by now.
      const lostJobs = await dueNow();
      await redis.flushAll();
      return { flushedPending: lostJobs.length, dueDeliveredAfterFlushMs: await delivered(lostJobs) };
    }));

    sink.state.delayMs = 300;
    const killed = await phase('worker kill -9 mid-send', async () => {
      await sleep(2500);
      expectedExit.add(worker);
      await worker.stop('SIGKILL');
      // What the dead worker held: claims that come back when their lease runs out.
      const [held] = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE status = 'pending' AND claim_token IS NOT NULL`);
      await sleep(500);
      worker = await startWorker(env, 'worker-2');
      procs.push(worker);
      await sleep(1000);
      return { claimedAtKill: Number(held!.n) };
    });
    // The killed worker's claims come back after the 5 s lease: what it had sent but not yet
    // recorded goes out again then, and counts as this fault's.
    const beforeDrain = sink.duplicates();
    await drained();
    killed.duplicates += sink.duplicates() - beforeDrain;
    phases.push(killed);

    sink.state.delayMs = 3000;
    phases.push(await phase('worker SIGTERM with 3 s sends in flight (deploy)', async () => {
      await sleep(2000);
      expectedExit.add(worker);
      const shutdownMs = await worker.stop('SIGTERM');
      const exitCode = worker.exit?.code;
      worker = await startWorker(env, 'worker-3');
      procs.push(worker);
      return { shutdownMs, exitCode };
    }, 3));
    sink.state.delayMs = 100;
    await drained();

    // One session holds specialist 0's booking lock for 8 s.
    phases.push(await phase('a specialist lock held 8 s', async (outcomes) => {
      const holder = pgc.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended($1, 0)); SELECT pg_sleep(8); COMMIT;`.replace('$1', `'booking:${practice.specialists[0]}'`));
      await sleep(300);
      const onHeld: Outcome[] = [];
      await Promise.all(Array.from({ length: 12 }, () => attemptOnce(onHeld, 0)));
      await holder;
      void outcomes;
      const heldStatuses: Record<string, number> = {};
      for (const o of onHeld) heldStatuses[`${o.status} ${o.error ?? ''}`.trim()] = (heldStatuses[`${o.status} ${o.error ?? ''}`.trim()] ?? 0) + 1;
      return { heldSpecialist: heldStatuses, heldMaxMs: Math.round(Math.max(...onHeld.map((o) => o.ms))) };
    }));
    async function attemptOnce(into: Outcome[], specialist: number) {
      const { key, body } = nextBody(specialist);
      const o = await book(bases[0]!, body, key, 30_000);
      into.push(o);
      if ((o.status === 201 || o.status === 200) && o.id) created.set(key, o.id);
      if (o.status === 500) status500++;
    }

    const finalDrainMs = await drained(90_000);
    log(`final drain: ${finalDrainMs} ms`);
    await sleep(500);

    // Integrity.
    const ids = new Set(created.values());
    const rows = await pgc.query<{ id: string }>('SELECT id FROM bookings');
    const rowIds = new Set(rows.map((r) => r.id));
    const rowMismatch = [...ids].filter((id) => !rowIds.has(id)).length + [...rowIds].filter((id) => !ids.has(id)).length;
    const [ov] = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.specialist_id = b.specialist_id AND a.id < b.id
      AND a.status IN ('confirmed', 'pending', 'awaiting_payment') AND b.status IN ('confirmed', 'pending', 'awaiting_payment')
      AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)`);
    const immediate = await pgc.query<{ id: string; status: string }>(`SELECT id, status FROM notifications WHERE channel = 'email' AND kind IN ('visitor.confirmation', 'specialist.new_booking')`);
    const host = '127.0.0.1';
    const lost = immediate.filter((n) => !sink!.accepted.has(`<${n.id}@${host}>`)).length;
    void ADMIN_TOKEN;
    const doubled = [...sink.accepted].filter(([, n]) => n > 1).map(([id]) => id.slice(1, 37));
    const doubledRows = doubled.length === 0 ? [] : await pgc.query(`SELECT kind, status, attempts, last_error FROM notifications WHERE id = ANY($1::uuid[]) LIMIT 5`, [doubled]);
    return {
      phases, bookings: ids.size, rowMismatch, overlaps: Number(ov!.n), lost, duplicates: sink.duplicates(),
      doubledRows,
      workerLog: procs.filter((p) => p.name.startsWith('worker')).flatMap((p) => p.lines.filter((l) => /"level":"(warn|error)"/.test(l)).slice(-15)),
      crashed: procs.filter((p) => !p.alive && !expectedExit.has(p)).map((p) => `${p.name} ${JSON.stringify(p.exit)}: ${p.lines.slice(-3).join(' | ')}`),
      status500,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop('SIGKILL').catch(() => {})));
    await sink?.close().catch(() => {});
    await redis.kill().catch(() => {});
    await pgc.destroy().catch(() => {});
  }
}
