// One error shape for every failure: { error, message, field? }. Internals never leak for 5xx.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;
  constructor(statusCode: number, code: string, message: string, extra: { field?: string; details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.field = extra.field;
    this.details = extra.details;
    this.headers = extra.headers;
  }
}

export const badRequest = (code: string, message: string, field?: string) => new HttpError(400, code, message, { field });
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new HttpError(409, code, message, { details });

/** The request field a validation error is about, as "body.visitor.email" / "query.from". */
function validationField(err: FastifyError): string | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const where = err.validationContext ?? 'body';
  const parts = first.instancePath.split('/').filter(Boolean);
  const missing = (first.params as { missingProperty?: string; additionalProperty?: string } | undefined);
  if (missing?.missingProperty) parts.push(missing.missingProperty);
  if (missing?.additionalProperty) parts.push(missing.additionalProperty);
  // Array indexes in brackets ("body.hours[3].end"), as handlers name fields they check themselves.
  return [where, ...parts].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

export function errorHandler(err: FastifyError & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) {
    if (err.headers) reply.headers(err.headers);
    return reply.status(err.statusCode).send({ error: err.code, message: err.message, field: err.field, details: err.details });
  }
  if (err.validation) {
    const field = validationField(err);
    return reply.status(400).send({ error: 'invalid_request', message: err.message, field });
  }
  // PostgreSQL safety nets: the exclusion constraint, and bad input that slipped past schemas.
  const pgCode = (err as { code?: string }).code;
  if (pgCode === '23P01') {
    return reply.status(409).send({ error: 'slot_taken', message: 'That time is no longer available.' });
  }
  if (typeof pgCode === 'string' && /^22/.test(pgCode)) {
    return reply.status(400).send({ error: 'invalid_request', message: 'A value in the request is out of range or malformed.' });
  }
  // Pool exhausted under load: a temporary server condition the client may retry, not a crash.
  if (/timeout exceeded when trying to connect/.test(err.message ?? '')) {
    return reply.status(503).header('retry-after', '1').send({ error: 'busy', message: 'The server is busy; please retry in a moment.' });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = status === 429 ? 'rate_limited' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_request';
    return reply.status(status).send({ error: code, message: err.message });
  }
  request.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: 'internal', message: 'Something went wrong on our side. Please try again.' });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` });
}
