import { expect } from '@open-wc/testing';
import { allowed, arrival, fromHash, home, toHash } from './route.ts';

const ID = '44444444-4444-4444-8444-444444444444';

describe('console routes', () => {
  it('reads the links the product sends', () => {
    expect(arrival(`?booking=${ID}&action=join`).route).to.deep.equal({ view: 'booking', id: ID, join: true });
    expect(arrival(`?booking=${ID.toUpperCase()}`).route).to.deep.equal({ view: 'booking', id: ID });
    expect(arrival('?view=calendars&calendar=google&calendarResult=error&calendarError=consent_denied')).to.deep.equal({
      route: { view: 'calendars' }, signin: null, calendar: { provider: 'google', ok: false, error: 'consent_denied' },
    });
    expect(arrival('?signin=bsl_abc').signin).to.equal('bsl_abc');
    expect(arrival('?booking=not-an-id').route).to.equal(null);
    expect(arrival('?view=nonsense').route).to.equal(null);
  });

  it('keeps a route in the hash and back', () => {
    for (const r of [{ view: 'agenda' as const }, { view: 'booking' as const, id: ID, join: true }, { view: 'schedule' as const, id: 'dr-weber' }]) {
      expect(fromHash(toHash(r))).to.deep.equal(r);
    }
    expect(fromHash('#/booking/xyz')).to.equal(null);
    expect(fromHash('#/sign-in')).to.equal(null);
  });

  it('lets each role open its own screens only', () => {
    expect(home('owner')).to.deep.equal({ view: 'bookings' });
    expect(home('specialist')).to.deep.equal({ view: 'agenda' });
    expect(allowed({ view: 'specialists' }, 'specialist')).to.equal(false);
    expect(allowed({ view: 'agenda' }, 'owner')).to.equal(false);
    expect(allowed({ view: 'booking', id: ID }, 'owner')).to.equal(true);
    expect(allowed({ view: 'schedule' }, 'specialist')).to.equal(true);
    expect(allowed({ view: 'schedule' }, 'owner')).to.equal(false, 'the owner edits a named specialist\'s hours');
    expect(allowed({ view: 'schedule', id: 'dr-weber' }, 'owner')).to.equal(true);
  });
});
