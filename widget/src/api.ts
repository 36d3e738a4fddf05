// The widget's client for the public API: plain fetch (no cookies, CORS), the caller's
// AbortSignal passed through, and failures split into "the server said no" (ApiError, with
// its `{ error, message }` body) and "the server could not be reached" (NetworkError: retry).
import type { PublicService, PublicSpecialist, SlotsResponse, ErrorBody } from '../../shared/schemas.ts';
import type { BookingView, CreateBookingInput, CreatedBooking, JoinInfo } from './types.ts';
import type { AltchaChallenge } from './challenge.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(body.message || body.error);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error;
    this.body = body;
  }
}

export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network', { cause });
    this.name = 'NetworkError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
  idempotencyKey?: string;
  /** 'reload': past the browser's HTTP cache (slots right after a conflict). */
  cache?: RequestCache;
}

/** Our own 503s that pass by themselves (http/errors.ts), unlike e.g. video_not_configured. */
const TRANSIENT = ['busy', 'database_unavailable'];

export class Api {
  readonly base: string;
  constructor(base: string) {
    this.base = base.replace(/\/+$/, '');
  }

  async request<T>(path: string, o: RequestOptions = {}, retries = 2): Promise<T> {
    const { method = 'GET', body, token, signal, idempotencyKey, cache } = o;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method, headers, signal, credentials: 'omit', ...(cache ? { cache } : {}), body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new NetworkError(err);
    }
    const text = await res.text();
    let data: unknown = null;
    try { data = text ? JSON.parse(text) : null; } catch { /* a proxy's HTML error page */ }
    if (!res.ok) {
      const ours = data !== null && typeof data === 'object' && typeof (data as ErrorBody).error === 'string';
      const err = ours ? (data as ErrorBody) : { error: `http_${res.status}`, message: res.statusText };
      // The server busy or its database away for a moment: a read, or a write under an idempotency
      // key (the server answers a repeat with the first result), is tried again after Retry-After.
      if (retries > 0 && TRANSIENT.includes(err.error) && (method === 'GET' || idempotencyKey)) {
        await new Promise((r) => setTimeout(r, Math.min(5, Number(res.headers.get('retry-after')) || 1) * 1000));
        if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
        return this.request<T>(path, o, retries - 1);
      }
      // A gateway's own page (no error body of ours): the API was not reached; retrying may help.
      // Our own 503 (video_not_configured, a dependency down) says what is wrong: keep it.
      if (!ours && res.status >= 502 && res.status <= 504) throw new NetworkError(new ApiError(res.status, err));
      throw new ApiError(res.status, err);
    }
    return data as T;
  }

  specialist(idOrSlug: string, signal?: AbortSignal) {
    return this.request<PublicSpecialist>(`/api/specialists/${encodeURIComponent(idOrSlug)}`, { signal });
  }

  /** Every active specialist's public profile (the specialist picker). */
  profiles(signal?: AbortSignal) {
    return this.request<PublicSpecialist[]>('/api/specialists', { signal });
  }

  services(specialist: string | undefined, signal?: AbortSignal) {
    const q = specialist ? `?specialist=${encodeURIComponent(specialist)}` : '';
    return this.request<PublicService[]>(`/api/services${q}`, { signal });
  }

  slots(specialist: string, service: string, from: string, to: string, timezone: string, signal?: AbortSignal, fresh = false) {
    const q = new URLSearchParams({ service, from, to, timezone });
    return this.request<SlotsResponse>(`/api/specialists/${encodeURIComponent(specialist)}/slots?${q}`, { signal, ...(fresh ? { cache: 'reload' as const } : {}) });
  }

  /** What POST /api/bookings asks for: nothing, the built-in proof of work, or a third-party CAPTCHA. */
  challenge(signal?: AbortSignal) {
    return this.request<{ required: boolean; kind?: string; challenge?: AltchaChallenge }>('/api/challenge', { signal });
  }

  /** 201 carries the manage token; a 200 replay of an idempotency key does not (the caller kept it). */
  async createBooking(input: CreateBookingInput, signal?: AbortSignal): Promise<{ booking: BookingView; manageToken: string | null }> {
    const { manageToken, ...booking } = await this.request<CreatedBooking | (BookingView & { manageToken?: undefined })>(
      '/api/bookings', { method: 'POST', body: input, signal, idempotencyKey: input.idempotencyKey });
    return { booking, manageToken: manageToken ?? null };
  }

  booking(id: string, token: string, signal?: AbortSignal) {
    return this.request<BookingView>(`/api/bookings/${encodeURIComponent(id)}`, { token, signal });
  }

  cancel(id: string, token: string, reason?: string) {
    return this.request<BookingView>(`/api/bookings/${encodeURIComponent(id)}/cancel`, { method: 'POST', token, body: reason ? { reason } : {} });
  }

  reschedule(id: string, token: string, start: string) {
    return this.request<BookingView>(`/api/bookings/${encodeURIComponent(id)}/reschedule`, { method: 'POST', token, body: { start } });
  }

  recordingConsent(id: string, token: string, consent: boolean) {
    return this.request<BookingView['recording']>(`/api/bookings/${encodeURIComponent(id)}/recording-consent`, { method: 'PUT', token, body: { consent } });
  }

  recordingLink(id: string, token: string) {
    return this.request<{ url: string; expiresAt: string }>(`/api/bookings/${encodeURIComponent(id)}/recording`, { token });
  }

  join(id: string, token: string) {
    return this.request<JoinInfo>(`/api/bookings/${encodeURIComponent(id)}/join`, { method: 'POST', token, body: {} });
  }
}

/** A user-facing reading of any failure: which message key, and whether a retry can help. */
export function describeError(err: unknown): { code: string; status: number; message: string; retry: boolean } {
  if (err instanceof NetworkError) return { code: 'network', status: 0, message: 'network', retry: true };
  if (err instanceof ApiError) return { code: err.code, status: err.status, message: err.message, retry: err.status === 429 || err.status >= 502 };
  return { code: 'unknown', status: 0, message: err instanceof Error ? err.message : String(err), retry: true };
}
