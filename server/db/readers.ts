// Shared connections for single-statement reads. A pooled connection is held by one caller from
// checkout to release, and under load most of that time is spent waiting for this process's
// event loop to pick up the answer, not in PostgreSQL: the slot listing's and the booking
// attempt's reads queued for a free connection longer than they ran. These reads need no
// connection of their own (each is one statement in its own implicit transaction), so they are
// pipelined (node-postgres `pipeline: true`) over a few long-lived connections: each is written
// at once and answered in order, a failed one affects no other.
//
// A connection that fails (server restart, read timeout) is dropped and the next read opens a
// fresh one; the reads in flight on it fail and are answered 503 like any database fault.
import pg from 'pg';

export interface ReaderOptions {
  connectionString: string;
  /** Connections to spread reads over. */
  count: number;
  connectTimeoutMs: number;
  /** Session settings and the client-side read timeout, as the pool's connections have them. */
  session: Partial<Pick<pg.ClientConfig, 'statement_timeout' | 'lock_timeout' | 'query_timeout'>>;
  onError: (err: Error) => void;
}

/** What Kysely's PostgresDialect asks of a pool: a client to query, and an end. */
export interface SharedReaders {
  connect(): Promise<{ query: pg.Client['query']; release(): void }>;
  end(): Promise<void>;
}

/**
 * Holds the client's writes until this turn of the event loop has handled every callback that
 * was ready, so statements issued meanwhile leave as one write: one system call and one wake-up
 * of the server process instead of one per request (a write to a local socket runs the kernel's
 * delivery path in the sender: in the mixed booking storm, flushing after each callback instead
 * spent 30 % of the main thread in writev, now 12 %; p50 66-74 -> 52-57 ms, interleaved runs).
 * node-postgres corks around each query itself; corks nest.
 */
export function batchWrites(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void; writableCorked?: number } } }).connection?.stream;
  if (!stream?.cork || !stream.uncork || (stream.writableCorked ?? 0) > 0) return;
  stream.cork();
  setImmediate(() => stream.uncork!());
}

export function sharedReaders(o: ReaderOptions): SharedReaders {
  type Handle = { query: pg.Client['query']; release(): void; end(): Promise<void> };
  const slots: (Promise<Handle> | null)[] = Array.from({ length: Math.max(1, o.count) }, () => null);
  let next = 0;
  let ended = false;

  const open = (i: number): Promise<Handle> => {
    const client = new pg.Client({
      connectionString: o.connectionString, pipeline: true, keepAlive: true, connectionTimeoutMillis: o.connectTimeoutMs, ...o.session,
    });
    const drop = (err?: Error) => {
      if (slots[i] === opening) slots[i] = null;
      if (err) o.onError(err);
    };
    client.on('error', (err) => { drop(err); client.end().catch(() => {}); });
    client.on('end', () => drop());
    // One handle per connection (Kysely keeps its per-connection state keyed by it); release is a no-op.
    const opening = client.connect().then(
      () => ({ query: ((...args: Parameters<pg.Client['query']>) => { batchWrites(client); return client.query(...args); }) as pg.Client['query'], release() {}, end: () => client.end() }),
      (err: Error) => { drop(); throw err; },
    );
    slots[i] = opening;
    return opening;
  };

  return {
    async connect() {
      if (ended) throw new Error('the database readers were closed');
      const i = next;
      next = (next + 1) % slots.length;
      return slots[i] ?? open(i);
    },
    async end() {
      ended = true;
      const opened = slots.splice(0);
      await Promise.all(opened.map((c) => c?.then((h) => h.end(), () => {}).catch(() => {})));
    },
  };
}
