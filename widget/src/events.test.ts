import { expect } from '@open-wc/testing';
import { emit } from './events.ts';
import { emitConsole } from './console/events.ts';

describe('public events', () => {
  it('fire under the hyphen name, then under the deprecated colon alias, both reaching document from a shadow root', () => {
    const host = document.createElement('div');
    const inside = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
    document.body.append(host);
    const heard: string[] = [];
    const names = ['booking-widget-call-left', 'booking-widget:call-left', 'booking-console-signed-out', 'booking-console:signed-out'] as const;
    const listeners = names.map((n) => [n, (e: Event) => heard.push(`${n} ${JSON.stringify((e as CustomEvent).detail)}`)] as const);
    for (const [n, l] of listeners) document.addEventListener(n, l);
    try {
      emit(inside, 'call-left', { bookingId: 'b1', seconds: 5 });
      emitConsole(inside, 'signed-out', { reason: 'expired' });
    } finally {
      for (const [n, l] of listeners) document.removeEventListener(n, l);
      host.remove();
    }
    expect(heard).to.deep.equal([
      'booking-widget-call-left {"bookingId":"b1","seconds":5}',
      'booking-widget:call-left {"bookingId":"b1","seconds":5}',
      'booking-console-signed-out {"reason":"expired"}',
      'booking-console:signed-out {"reason":"expired"}',
    ]);
  });
});
