import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-service-picker.ts';
import type { BwServicePicker } from './bw-service-picker.component.ts';
import { expectAccessible, CONSULTATION, INTRO } from '../test-helpers.ts';

describe('bw-service-picker', () => {
  it('lists services with duration and price and reports the choice', async () => {
    const el = await fixture<BwServicePicker>(html`<bw-service-picker locale="de" .services=${[CONSULTATION, INTRO]}></bw-service-picker>`);
    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.service');
    expect(buttons.length).to.equal(2);
    expect(buttons[0].textContent).to.contain('50 Min.');
    expect(buttons[0].textContent).to.match(/90,00\s€/);
    expect(buttons[1].textContent).to.contain('Kostenlos');
    setTimeout(() => buttons[1].click());
    const ev = await oneEvent(el, 'bw-service-select');
    expect(ev.detail.slug).to.equal('intro-call');
    await expectAccessible(el);
  });
});
