import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-ended.ts';
import type { BwEnded } from './bw-ended.component.ts';
import { expectAccessible, bookingView } from '../test-helpers.ts';

describe('bw-ended', () => {
  it('summarises the consultation and offers another booking', async () => {
    const el = await fixture<BwEnded>(html`<bw-ended locale="en" timezone="UTC" seconds="2950" .booking=${bookingView('2026-12-03T09:00:00.000Z')}></bw-ended>`);
    expect(el.shadowRoot!.textContent).to.contain('Video consultation with Dr. Anna Weber').and.contain('49 min');
    await expectAccessible(el);
    setTimeout(() => el.shadowRoot!.querySelector('button')!.click());
    await oneEvent(el, 'bw-book-again');
  });

  it('shows a summary once the specialist shared it', async () => {
    const el = await fixture<BwEnded>(html`<bw-ended locale="de" timezone="UTC" .booking=${{ ...bookingView('2026-12-03T09:00:00.000Z'), summary: 'Schlaftagebuch führen.' }}></bw-ended>`);
    expect(el.shadowRoot!.querySelector('.summary')!.textContent).to.contain('Zusammenfassung von Dr. Anna Weber').and.contain('Schlaftagebuch');
    await expectAccessible(el);
  });
});
