// Who may read /metrics: with METRICS_TOKEN set, only a caller presenting it as a bearer token
// (Prometheus' `authorization` setting). Used by the API's route and by the separate listener.
import { bearerToken, safeEqual } from '../auth/tokens.ts';

export function metricsAllowed(token: string | null, authorization: string | undefined): boolean {
  if (token === null) return true;
  const given = bearerToken(authorization);
  return given !== null && safeEqual(given, token);
}
