// A delivery error that no retry can fix (an invalid phone number, a deleted endpoint, a 4xx
// answer): the row is marked failed at once instead of burning its remaining attempts.
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * The message no longer applies at send time (a reminder for a booking marked no-show, say): the
 * row is cancelled, not failed. The outbox cancels such rows when it can; this is the backstop for
 * changes that write no outbox rows.
 */
export class StaleNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleNotificationError';
  }
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * How long the provider asked us to wait (a 429's Retry-After), when the error says so: channel
 * errors carry it as `retryAfterMs`. Retries wait at least that long, whatever the backoff says.
 */
export function retryAfterOf(err: unknown): number {
  const ms = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
}
