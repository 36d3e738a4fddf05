// Group commit (server/bookings/batches.ts) on the real PostgreSQL: attempts at one key that
// arrive while its transaction waits for a connection share that transaction; what they must not
// share keeps them apart; one attempt's refusal is its own; a transaction that fails as a whole is
// retried one attempt at a time, so the others still get their answer.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { groupCommit, type LockedAttempt, type TakenTime } from '../../server/bookings/batches.ts';
import { lockedPipeline } from '../../server/bookings/store.ts';
import { SlotRefused } from '../../server/bookings/slots.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
  await sql`CREATE TABLE gc_t (k text PRIMARY KEY, seen int NOT NULL)`.execute(t.db);
});
after(() => t.drop());
beforeEach(async () => { await sql`TRUNCATE gc_t`.execute(t.db); });

const rows = async () => (await sql<{ k: string; seen: number }>`SELECT k, seen FROM gc_t ORDER BY k`.execute(t.db)).rows;

/**
 * A group commit whose transactions wait for `open()` before they get their connection (as they
 * wait for a pooled one under load), counting the transactions that reached PostgreSQL.
 */
function harness(o: { inFlight?: number; maxSize?: number; retryAlone?: (err: unknown) => boolean; failBefore?: Error } = {}) {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const stats = { transactions: 0, sizes: [] as number[] };
  const commit = groupCommit<string>({
    db: t.db, inFlight: o.inFlight ?? 1, maxSize: o.maxSize ?? 32,
    retryAlone: o.retryAlone ?? (() => true),
    transaction: async (key, body) => {
      await gate;
      if (o.failBefore) throw o.failBefore;
      stats.transactions++;
      return lockedPipeline(t.db, [key], body);
    },
  });
  return { commit, stats, open: release };
}

/**
 * An attempt writing row `k`, refused when `refuse` says so given the time the attempts before it
 * in the transaction took (each takes [n, n, n + 1, k]).
 */
function attempt(k: string, o: { keys?: string[]; n?: number; refuse?: (taken: readonly TakenTime[]) => boolean; seen?: number[] } = {}): LockedAttempt<string, number> {
  return {
    keys: o.keys ?? [],
    locks: [],
    read: (pipe) => pipe.read({ query: CompiledQuery.raw('SELECT count(*)::int AS n FROM gc_t'), parse: (r) => (r[0] as { n: number }).n }),
    decide: async (count, pipe, taken) => {
      o.seen?.push(taken.length);
      if (o.refuse?.(taken)) throw new SlotRefused('taken');
      pipe.send(CompiledQuery.raw('INSERT INTO gc_t (k, seen) VALUES ($1, $2)', [k, count]));
      const n = o.n ?? 0;
      return { value: `booked ${k}`, took: [n, n, n + 1, k] };
    },
  };
}

