import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-specialist-picker.ts';
import type { BwSpecialistPicker } from './bw-specialist-picker.component.ts';
import { expectAccessible, SPECIALIST } from '../test-helpers.ts';

const OTHER = { ...SPECIALIST, id: '55555555-5555-4555-8555-555555555555', slug: 'dr-okafor', name: 'Dr. Chidi Okafor', bio: 'Sleep and stress.', specialty: 'Psychiatrist', photoUrl: 'https://example.com/okafor.jpg' };

describe('bw-specialist-picker', () => {
  it('shows each specialist with photo or initials, specialty and bio, and "any available" first', async () => {
    const el = await fixture<BwSpecialistPicker>(html`<bw-specialist-picker locale="en" serviceName="Video consultation"
      .specialists=${[{ ...SPECIALIST, specialty: 'Psychologist', photoUrl: null }, OTHER]}></bw-specialist-picker>`);
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.person')];
    expect(buttons.map((b) => b.querySelector('.name')!.textContent)).to.deep.equal(['Any available specialist', 'Dr. Anna Weber', 'Dr. Chidi Okafor']);
    expect(buttons[1]!.querySelector('.photo')!.textContent).to.equal('AW');
    expect(buttons[2]!.querySelector('img')!.getAttribute('src')).to.equal(OTHER.photoUrl);
    expect(buttons[2]!.textContent).to.contain('Sleep and stress.');
    await expectAccessible(el);
    setTimeout(() => buttons[2]!.click());
    expect((await oneEvent(el, 'bw-specialist-select')).detail.slug).to.equal('dr-okafor');
    setTimeout(() => buttons[0]!.click());
    expect((await oneEvent(el, 'bw-specialist-select')).detail).to.equal('any');
  });

  it('says so when nobody offers the service', async () => {
    const el = await fixture<BwSpecialistPicker>(html`<bw-specialist-picker locale="de" .specialists=${[]}></bw-specialist-picker>`);
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('bietet derzeit niemand');
    await expectAccessible(el);
  });
});
