// Background loops that survive their own failures. A loop iteration that throws (the database or
// Redis is down) is logged and tried again with backoff; the process never dies of it, and an
// outage is one warning when it starts (repeated at most once a minute) and one line when it ends.

export interface LoopLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Failure bookkeeping of one loop: what to log, and how long to wait before the next try. */
export function failureReporter(log: LoopLog, what: string) {
  let failing: { since: number; count: number; lastLog: number } | null = null;
  return {
    failed(err: unknown): number {
      const now = Date.now();
      const message = err instanceof Error ? err.message : String(err);
      if (!failing) {
        failing = { since: now, count: 1, lastLog: now };
        log.warn({ err: message }, `${what} failed; retrying with backoff`);
      } else {
        failing.count++;
        if (now - failing.lastLog >= 60_000) {
          failing.lastLog = now;
          log.warn({ err: message, failures: failing.count, sinceMs: now - failing.since }, `${what} still failing`);
        }
      }
      return Math.min(30_000, 500 * 2 ** Math.min(failing.count, 6));
    },
    succeeded(): void {
      if (!failing) return;
      log.info({ failures: failing.count, downMs: Date.now() - failing.since }, `${what} recovered`);
      failing = null;
    },
  };
}

/**
 * Runs `fn` every `intervalMs` (one run at a time; a failure waits out its backoff first) until
 * the returned stop() is called. The timer is unref'd: it never holds a process open by itself.
 */
export function every(intervalMs: number, what: string, log: LoopLog, fn: () => Promise<unknown>): () => void {
  const report = failureReporter(log, what);
  let busy = false;
  let resumeAt = 0;
  const timer = setInterval(() => {
    if (busy || Date.now() < resumeAt) return;
    busy = true;
    fn().then(() => report.succeeded(), (err) => { resumeAt = Date.now() + report.failed(err); })
      .finally(() => { busy = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