describe('group commit', () => {
  test('attempts arriving while the transaction waits for its connection share it, each seeing the time taken before it', async () => {
    const h = harness();
    const seen: number[] = [];
    const joined = ['a', 'b', 'c', 'd', 'e'].map((k) => h.commit.join('s1', attempt(k, { seen })));
    h.open();
    assert.deepEqual(await Promise.all(joined), ['booked a', 'booked b', 'booked c', 'booked d', 'booked e']);
    assert.equal(h.stats.transactions, 1);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    // Their reads ran in one snapshot, before any of their writes.
    assert.deepEqual((await rows()).map((r) => r.seen), [0, 0, 0, 0, 0]);
  });

  test('different keys (specialists) never share a transaction', async () => {
    const h = harness();
    const joined = [h.commit.join('s1', attempt('a')), h.commit.join('s2', attempt('b'))];
    h.open();
    await Promise.all(joined);
    assert.equal(h.stats.transactions, 2);
  });

  test('attempts sharing an identity or idempotency key go in separate transactions, in arrival order', async () => {
    const h = harness();
    const seen: number[] = [];
    const joined = [
      h.commit.join('s1', attempt('a', { keys: ['mail:x'], seen })),
      h.commit.join('s1', attempt('b', { keys: ['mail:x'], seen })),
      h.commit.join('s1', attempt('c', { keys: ['mail:y'], seen })),
    ];
    h.open();
    await Promise.all(joined);
    assert.equal(h.stats.transactions, 2);
    // a and c first (b waits for a's to commit), then b alone, seeing both rows.
    assert.deepEqual((await rows()).map((r) => [r.k, r.seen]), [['a', 0], ['b', 2], ['c', 0]]);
  });

  test('a batch holds at most maxSize attempts; the rest follow in the next transaction', async () => {
    const h = harness({ maxSize: 2 });
    const joined = ['a', 'b', 'c', 'd', 'e'].map((k) => h.commit.join('s1', attempt(k)));
    h.open();
    await Promise.all(joined);
    assert.equal(h.stats.transactions, 3);
    assert.equal((await rows()).length, 5);
  });

  test('one attempt refused on what the ones before it took is answered so; the others commit', async () => {
    const h = harness();
    const clash = (n: number) => (taken: readonly TakenTime[]) => taken.some(([start]) => start === n);
    const joined = [
      h.commit.join('s1', attempt('a', { n: 7 })),
      h.commit.join('s1', attempt('b', { n: 7, refuse: clash(7) })),
      h.commit.join('s1', attempt('c', { n: 8, refuse: clash(8) })),
    ].map((p) => p.then((v) => v, (e: unknown) => e));
    h.open();
    const [a, b, c] = await Promise.all(joined);
    assert.equal(a, 'booked a');
    assert.ok(b instanceof SlotRefused);
    assert.equal(c, 'booked c');
    assert.deepEqual((await rows()).map((r) => r.k), ['a', 'c']);
    assert.equal(h.stats.transactions, 1);
  });

  test('a transaction that fails as a whole is retried one attempt at a time: only the culprit fails', async () => {
    await sql`INSERT INTO gc_t (k, seen) VALUES ('dup', -1)`.execute(t.db);
    const h = harness();
    const joined = ['a', 'dup', 'c'].map((k) => h.commit.join('s1', attempt(k)).then((v) => v, (e: unknown) => e));
    h.open();
    const [a, dup, c] = await Promise.all(joined);
    assert.equal(a, 'booked a');
    assert.equal((dup as { code?: string }).code, '23505');
    assert.equal(c, 'booked c');
    assert.equal(h.stats.transactions, 4); // the shared one, rolled back, then one each
    assert.deepEqual((await rows()).map((r) => r.k), ['a', 'c', 'dup']);
  });

  test('when the lock itself was the trouble, every attempt of the transaction gets that answer at once', async () => {
    const busy = Object.assign(new Error('lock not granted'), { code: '55P03' });
    const h = harness({ failBefore: busy, retryAlone: (err) => (err as { code?: string }).code !== '55P03' });
    const joined = ['a', 'b'].map((k) => h.commit.join('s1', attempt(k)).then((v) => v, (e: unknown) => e));
    h.open();
    assert.deepEqual(await Promise.all(joined), [busy, busy]);
    assert.equal(h.stats.transactions, 0);
    assert.deepEqual(await rows(), []);
  });

  test('with two in flight, the second gathers the attempts that arrive while the first runs and waits for the lock', async () => {
    const h = harness({ inFlight: 2 });
    h.open();
    let entered!: () => void, letGo!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    const hold = new Promise<void>((r) => { letGo = r; });
    const plain = attempt('a');
    const slow: LockedAttempt<string, number> = { ...plain, decide: async (count, pipe, taken) => { entered(); await hold; return plain.decide(count, pipe, taken); } };
    const first = h.commit.join('s1', slow);
    await inside;
    const seen: number[] = [];
    const later = ['b', 'c', 'd'].map((k) => h.commit.join('s1', attempt(k, { seen })));
    // The second transaction is under way (it will wait for s1's lock) before the first commits.
    while (h.stats.transactions < 2) await new Promise((r) => setTimeout(r, 5));
    letGo();
    await Promise.all([first, ...later]);
    assert.equal(h.stats.transactions, 2);
    assert.deepEqual(seen, [0, 1, 2]);
    // The second read after the first committed: the lock ordered them.
    assert.deepEqual((await rows()).map((r) => [r.k, r.seen]), [['a', 0], ['b', 1], ['c', 1], ['d', 1]]);
  });
});
