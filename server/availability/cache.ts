// The slots cache: answers and loaded rows kept in process memory, but never trusted on their
// own. Every request first reads the availability version of its keys from PostgreSQL (see
// load.ts availabilityVersion; the database bumps it in the same transaction as any change), and
// an entry serves only the version it was computed at. So an answer is never older than the
// database at the moment the request arrived, on whichever instance: nothing in memory is needed
// for correctness, only for speed.

/**
 * Reads that start after the caller arrived, shared by every caller that arrived meanwhile.
 * A caller finding a read of its key in flight does not join it (that read may predate a commit
 * the caller already saw): it waits for the next one, which starts when the current one ends and
 * serves everybody who queued. Under load this is one version read per round trip per key,
 * whatever the request rate.
 */
export function freshReads<V>(): (key: string, read: () => Promise<V>) => Promise<V> {
  interface Lane { running: Promise<V>; queued: Promise<V> | null }
  const lanes = new Map<string, Lane>();
  const start = (key: string, lane: Lane, read: () => Promise<V>): Promise<V> => {
    const p = read();
    lane.running = p;
    const done = () => { if (lane.running === p && lane.queued === null && lanes.get(key) === lane) lanes.delete(key); };
    p.then(done, done);
    return p;
  };
  return (key, read) => {
    const lane = lanes.get(key);
    if (lane === undefined) {
      const fresh: Lane = { running: null as unknown as Promise<V>, queued: null };
      lanes.set(key, fresh);
      return start(key, fresh, read);
    }
    if (lane.queued !== null) return lane.queued;
    const after = () => { lane.queued = null; return start(key, lane, read); };
    const queued = lane.running.then(after, after);
    lane.queued = queued;
    return queued;
  };
}

/** A size-bounded map, least recently used out first (a Map iterates in insertion order). */
export class Lru<V> {
  readonly #entries = new Map<string, { value: V; size: number }>();
  readonly #maxSize: number;
  #size = 0;

  /** `maxSize` in the units `set` is given (bytes for bodies, 1 per entry otherwise). */
  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V, size = 1): void {
    this.delete(key);
    if (size > this.#maxSize) return;
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [k] of this.#entries) {
      if (this.#size <= this.#maxSize) break;
      this.delete(k);
    }
  }

  delete(key: string): void {
    const e = this.#entries.get(key);
    if (e === undefined) return;
    this.#entries.delete(key);
    this.#size -= e.size;
  }
}
