// Shared by the abuse suites: solving the server's proof-of-work challenge the way any client
// can (altcha-lib's own solver), and booking through app.inject from a chosen client address.
import assert from 'node:assert/strict';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { App } from '../../server/http/types.ts';

/** The base64 proof for one fresh challenge of `app`. */
export async function solve(app: App, remoteAddress = '127.0.0.1'): Promise<string> {
  const res = await app.inject({ url: '/api/challenge', remoteAddress });
  assert.equal(res.statusCode, 200, res.body);
  const offer = res.json();
  assert.equal(offer.required, true);
  const solution = await solveChallenge({ challenge: offer.challenge, deriveKey });
  assert.ok(solution, 'solved');
  return Buffer.from(JSON.stringify({ challenge: offer.challenge, solution })).toString('base64');
}

export async function bookFrom(app: App, remoteAddress: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const challenge = await solve(app, remoteAddress);
  const res = await app.inject({ method: 'POST', url: '/api/bookings', remoteAddress, headers, payload: { ...body, challenge } });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}
