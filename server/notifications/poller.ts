// Without Redis (the embedded demo) the same delivery code runs from an in-process scheduler:
// loops that claim batches of due rows straight from the table (FOR UPDATE SKIP LOCKED, so several loops or
// processes never take the same row) until none is due, every `intervalMs`.
import { deliverDue, type Delivery } from './deliver.ts';
import { every } from '../runtime/supervise.ts';

export interface Poller {
  /** Delivers everything due now; resolves with the number of rows handled. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

export function createPoller(d: Delivery, opts: { intervalMs: number; concurrency: number; batchSize: number }): Poller {
  let running: Promise<number> | null = null;
  let closed = false;

  async function drain(): Promise<number> {
    let handled = 0;
    const loop = async () => {
      for (let n = 1; !closed && n > 0; handled += n) n = await deliverDue(d, opts.batchSize);
    };
    await Promise.all(Array.from({ length: opts.concurrency }, loop));
    return handled;
  }

  // One drain at a time; a tick during a drain waits for it and then drains again.
  const tick = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    running = drain();
    try { return await running; } finally { running = null; }
  };

  // Supervised: a failing drain (the database is down) is retried with backoff, logged once per outage.
  const stop = opts.intervalMs > 0 ? every(opts.intervalMs, 'notification scheduler', d.log, tick) : null;

  return {
    tick,
    async close() {
      closed = true;
      stop?.();
      await running?.catch(() => 0);
    },
  };
}
