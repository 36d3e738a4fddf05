import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-slot-list.ts';
import type { BwSlotList } from './bw-slot-list.component.ts';
import { expectAccessible, slotsFor } from '../test-helpers.ts';

describe('bw-slot-list', () => {
  const slots = slotsFor(['2026-12-03']).days[0].slots;

  it('shows times in the visitor zone, 12-hour in en-US, announced with the full date', async () => {
    const el = await fixture<BwSlotList>(html`<bw-slot-list date="2026-12-03" timezone="America/New_York" locale="en-US" .slots=${slots}></bw-slot-list>`);
    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.slot');
    expect(buttons[0].textContent!.trim()).to.equal('4:00 AM');
    expect(buttons[0].getAttribute('aria-label')).to.equal('Thursday, December 3, 2026 at 4:00 AM');
    setTimeout(() => buttons[1].click());
    const ev = await oneEvent(el, 'bw-slot-select');
    expect(ev.detail.start).to.equal('2026-12-03T10:00:00.000Z');
    await expectAccessible(el);
  });

  it('uses 24-hour time for German and Asia/Kathmandu offsets', async () => {
    const el = await fixture<BwSlotList>(html`<bw-slot-list date="2026-12-03" timezone="Asia/Kathmandu" locale="de" .slots=${slots}></bw-slot-list>`);
    const first = el.shadowRoot!.querySelector('button.slot')!;
    expect(first.textContent!.trim()).to.equal('14:45');
    expect(first.getAttribute('aria-label')).to.contain('Donnerstag, 3. Dezember 2026');
  });

  it('says so when the day has no times', async () => {
    const el = await fixture<BwSlotList>(html`<bw-slot-list date="2026-12-03" timezone="UTC" locale="en" .slots=${[]}></bw-slot-list>`);
    expect(el.shadowRoot!.textContent).to.contain('No free times on this day');
    await expectAccessible(el);
  });
});
