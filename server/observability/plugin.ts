// Observability of the API: request ids in and out, the HTTP latency histogram (by route
// template), the app's metrics as `app.metrics`, and GET /metrics on the API's own port when
// METRICS_TOKEN protects it and no METRICS_PORT moves it elsewhere (server.ts listens there).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { HttpError } from '../http/errors.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { metricsAllowed } from './metrics-auth.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export default fp(async (app) => {
  const metrics = createMetrics();
  app.decorate('metrics', metrics);
  const unwatch = metrics.watchPool('api', app.db);
  app.addHook('onClose', async () => unwatch());

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });

  const { token, port } = app.config.metrics;
  if (token === null || port !== null) return;
  app.get('/metrics', {
    schema: {
      hide: true,
      headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
      response: { 200: Type.String(), 401: { $ref: 'Error#' } },
    },
  }, async (request, reply) => {
    if (!metricsAllowed(token, request.headers.authorization)) {
      throw new HttpError(401, 'unauthorized', 'A valid metrics token is required.', { headers: { 'www-authenticate': 'Bearer' } });
    }
    return reply.type(metrics.contentType).header('cache-control', 'no-store').send(await metrics.render());
  });
}, { name: 'observability', dependencies: ['config', 'db'] });

/** Why a booking request was refused, as a bounded label: our error codes, else the framework's. */
export function refusalReason(err: FastifyError & { code?: string }): string {
  if (err instanceof HttpError) return err.code;
  if (err.validation) return 'invalid_request';
  if (err.statusCode === 429) return 'rate_limited';
  if (err.code === '23P01') return 'slot_taken';
  return (err.statusCode ?? 500) >= 500 ? 'server_error' : 'bad_request';
}

/**
 * Route hooks for POST /api/bookings: a 201 is a booking created; any error is a refusal by its
 * code (rate limits, validation and 409s included: each is a visitor who did not get the slot).
 */
export function bookingOutcomeHooks(metrics: Metrics) {
  return {
    onError: async (_request: FastifyRequest, _reply: FastifyReply, err: FastifyError) => { metrics.bookingRefused(refusalReason(err)); },
    onResponse: async (_request: FastifyRequest, reply: FastifyReply) => { if (reply.statusCode === 201) metrics.bookingCreated(); },
  };
}
