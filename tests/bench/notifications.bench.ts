// Benchmark: notifications delivered per second through BullMQ (real Redis, real PostgreSQL)
// with no-op transports, so the figure measures the pipeline — relay, delayed/wait queue,
// worker, the claim transaction held across the send, rendering — not a mail server.
// 5,000 due email rows (1,000 bookings x 5 kinds) are put on the queue and drained.
// Run: node tests/bench/notifications.bench.ts    Reuse: `const figures = await main()`.
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase } from '../helpers/db.ts';
import { TestClock, testConfig } from '../helpers/app.ts';
import { startNotifications } from '../../server/notifications/runtime.ts';
import { seal } from '../../server/security/crypto.ts';
import type { Db } from '../../server/db/pool.ts';

const ROWS = 5000;
const TARGET_PER_SEC = 1000;
const CONCURRENCY = 256;
const KINDS = ['visitor.confirmation', 'visitor.reminder_24h', 'visitor.reminder_1h', 'visitor.reminder_15m', 'specialist.new_booking'];
const quiet = { info() {}, warn() {}, error() {} };

async function seed(db: Db, now: number, key: Buffer) {
  const specialist = await db.insertInto('specialists').values({ slug: 'bench', name: 'Bench', email: 'bench@practice.test', timezone: 'Europe/Berlin' })
    .returning('id').executeTakeFirstOrThrow();
  const service = await db.insertInto('services').values({ slug: 'bench', name: 'Bench', duration_min: 30 }).returning('id').executeTakeFirstOrThrow();
  const terms = JSON.stringify({ name: 'Bench', durationMin: 30, priceCents: null, currency: null, cancellationPolicy: 'flexible', bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: true });
  const bookings = await db.insertInto('bookings').values(Array.from({ length: ROWS / KINDS.length }, (_, i) => {
    const start = new Date(now + 2 * 86_400_000 + i * 3_600_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    return {
      specialist_id: specialist.id, service_id: service.id, status: 'confirmed' as const, starts_at: start, ends_at: end,
      blocked_from: start, blocked_until: end, visitor_name: `Visitor ${i}`, visitor_email: `v${i}@bench.test`,
      visitor_timezone: 'America/New_York', service_terms: terms, manage_token_hash: randomBytes(16).toString('hex'),
    };
  })).returning('id').execute();
  const sealed = seal(key, 'bm_benchtoken');
  const rows = bookings.flatMap((b) => KINDS.map((kind) => ({
    booking_id: b.id, kind, channel: 'email' as const, recipient: 'x@bench.test',
    payload: JSON.stringify({ bookingId: b.id, manageTokenSealed: sealed }), send_at: new Date(now),
  })));
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('notifications').values(rows.slice(i, i + 1000)).execute();
}

export interface NotificationsBenchFigures {
  rows: number;
  seconds: number;
  perSecond: number;
  ratioToTarget: number;
  sentOnce: boolean;
  target: { perSecond: number; met: boolean };
}

export async function main(): Promise<NotificationsBenchFigures> {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const database = await createTestDatabase();
  const clock = new TestClock('2026-12-01T08:00:00Z');
  const config = testConfig(database.url);
  let delivered = 0;
  const rt = await startNotifications({
    config, clock, log: quiet, redisUrl, prefix: `bwbench-${randomBytes(4).toString('hex')}`,
    intervalMs: 0, concurrency: CONCURRENCY, backoffMs: 1000, maxAttempts: 3,
    transports: { email: async () => { delivered++; } },
  });
  try {
    await seed(database.db, clock.now(), config.secretKey);
    const t0 = performance.now();
    await rt.bull!.relay();
    while (delivered < ROWS) {
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - t0 > 90_000) throw new Error(`only ${delivered} of ${ROWS} delivered in 90 s`);
    }
    // Done means committed: wait for the last claims to commit.
    for (;;) {
      const { n } = await database.db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'sent').executeTakeFirstOrThrow();
      if (n === ROWS) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = Math.round(ROWS / seconds);
    const ratioToTarget = Math.round((perSecond / TARGET_PER_SEC) * 100) / 100;
    const figures: NotificationsBenchFigures = {
      rows: ROWS, seconds: Math.round(seconds * 1000) / 1000, perSecond, ratioToTarget, sentOnce: delivered === ROWS,
      target: { perSecond: TARGET_PER_SEC, met: perSecond >= TARGET_PER_SEC && delivered === ROWS },
    };
    console.log(`notifications through BullMQ (no-op transport, concurrency ${CONCURRENCY}):`);
    console.log(`  ${ROWS} rows in ${figures.seconds} s = ${perSecond}/s; ratio to target ${ratioToTarget} (target >= ${TARGET_PER_SEC}/s): ${figures.target.met ? 'MET' : 'MISSED'}`);
    console.log(`  transport calls ${delivered} for ${ROWS} rows (exactly once: ${figures.sentOnce})`);
    return figures;
  } finally {
    await rt.bull?.queue.obliterate({ force: true }).catch(() => {});
    await rt.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
