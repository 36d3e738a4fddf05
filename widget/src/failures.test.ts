import { expect } from '@open-wc/testing';
import { ApiError, NetworkError } from './api.ts';
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
});
