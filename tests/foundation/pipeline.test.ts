// The database plumbing behind the booking hot path: a transaction whose statements are written
// together (db/pipeline.ts) and the shared, pipelined read connections (db/readers.ts), against
// the real PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { pipelinedTransaction } from '../../server/db/pipeline.ts';
import { createDb, poolStats, readerFor, type Db } from '../../server/db/pool.ts';

const insert = (id: number, v: string) => CompiledQuery.raw('INSERT INTO pipe_t (id, v) VALUES ($1, $2) RETURNING id, v', [id, v]);
const ids = async (db: Db) => (await sql<{ id: number }>`SELECT id FROM pipe_t ORDER BY id`.execute(db)).rows.map((r) => r.id);

describe('pipelined transaction', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    await sql`CREATE TABLE pipe_t (id int PRIMARY KEY, v text NOT NULL)`.execute(t.db);
  });
  after(() => t.drop());

  test('statements written together commit together, each with its own answer', async () => {
    const sent = await pipelinedTransaction(t.db, 'BEGIN', async (pipe) => {
      const [a, b] = [pipe.send(insert(1, 'one')), pipe.send(insert(2, 'two'))];
      // Reads after writes in the same transaction see them.
      const count = await pipe.read({ query: CompiledQuery.raw('SELECT count(*)::int AS n FROM pipe_t'), parse: (rows) => (rows[0] as { n: number }).n });
      return { a, b, count };
    });
    assert.deepEqual(await sent.a, [{ id: 1, v: 'one' }]);
    assert.deepEqual(await sent.b, [{ id: 2, v: 'two' }]);
    assert.equal(sent.count, 2);
    assert.deepEqual(await ids(t.db), [1, 2]);
  });

  test('a failing statement rolls back everything, and its error is the one reported', async () => {
    await assert.rejects(pipelinedTransaction(t.db, 'BEGIN', async (pipe) => {
      pipe.send(insert(3, 'three'));
      pipe.send(insert(1, 'again')); // 23505: id 1 exists
      pipe.send(insert(4, 'four')); // 25P02 (transaction aborted): not the error to report
      return null;
    }), (err: { code?: string }) => err.code === '23505');
    assert.deepEqual(await ids(t.db), [1, 2]);
  });

  test('a throw after reading rolls back what was written, and is rethrown as it is', async () => {
    await assert.rejects(pipelinedTransaction(t.db, 'BEGIN', async (pipe) => {
      pipe.send(insert(5, 'five'));
      await pipe.send(CompiledQuery.raw('SELECT 1'));
      throw new Error('refused after reading');
    }), /refused after reading/);
    assert.deepEqual(await ids(t.db), [1, 2]);
  });

  test('the begin text runs first (several statements in one message) and the connection goes back to the pool', async () => {
    const before = poolStats(t.db)!;
    const locked = await pipelinedTransaction(t.db, `BEGIN; SELECT pg_advisory_xact_lock(4242)`, async (pipe) => pipe.read({
      query: CompiledQuery.raw(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND pid = pg_backend_pid()`),
      parse: (rows) => (rows[0] as { n: number }).n,
    }));
    assert.equal(locked, 1);
    const afterwards = poolStats(t.db)!;
    assert.equal(afterwards.total - afterwards.idle, before.total - before.idle, 'no connection is left checked out');
    // ...and it is usable, outside any transaction.
    assert.deepEqual((await sql<{ open: boolean }>`SELECT now() = statement_timestamp() AS open`.execute(t.db)).rows, [{ open: true }]);
  });
});

describe('shared readers', () => {
  let t: TestDatabase;
  before(async () => { t = await createTestDatabase(); });
  after(() => t.drop());
  /** A Db of its own (pool of `size`), closed afterwards. */
  const withDb = async (size: number, fn: (db: Db) => Promise<void>) => {
    const db = createDb(t.url, size);
    try { await fn(db); } finally { await db.destroy(); }
  };

  test('concurrent reads share a few connections, and each gets its own answer', () => withDb(10, async (db) => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) =>
      sql<{ i: number; pid: number }>`SELECT ${i}::int AS i, pg_backend_pid() AS pid`.execute(readerFor(db))));
    answers.forEach((a, i) => assert.equal(a.rows[0]!.i, i));
    const pids = new Set(answers.map((a) => a.rows[0]!.pid));
    assert.equal(pids.size, 2, 'a pool of 10 reads over 2 shared connections');
    assert.equal(poolStats(db)!.total, 0, 'no pooled connection was taken');
  }));

  test('a failing read fails alone', () => withDb(5, async (db) => {
    const r = readerFor(db);
    const settled = await Promise.allSettled([sql`SELECT 1 AS ok`.execute(r), sql`SELECT 1 / 0 AS boom`.execute(r), sql`SELECT 2 AS ok`.execute(r)]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(((settled[1] as PromiseRejectedResult).reason as { code?: string }).code, '22012');
  }));

  test('a reader whose connection is killed is replaced by the next read', () => withDb(5, async (db) => {
    const r = readerFor(db);
    const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(r)).rows[0]!.pid;
    await sql`SELECT pg_terminate_backend(${pid})`.execute(t.db);
    let next: number | undefined;
    for (let i = 0; i < 50 && next === undefined; i++) {
      try { next = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(r)).rows[0]!.pid; } catch { await new Promise((res) => setTimeout(res, 20)); }
    }
    assert.ok(next !== undefined && next !== pid, `a fresh connection answered (${pid} -> ${next})`);
  }));

  test('inside a transaction, reads stay on the transaction', async () => {
    await t.db.transaction().execute(async (trx) => {
      assert.equal(readerFor(trx), trx);
    });
    assert.notEqual(readerFor(t.db), t.db);
  });
});
