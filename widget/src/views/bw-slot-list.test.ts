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

  it('tells the two occurrences of a repeated hour apart by their offset', async () => {
    // 2026-11-01 in New York: 01:00-02:00 happens twice (EDT, then EST).
    const repeated = [
      { start: '2026-11-01T05:00:00.000Z', end: '2026-11-01T05:30:00.000Z' },
      { start: '2026-11-01T06:00:00.000Z', end: '2026-11-01T06:30:00.000Z' },
      { start: '2026-11-01T07:00:00.000Z', end: '2026-11-01T07:30:00.000Z' },
    ];
    const el = await fixture<BwSlotList>(html`<bw-slot-list date="2026-11-01" timezone="America/New_York" locale="en-US" .slots=${repeated}></bw-slot-list>`);
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.slot')];
    const names = buttons.map((b) => b.getAttribute('aria-label'));
    expect(new Set(names).size, 'distinct accessible names').to.equal(3);
    expect(buttons[0]!.textContent!.trim()).to.equal('1:00 AM GMT-4');
    expect(buttons[1]!.textContent!.trim()).to.equal('1:00 AM GMT-5');
    expect(buttons[2]!.textContent!.trim()).to.equal('2:00 AM');
    expect(names[1]).to.contain('GMT-5');
    await expectAccessible(el);
  });

  it('keeps "12:00 AM" on one line in a narrow column', async () => {
    const midnight = [{ start: "2026-12-03T05:00:00.000Z", end: "2026-12-03T05:30:00.000Z" }, { start: "2026-12-03T06:00:00.000Z", end: "2026-12-03T06:30:00.000Z" }];
    const el = await fixture<BwSlotList>(html`<bw-slot-list style="display:block;width:200px" date="2026-12-03" timezone="America/New_York" locale="en-US" .slots=${midnight}></bw-slot-list>`);
    const b = el.shadowRoot!.querySelector<HTMLButtonElement>('button.slot')!;
    expect(b.textContent!.trim()).to.equal('12:00 AM');
    // Two lines of text outgrow the 44 px minimum height of a button.
    expect(b.getBoundingClientRect().height, 'one line').to.be.at.most(44.5);
    expect(b.scrollWidth).to.be.at.most(b.clientWidth + 1);
  });
});
