// Helpers for the management tests: requests with a given bearer token, and a small practice
// built through the admin API.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN, type TestApp } from '../helpers/app.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function call(t: TestApp, method: Method, url: string, token: string | null, body?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method, url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

export const admin = (t: TestApp, method: Method, url: string, body?: unknown) => call(t, method, url, ADMIN_TOKEN, body);

/** The JSON body of an expected status; a mismatch shows the body. */
export function expectStatus(res: LightMyRequestResponse, status: number) {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.body === '' ? null : res.json();
}

/** Asserts a 400 naming `field` (and `error` when given). */
export function expectFieldError(res: LightMyRequestResponse, field: string, error?: string) {
  const body = expectStatus(res, 400);
  assert.equal(body.field, field, `field of ${res.body}`);
  if (error !== undefined) assert.equal(body.error, error, `error of ${res.body}`);
}

let seq = 0;
export async function createSpecialist(t: TestApp, overrides: Record<string, unknown> = {}) {
  seq += 1;
  return expectStatus(await admin(t, 'POST', '/api/admin/specialists', {
    slug: `spec-${seq}`, name: `Specialist ${seq}`, email: `spec${seq}@example.com`, timezone: 'Europe/Berlin', ...overrides,
  }), 201);
}

export async function createService(t: TestApp, overrides: Record<string, unknown> = {}) {
  seq += 1;
  return expectStatus(await admin(t, 'POST', '/api/admin/services', { slug: `svc-${seq}`, name: `Service ${seq}`, durationMin: 30, ...overrides }), 201);
}

export async function issueToken(t: TestApp, specialistId: string): Promise<string> {
  return expectStatus(await admin(t, 'POST', `/api/admin/specialists/${specialistId}/credentials`, { label: 'test' }), 201).token;
}
