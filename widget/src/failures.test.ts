import { expect } from '@open-wc/testing';
import { Api, ApiError, NetworkError } from './api.ts';
import { failureText, joinProblem } from './failures.ts';
import './test-helpers.ts';

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
});
