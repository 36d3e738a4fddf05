// Helmet's security headers, worked out once at start-up and set on every answer as they are.
// (@fastify/helmet builds helmet's middleware anew for every request, parsing the CSP
// directives each time: ~4 % of the CPU of a cached slots answer.) Our headers are static: no
// per-request nonces, the video provider's origins are fixed by the configuration.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet would set with `options`, lower-cased names to values. */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) { headers[name.toLowerCase()] = String(value); },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
  };
  let failure: unknown = null;
  // helmet's middleware runs synchronously and touches nothing but setHeader/removeHeader.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => { failure = err ?? null; });
  if (failure) throw failure;
  return headers;
}
