// The official Stripe SDK, configured once per secret key. STRIPE_API_URL points it at another
// host (a local fake in tests) through the SDK's own host/port/protocol options. The SDK retries
// connection errors, 409s and 5xx itself (same Idempotency-Key on every retry); a 429 is left to
// our durable jobs, which retry with backoff under the same key.
import Stripe from 'stripe';
import type { Config } from '../config.ts';

export type StripeConfig = NonNullable<Config['stripe']>;
export type StripeClient = Stripe;
export { Stripe };

const clients = new Map<string, Stripe>();

export function stripeClient(config: StripeConfig): Stripe {
  const key = `${config.secretKey} ${config.apiUrl ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    const target = config.apiUrl ? new URL(config.apiUrl) : null;
    client = new Stripe(config.secretKey, {
      maxNetworkRetries: 3,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: 'booking-widget' },
      ...(target ? {
        host: target.hostname,
        port: target.port || (target.protocol === 'https:' ? '443' : '80'),
        protocol: target.protocol === 'https:' ? 'https' : 'http',
      } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

/** The Stripe config, or a clear error for a payment operation on a server without one. */
export function requireStripe(config: Config): StripeConfig {
  if (config.stripe === null) throw new Error('Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET)');
  return config.stripe;
}

/** Whether an SDK error is worth another attempt later (rate limit, Stripe or network trouble). */
export function isRetryableStripeError(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeRateLimitError
    || err instanceof Stripe.errors.StripeAPIError
    || err instanceof Stripe.errors.StripeConnectionError
    || (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 500);
}

/** Milliseconds a 429 asked us to wait (Retry-After), else 0. */
export function retryAfterMs(err: unknown): number {
  if (!(err instanceof Stripe.errors.StripeError)) return 0;
  const value = (err.headers as Record<string, string | undefined> | undefined)?.['retry-after'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
