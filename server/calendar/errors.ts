// What can go wrong talking to a calendar provider, sorted by what the caller should do about it.

/** The grant is gone (revoked, expired, password changed): only the specialist reconnecting helps. */
export class CalendarAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarAuthError';
  }
}

/**
 * The provider asked us to slow down (429, or Google's 403 rateLimitExceeded /
 * userRateLimitExceeded). `retryable` and `retryAfterMs` tell the queue to try again later.
 */
export class CalendarRateLimitError extends Error {
  readonly retryable = true;
  readonly retryAfterMs: number | null;
  readonly status: number;
  constructor(status: number, retryAfterMs: number | null, message = 'calendar provider rate limit') {
    super(message);
    this.name = 'CalendarRateLimitError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Any other provider answer that is not a success (5xx are worth retrying, most 4xx are not). */
export class CalendarApiError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'CalendarApiError';
    this.status = status;
    this.retryable = status >= 500 || status === 408 || status === 0;
  }
}

/** The event (or calendar) is not there any more: 404, or 410 for one deleted. */
export const isGone = (err: unknown): boolean => err instanceof CalendarApiError && (err.status === 404 || err.status === 410);

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
