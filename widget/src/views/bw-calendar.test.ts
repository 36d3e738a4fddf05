import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-calendar.ts';
import type { BwCalendar } from './bw-calendar.component.ts';
import { expectAccessible } from '../test-helpers.ts';

async function calendar(selected: string | null = null) {
  return fixture<BwCalendar>(html`<bw-calendar month="2026-12" min="2026-12-02" max="2027-01-31" locale="en-GB"
    .available=${new Set(['2026-12-03', '2026-12-10', '2026-12-31'])} .selected=${selected}></bw-calendar>`);
}
const key = (el: BwCalendar, k: string, shiftKey = false) =>
  el.shadowRoot!.querySelector('table')!.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }));
const stop = (el: BwCalendar) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[tabindex="0"]')!;

describe('bw-calendar', () => {
  it('marks available days with a full-date label and has one tab stop', async () => {
    const el = await calendar();
    const days = el.shadowRoot!.querySelectorAll('button.day');
    expect(days.length).to.equal(31);
    expect(el.shadowRoot!.querySelectorAll('button.day.available').length).to.equal(3);
    expect(el.shadowRoot!.querySelectorAll('button[tabindex="0"]').length).to.equal(1);
    expect(stop(el).dataset.date).to.equal('2026-12-03');
    expect(stop(el).getAttribute('aria-label')).to.equal('Thursday, 3 December 2026, times available');
    // Monday first for en-GB
    expect(el.shadowRoot!.querySelector('th abbr')!.getAttribute('title')).to.equal('Monday');
  });

  it('moves by keyboard and chooses with Enter', async () => {
    const el = await calendar();
    stop(el).focus();
    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(stop(el).dataset.date).to.equal('2026-12-10');
    expect(el.shadowRoot!.activeElement).to.equal(stop(el));
    key(el, 'Home');
    await el.updateComplete;
    expect(stop(el).dataset.date).to.equal('2026-12-07');
    key(el, 'ArrowLeft'); key(el, 'ArrowLeft'); key(el, 'ArrowLeft'); key(el, 'ArrowLeft'); key(el, 'ArrowLeft'); key(el, 'ArrowLeft');
    await el.updateComplete;
    expect(stop(el).dataset.date, 'clamped to min').to.equal('2026-12-02');
    key(el, 'ArrowRight');
    await el.updateComplete;
    setTimeout(() => key(el, 'Enter'));
    const ev = await oneEvent(el, 'bw-date-select');
    expect(ev.detail).to.equal('2026-12-03');
  });

  it('asks for the next month on PageDown and respects the horizon', async () => {
    const el = await calendar();
    setTimeout(() => key(el, 'PageDown'));
    const ev = await oneEvent(el, 'bw-month-change');
    expect(ev.detail).to.equal('2027-01');
    const next = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.nav')[1];
    el.month = '2027-01';
    await el.updateComplete;
    expect(next.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.nav')[0].disabled).to.equal(false);
  });

  it('ignores days without times', async () => {
    const el = await calendar();
    let fired = false;
    el.addEventListener('bw-date-select', () => { fired = true; });
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-date="2026-12-04"]')!.click();
    expect(fired).to.equal(false);
  });

  it('is accessible', async () => {
    const el = await calendar('2026-12-10');
    await expectAccessible(el);
  });
});
