import { expect } from '@open-wc/testing';
import { Api, ApiError, NetworkError } from './api.ts';
import { failureText, joinProblem } from './failures.ts';
import { fakeApi } from './test-helpers.ts';

describe('failures', () => {
  it('reads network, missing and server failures in the chosen language', () => {
    expect(failureText(new NetworkError(new TypeError('x')), 'en')).to.contain('could not reach');
    expect(failureText(new ApiError(404, { error: 'not_found', message: 'x' }), 'en')).to.contain('not found');
    expect(failureText(new ApiError(409, { error: 'x', message: 'Taken' }), 'de')).to.contain('Taken');
  });

  it('says how long until the room opens for the person entering', () => {
    const early = new ApiError(425, { error: 'too_early', message: 'x', details: { secondsLeft: 90 } });
    expect(joinProblem(early, 'en', 10)).to.equal('The room opens 10 minutes before the start. (2 min)');
    expect(joinProblem(early, 'ru', 5)).to.contain('5');
    expect(joinProblem(new ApiError(410, { error: 'ended', message: 'x' }), 'en', 5)).to.contain('ended');
  });

  it('keeps the API\'s own 503 (video not configured) apart from an unreachable gateway', async () => {
    const original = globalThis.fetch;
    try {
      globalThis.fetch = async () => new Response(JSON.stringify({ error: 'video_not_configured', message: 'Video is not configured' }), { status: 503 });
      const err = await new Api('http://api.test').join('b', 't').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(joinProblem(err, 'en', 5)).to.equal('Video calls are not set up on this server.');
      expect(failureText(new ApiError(503, { error: 'database_unavailable', message: 'x' }), 'en')).to.contain('unavailable for a moment');
      globalThis.fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
      const gateway = await new Api('http://api.test').join('b', 't').catch((e: unknown) => e);
      expect(gateway).to.be.instanceOf(NetworkError);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('tries a read, or a booking under its idempotency key, again after the server\'s Retry-After when it is busy or its database is away', async () => {
    let n = 0;
    const busy = { status: 503, body: { error: 'database_unavailable', message: 'retry' }, headers: { 'retry-after': '1' } };
    const api = fakeApi({
      'GET /api/services': () => (++n === 1 ? busy : { body: [] }),
      'POST /api/bookings': () => busy,
      'POST /api/bookings/b/cancel': () => busy,
    });
    try {
      const started = Date.now();
      expect(await new Api('http://api.test').services(undefined)).to.deep.equal([]);
      expect(Date.now() - started, 'waited for Retry-After').to.be.at.least(900);
      const input = { specialist: 's', service: 'v', start: '2026-12-03T09:00:00Z', visitor: { name: 'A', email: 'a@example.com', timezone: 'UTC' }, answers: {}, idempotencyKey: 'k'.repeat(16) };
      const err = await new Api('http://api.test').createBooking(input).catch((e: unknown) => e) as ApiError;
      expect(err.code, 'after two retries the visitor is told').to.equal('database_unavailable');
      expect(api.calls.filter((c) => c.path === '/api/bookings').map((c) => c.headers.get('idempotency-key'))).to.deep.equal(Array(3).fill('k'.repeat(16)));
      await new Api('http://api.test').cancel('b', 't').catch(() => {});
      expect(api.calls.filter((c) => c.path === '/api/bookings/b/cancel').length, 'a write without a key is not repeated').to.equal(1);
    } finally {
      api.restore();
    }
  });
});
