import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-zone-picker.ts';
import type { BwZonePicker } from './bw-zone-picker.component.ts';
import { expectAccessible } from '../test-helpers.ts';

describe('bw-zone-picker', () => {
  it('offers the browser zones and accepts a typed one', async () => {
    const el = await fixture<BwZonePicker>(html`<bw-zone-picker value="Europe/Berlin" locale="en"></bw-zone-picker>`);
    const input = el.shadowRoot!.querySelector('input')!;
    expect(el.shadowRoot!.querySelector('#zone-current')!.textContent).to.match(/Europe\/Berlin \(GMT\+\d\)/);
    input.dispatchEvent(new FocusEvent('focus'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('datalist option').length).to.be.greaterThan(300);
    input.value = 'america/new york';
    setTimeout(() => input.dispatchEvent(new Event('change')));
    const ev = await oneEvent(el, 'bw-zone-change');
    expect(ev.detail).to.equal('America/New_York');
    await expectAccessible(el);
  });

  it('flags an unknown zone inline', async () => {
    const el = await fixture<BwZonePicker>(html`<bw-zone-picker value="UTC" locale="ru"></bw-zone-picker>`);
    const input = el.shadowRoot!.querySelector('input')!;
    input.value = 'Mars/Olympus';
    input.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.querySelector('#zone-error')!.hasAttribute('hidden')).to.equal(false);
    await expectAccessible(el);
  });
});
