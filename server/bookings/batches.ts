// Group commit for new bookings. Under load a booking transaction spends most of its time
// waiting: for a pooled connection, for its specialist's lock, for this process's event loop to
// pick up each answer. Attempts at one specialist that arrive meanwhile are decided together in
// the next transaction instead of one transaction each: one connection, one lock, two round trips
// and one commit for all of them. Each is decided in arrival order on its own reads plus the time
// the ones before it took, exactly as it would be in a transaction of its own after theirs.
//
// What two attempts of one transaction must not share, they do not: their reads cannot see each
// other's writes, so attempts with the same visitor identity (limits, mail cap) or idempotency key
// wait for the next transaction. A transaction that fails as a whole (a statement error, an
// overlap or duplicate key another instance wrote meanwhile) is retried one attempt per
// transaction, so each gets the answer it would have had alone.
import type { Pipe } from '../db/pipeline.ts';
import type { DbOrTrx } from '../availability/load.ts';
import { HttpError } from '../http/errors.ts';
import { identityLock, identityLockOrder } from '../abuse/limits.ts';
import type { Settled } from './gate.ts';
import { SlotRefused } from './slots.ts';

/** Time an attempt took: its start, blocked range and service, as the engine's booking rows hold it. */
export type TakenTime = [start: number, blockedFrom: number, blockedUntil: number, serviceId: string];

/** One attempt's part of a booking transaction that already holds its specialists' locks. */
export interface LockedAttempt<T, R = any> {
  /** Keys no two attempts of one transaction may share (identities, idempotency key). */
  keys: readonly string[];
  /** Identity locks (limitCheck's `locks`) to hold before any read. */
  locks: readonly string[];
  /** Sends its reads (synchronously, before its first await) and resolves to what `decide` needs. */
  read(pipe: Pipe): Promise<R>;
  /**
   * Decides on the reads and the time taken by the attempts decided before it in this transaction,
   * then sends its writes. In a shared transaction it must throw, if at all, before sending any.
   */
  decide(reads: R, pipe: Pipe, taken: readonly TakenTime[]): Promise<{ value: T; took?: TakenTime }>;
}

function sendLocks(db: DbOrTrx, pipe: Pipe, attempts: readonly LockedAttempt<unknown>[]): void {
  const keys = [...new Set(attempts.flatMap((a) => a.locks))].sort(identityLockOrder);
  for (const key of keys) pipe.send(identityLock(db, key));
}

/** One attempt in a transaction of its own: anything it throws rolls the transaction back. */
export async function decideAlone<T>(db: DbOrTrx, pipe: Pipe, attempt: LockedAttempt<T>): Promise<T> {
  sendLocks(db, pipe, [attempt]);
  return (await attempt.decide(await attempt.read(pipe), pipe, [])).value;
}

/** A refusal of one attempt (a limit, a replay under another request, the slot) rather than a failure of the transaction. */
const ownAnswer = (err: unknown) => err instanceof HttpError || err instanceof SlotRefused;

/** Several attempts in one transaction: each one's own refusal is its outcome; any other error fails them all. */
export async function decideTogether<T>(db: DbOrTrx, pipe: Pipe, attempts: readonly LockedAttempt<T>[]): Promise<Settled<T>[]> {
  sendLocks(db, pipe, attempts);
  const reads = await Promise.all(attempts.map((a) => a.read(pipe)));
  const taken: TakenTime[] = [];
  const out: Settled<T>[] = [];
  for (const [i, attempt] of attempts.entries()) {
    try {
      const { value, took } = await attempt.decide(reads[i], pipe, taken);
      if (took) taken.push(took);
      out.push({ ok: true, value });
    } catch (error) {
      if (!ownAnswer(error)) throw error;
      out.push({ ok: false, error });
    }
  }
  return out;
}

export interface GroupCommitOptions {
  /** Transactions of one key at a time (one running, the next waiting for the lock with its statements written). */
  inFlight: number;
  /** Attempts per transaction, at most. */
  maxSize: number;
  /** Runs `body` in a transaction holding `key`'s lock (and its place in the lock queue). */
  transaction<R>(key: string, body: (pipe: Pipe) => Promise<R>): Promise<R>;
  /** Whether a failed shared transaction is worth retrying attempt by attempt (not when the lock itself was the problem). */
  retryAlone(err: unknown): boolean;
  db: DbOrTrx;
}

interface Waiting<T> { attempt: LockedAttempt<T>; resolve(value: T): void; reject(err: unknown): void }
interface Queue<T> { waiting: Waiting<T>[]; running: number; connecting: boolean }

/** The next transaction's attempts: in arrival order, skipping any that shares a key with one taken. */
function takeCompatible<T>(waiting: Waiting<T>[], max: number): Waiting<T>[] {
  const used = new Set<string>();
  const taken: Waiting<T>[] = [];
  for (let i = 0; i < waiting.length && taken.length < max;) {
    const w = waiting[i]!;
    if (w.attempt.keys.some((k) => used.has(k))) { i++; continue; }
    for (const k of w.attempt.keys) used.add(k);
    taken.push(w);
    waiting.splice(i, 1);
  }
  return taken;
}

/**
 * Attempts per key (a specialist) that join the transaction being formed: membership closes when
 * the transaction gets its connection, so everything that arrived while it waited for one rides
 * along.
 */
export function groupCommit<T>(o: GroupCommitOptions): { join(key: string, attempt: LockedAttempt<T>): Promise<T> } {
  const queues = new Map<string, Queue<T>>();

  const alone = (key: string, w: Waiting<T>) => o.transaction(key, (pipe) => decideAlone(o.db, pipe, w.attempt)).then(w.resolve, w.reject);

  const pump = (key: string, q: Queue<T>): void => {
    if (q.connecting || q.running >= o.inFlight || q.waiting.length === 0) return;
    q.running++;
    q.connecting = true;
    let members: Waiting<T>[] | null = null;
    const close = () => {
      q.connecting = false;
      members = takeCompatible(q.waiting, o.maxSize);
      pump(key, q);
      return members;
    };
    o.transaction(key, (pipe) => {
      const batch = close();
      return batch.length === 1 ? decideAlone(o.db, pipe, batch[0]!.attempt).then((value): Settled<T>[] => [{ ok: true, value }]) : decideTogether(o.db, pipe, batch.map((w) => w.attempt));
    }).then(
      (results) => results.forEach((r, i) => (r.ok ? members![i]!.resolve(r.value) : members![i]!.reject(r.error))),
      (err) => {
        // Failed before it had its members (no connection, no place in the lock queue): those who would have been are answered so.
        const failed = members ?? close();
        if (failed.length > 1 && o.retryAlone(err)) return Promise.all(failed.map((w) => alone(key, w)));
        for (const w of failed) w.reject(err);
      },
    ).finally(() => {
      q.running--;
      if (q.running === 0 && !q.connecting && q.waiting.length === 0) queues.delete(key);
      else pump(key, q);
    });
  };

  return {
    join(key, attempt) {
      let q = queues.get(key);
      if (q === undefined) queues.set(key, q = { waiting: [], running: 0, connecting: false });
      const queue = q;
      return new Promise<T>((resolve, reject) => {
        queue.waiting.push({ attempt, resolve, reject });
        pump(key, queue);
      });
    },
  };
}
