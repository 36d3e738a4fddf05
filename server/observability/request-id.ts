// Request ids: the caller's (a proxy's or client's X-Request-Id) when it is a sane token, so one
// id follows a request through every hop's logs; otherwise a new UUID. It is logged with every
// line of the request (reqId) and returned in the X-Request-Id response header.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Bounded, and only characters that cannot break a log line or a header (UUIDs, ULIDs, trace ids). */
const SAFE_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
