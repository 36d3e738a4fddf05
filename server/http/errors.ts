// One error shape for every failure: { error, message, field? }. Internals never leak for 5xx.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_YEAR, MIN_YEAR } from './dates.ts';
import { databaseFault } from '../db/pool.ts';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;
  constructor(statusCode: number, code: string, message: string, extra: { field?: string; details?: unknown; headers?: Record<string, string> } = {}) {
    // An answer, not a fault: no stack trace (it is never shown or logged, and capturing one cost
    // more than the rest of a refused booking's error path).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
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
  // 'query', as handlers name the fields they check themselves (Fastify says 'querystring').
  const where = err.validationContext === 'querystring' ? 'query' : (err.validationContext ?? 'body');
  const parts = first.instancePath.split('/').filter(Boolean);
  const missing = (first.params as { missingProperty?: string; additionalProperty?: string } | undefined);
  if (missing?.missingProperty) parts.push(missing.missingProperty);
  if (missing?.additionalProperty) parts.push(missing.additionalProperty);
  // Array indexes in brackets ("body.hours[3].end"), as handlers name fields they check themselves.
  return [where, ...parts].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** Fixed texts for the framework's own 4xx errors: their messages may quote the request. */
const FRAMEWORK: Record<string, [status: number, code: string, message: string]> = {
  FST_ERR_BAD_URL: [400, 'bad_url', 'The URL is malformed (invalid percent-encoding).'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri_too_long', 'A path segment of the URL is too long.'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request', 'The request could not be routed.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty although its Content-Type is application/json.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'bad_request', 'The Content-Type header is empty.'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'bad_request', 'The Content-Type header is malformed.'],
  FST_ERR_BAD_STATUS_CODE: [400, 'bad_request', 'The request could not be processed.'],
};

/** A generic code per 4xx status, for errors nobody mapped more precisely. */
function codeOfStatus(status: number): string {
  switch (status) {
    case 404: return 'not_found';
    case 408: return 'request_timeout';
    case 413: return 'payload_too_large';
    case 414: return 'uri_too_long';
    case 415: return 'unsupported_media_type';
    case 429: return 'rate_limited';
    case 431: return 'headers_too_large';
    default: return 'bad_request';
  }
}

/** Validation messages name the schema path, never the value; still, nothing long goes back. */
const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function errorHandler(err: FastifyError & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) {
    if (err.headers) reply.headers(err.headers);
    return reply.status(err.statusCode).send({ error: err.code, message: err.message, field: err.field, details: err.details });
  }
  if (err.validation) {
    const field = validationField(err);
    const first = err.validation[0];
    const format = first?.keyword === 'format' ? (first.params as { format?: string }).format : undefined;
    if (format === 'date') {
      return reply.status(400).send({ error: 'invalid_date', message: `${field} must be a calendar date (YYYY-MM-DD) from ${MIN_YEAR} to ${MAX_YEAR}.`, field });
    }
    if (format === 'date-time') {
      return reply.status(400).send({
        error: 'invalid_instant',
        message: `${field} must be an RFC 3339 instant with an offset, e.g. 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00 (years ${MIN_YEAR}-${MAX_YEAR}, no leap seconds).`,
        field,
      });
    }
    return reply.status(400).send({ error: 'invalid_request', message: clip(err.message), field });
  }
  const framework = typeof err.code === 'string' ? FRAMEWORK[err.code] : undefined;
  if (framework) return reply.status(framework[0]).send({ error: framework[1], message: framework[2] });
  // JSON.parse's own message quotes part of the body; the body parser marks these 400.
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return reply.status(400).send({ error: 'invalid_json', message: 'The request body is not valid JSON.' });
  }
  // PostgreSQL safety nets: the exclusion constraint, and bad input that slipped past schemas.
  const pgCode = (err as { code?: string }).code;
  if (pgCode === '23P01') {
    return reply.status(409).send({ error: 'slot_taken', message: 'That time is no longer available.' });
  }
  if (typeof pgCode === 'string' && /^22/.test(pgCode)) {
    return reply.status(400).send({ error: 'invalid_request', message: 'A value in the request is out of range or malformed.' });
  }
  // The database cannot do its part right now (down, restarting, frozen, a lock or a pooled
  // connection not granted in time): a temporary condition the client may retry, never a 500.
  const fault = err instanceof Error && err.name === 'LockQueueFull' ? 'busy' : databaseFault(err);
  if (fault === 'busy') {
    return reply.status(503).header('retry-after', '1').send({ error: 'busy', message: 'The server is busy; please retry in a moment.' });
  }
  if (fault === 'unavailable') {
    request.log.warn({ err: err.message, code: pgCode }, 'database unavailable');
    return reply.status(503).header('retry-after', '5').send({ error: 'database_unavailable', message: 'The service is temporarily unavailable; please retry in a few seconds.' });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // The rate limiter's message is ours (errorResponseBuilder); any other framework text may quote input.
    const message = status === 429 ? clip(err.message) : (STATUS_CODES[status] ?? 'Bad request');
    return reply.status(status).send({ error: codeOfStatus(status), message });
  }
  request.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: 'internal', message: 'Something went wrong on our side. Please try again.' });
}

/** Errors Fastify raises before a route is found (Fastify's `frameworkErrors` option). */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = FRAMEWORK[err.code] ?? [400, 'bad_request', 'The request could not be processed.'];
  return reply.status(known[0]).send({ error: known[1], message: known[2] });
}

/**
 * Errors of the HTTP parser itself (headers over 16 KB, a malformed request line, a timeout):
 * no request exists yet, so the answer is written on the socket, in the same shape.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large', 'The request headers are too large (16 KB at most).']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout', 'The request took too long to arrive.']
      : err.code === 'HPE_URI_TOO_LONG' ? [414, 'uri_too_long', 'The URL is too long.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: code, message });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  return reply.status(404).send({ error: 'not_found', message: `No route for ${request.method} ${clip(path, 100)}` });
}
