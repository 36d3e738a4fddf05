// The official Stripe SDK, configured once per secret key and loaded on first use (servers that
// take no payments never load it; the rest load it after start-up). STRIPE_API_URL points it at
// another host (a local fake in tests) through the SDK's own host/port/protocol options. The SDK
// retries connection errors, 409s and 5xx itself (same Idempotency-Key on every retry); a 429 is
// left to our durable jobs, which retry with backoff under the same key.
import type Stripe from 'stripe';
import type { Config } from '../config.ts';

export type StripeConfig = NonNullable<Config['stripe']>;
export type StripeClient = Stripe;

const clients = new Map<string, Stripe>();
let sdk: Promise<typeof import('stripe')> | null = null;

export async function stripeClient(config: StripeConfig): Promise<Stripe> {
  const key = `${config.secretKey} ${config.apiUrl ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    const { default: StripeSdk } = await (sdk ??= import('stripe'));
    const target = config.apiUrl ? new URL(config.apiUrl) : null;
    client = new StripeSdk(config.secretKey, {
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

/** The SDK's error, told apart by its `type` (the SDK's class name) so the module stays lazy. */
export function stripeErrorType(err: unknown): string | null {
  const type = (err as { type?: unknown; raw?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('Stripe') && typeof (err as { raw?: unknown }).raw === 'object' ? type : null;
}

/** Whether an SDK error is worth another attempt later (rate limit, Stripe or network trouble). */
export function isRetryableStripeError(err: unknown): boolean {
  const type = stripeErrorType(err);
  return type === 'StripeRateLimitError' || type === 'StripeAPIError' || type === 'StripeConnectionError'
    || (type !== null && ((err as { statusCode?: number }).statusCode ?? 0) >= 500);
}

/** Milliseconds a 429 asked us to wait (Retry-After), else 0. */
export function retryAfterMs(err: unknown): number {
  if (stripeErrorType(err) === null) return 0;
  const value = ((err as { headers?: Record<string, string | undefined> }).headers)?.['retry-after'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
