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

  async function typed(el: BwZonePicker, text: string): Promise<string> {
    const input = el.shadowRoot!.querySelector('input')!;
    input.value = text;
    setTimeout(() => input.dispatchEvent(new Event('change')));
    return (await oneEvent(el, 'bw-zone-change')).detail;
  }

  it('finds a zone by city, by common abbreviation, and answers canonical IANA names', async () => {
    const el = await fixture<BwZonePicker>(html`<bw-zone-picker value="UTC" locale="en"></bw-zone-picker>`);
    expect(await typed(el, 'Berlin')).to.equal('Europe/Berlin');
    expect(await typed(el, 'Los Angeles')).to.equal('America/Los_Angeles');
    // ICU takes "EST" as America/Panama (no DST); people mean New York's clock.
    expect(await typed(el, 'EST')).to.equal('America/New_York');
    expect(await typed(el, 'Kolkata')).to.equal('Asia/Kolkata');
    expect(await typed(el, 'Asia/Calcutta')).to.equal('Asia/Kolkata');
    expect(el.shadowRoot!.querySelector('input')!.value).to.equal('Asia/Kolkata');
  });

  it('shows the canonical name of a legacy value and offers candidates for an ambiguous text', async () => {
    const el = await fixture<BwZonePicker>(html`<bw-zone-picker value="Asia/Calcutta" locale="en"></bw-zone-picker>`);
    expect(el.shadowRoot!.querySelector('#zone-current')!.textContent).to.match(/^Asia\/Kolkata \(GMT\+5:30\)/);
    const input = el.shadowRoot!.querySelector('input')!;
    input.value = 'Indiana';
    input.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const offers = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.matches button')];
    expect(offers.length).to.be.greaterThan(1);
    expect(offers[0]!.textContent).to.match(/^America\/Indiana\//);
    await expectAccessible(el);
    setTimeout(() => offers[0]!.click());
    const ev = await oneEvent(el, 'bw-zone-change');
    expect(ev.detail).to.match(/^America\/Indiana\//);
    expect(el.shadowRoot!.querySelector('.matches')).to.equal(null);
  });
});
