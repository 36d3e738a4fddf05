// A transaction whose statements go to PostgreSQL back to back (node-postgres pipelining, see
// pool.ts): the statements that do not depend on each other's answers are written at once and
// answered in one round trip, instead of one round trip each. The booking transaction is the one
// that needs it: it holds a specialist's lock, and under load every round trip it spends waiting
// for this process's event loop is time every other booking of that specialist waits too.
//
// Within one transaction PostgreSQL runs the statements in the order they were written; the
// first failure aborts the transaction, the statements after it fail with 25P02 and the COMMIT
// written behind them ends it as a rollback. The error reported is that first failure.
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import { poolOf, type Db } from './pool.ts';
import { batchWrites } from './readers.ts';

/** A statement and what its rows mean: one definition serves a plain call and a pipelined one. */
export interface Read<T> {
  query: CompiledQuery;
  parse(rows: unknown[]): T;
}

/** Runs one Read on its own (the app's Kysely instance or a transaction of it). */
export async function run<T>(db: Kysely<Database>, read: Read<T>): Promise<T> {
  return read.parse((await db.executeQuery(read.query)).rows as unknown[]);
}

export interface Pipe {
  /** Writes the statement to the connection now (statements go out in call order); resolves to its rows. */
  send(query: CompiledQuery): Promise<unknown[]>;
  /** send + parse. */
  read<T>(read: Read<T>): Promise<T>;
  /** This transaction as a Kysely instance, for steps that await each statement's answer before the next. */
  readonly db: Kysely<Database>;
}

const ignore = () => {};

/**
 * Runs `fn` in a transaction opened by `begin` (a parameterless text, e.g. BEGIN and lock
 * statements, written ahead of whatever `fn` sends first). When `fn` returns, COMMIT is written
 * right behind the statements it sent without awaiting them; the result is returned once all of
 * them succeeded and the commit went through. A throw from `fn`, or any failed statement, rolls
 * everything back and is rethrown (a failed statement's error first).
 */
export async function pipelinedTransaction<T>(db: Db, begin: string, fn: (pipe: Pipe) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  const sent: Promise<unknown[]>[] = [];
  const send = (query: CompiledQuery): Promise<unknown[]> => {
    batchWrites(client);
    const answer = (client.query(query.sql as never, query.parameters as unknown[]) as unknown as Promise<pg.QueryResult>).then((r) => r.rows as unknown[]);
    answer.catch(ignore);
    sent.push(answer);
    return answer;
  };
  let kysely: Kysely<Database> | undefined;
  const pipe: Pipe = {
    send,
    read: async (r) => r.parse(await send(r.query)),
    get db() { return kysely ??= onClient(client); },
  };
  /** The first statement that failed, in the order written (the cause; later ones only report the abort). */
  const firstFailure = async (): Promise<{ error: unknown } | null> => {
    for (const answer of sent) {
      try { await answer; } catch (error) { return { error }; }
    }
    return null;
  };
  let broken = false;
  try {
    send(CompiledQuery.raw(begin));
    let result: T;
    try {
      result = await fn(pipe);
    } catch (err) {
      throw (await firstFailure())?.error ?? err;
    }
    batchWrites(client);
    const commit = client.query('COMMIT') as unknown as Promise<pg.QueryResult>;
    commit.catch(ignore);
    const failed = await firstFailure();
    if (failed) throw failed.error;
    if ((await commit).command !== 'COMMIT') throw new Error('the booking transaction was rolled back');
    return result;
  } catch (err) {
    await Promise.allSettled(sent);
    // Ends the transaction if the COMMIT never ran (a no-op warning otherwise); a connection that
    // cannot even do that is discarded.
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** A Kysely instance whose every query goes to this one checked-out client (no pooling, no release). */
function onClient(client: pg.PoolClient): Kysely<Database> {
  const single = { query: client.query.bind(client), release: ignore };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => {} } as never }) });
}
