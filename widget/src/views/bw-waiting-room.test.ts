import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-waiting-room.ts';
import type { BwWaitingRoom } from './bw-waiting-room.component.ts';
import { expectAccessible, bookingView } from '../test-helpers.ts';

describe('bw-waiting-room', () => {
  const booking = bookingView('2026-12-03T09:00:00.000Z');

  it('counts down and keeps "Enter room" inactive until 5 minutes before', async () => {
    let now = Date.parse('2026-12-03T08:50:00Z');
    const el = await fixture<BwWaitingRoom>(html`<bw-waiting-room locale="en" timezone="UTC" .now=${() => now} .booking=${booking}></bw-waiting-room>`);
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('Dr. Anna Weber');
    expect(root.querySelector('[role=timer]')!.textContent).to.contain('10 min');
    const enter = root.querySelector<HTMLButtonElement>('button[part=enter]')!;
    expect(enter.getAttribute('aria-disabled')).to.equal('true');
    let entered = 0;
    el.addEventListener('bw-enter', () => entered++);
    enter.click();
    expect(entered).to.equal(0);
    await expectAccessible(el);
    now = Date.parse('2026-12-03T08:55:00Z');
    el.tick++;
    await el.updateComplete;
    expect(enter.getAttribute('aria-disabled')).to.equal('false');
    setTimeout(() => enter.click());
    await oneEvent(el, 'bw-enter');
    await expectAccessible(el);
  });

  it('opens 10 minutes before for the host and names the visitor', async () => {
    const now = Date.parse('2026-12-03T08:51:00Z');
    const el = await fixture<BwWaitingRoom>(html`<bw-waiting-room locale="en" timezone="UTC" leadMin="10" partner="Ada Lovelace" .now=${() => now} .booking=${booking}></bw-waiting-room>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('.who')!.textContent).to.contain('with Ada Lovelace');
    expect(root.querySelector<HTMLButtonElement>('button[part=enter]')!.getAttribute('aria-disabled')).to.equal('false');
    expect(root.querySelector('#hint')!.textContent).to.contain('10 minutes');
    await expectAccessible(el);
  });

  it('asks the visitor for consent where the service records, and only the visitor', async () => {
    const now = Date.parse('2026-12-03T08:51:00Z');
    const recorded = { ...booking, recording: { offered: true, consent: null, status: 'none' as const } };
    const el = await fixture<BwWaitingRoom>(html`<bw-waiting-room locale="de" timezone="UTC" .now=${() => now} .booking=${recorded}></bw-waiting-room>`);
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('#consent')!;
    expect(box.checked).to.equal(false);
    expect(box.closest('label')!.textContent).to.contain('aufgezeichnet');
    await expectAccessible(el);
    setTimeout(() => box.click());
    const answer = await oneEvent(el, 'bw-recording-consent');
    expect(answer.detail).to.equal(true);
    const host = await fixture<BwWaitingRoom>(html`<bw-waiting-room host locale="en" .now=${() => now} .booking=${recorded}></bw-waiting-room>`);
    expect(host.shadowRoot!.querySelector('#consent')).to.equal(null);
  });
});
