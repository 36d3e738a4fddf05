import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bw-manage.ts';
import { Api } from '../api.ts';
import type { BwManage } from './bw-manage.component.ts';
import { expectAccessible, bookingView } from '../test-helpers.ts';

const now = Date.parse('2026-12-01T09:00:00Z');

describe('bw-manage', () => {
  it('asks before cancelling and shows the refund the policy gives', async () => {
    const el = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" .now=${() => now} .booking=${bookingView('2026-12-03T09:00:00.000Z')}></bw-manage>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('dl')!.textContent).to.contain('Confirmed');
    root.querySelector<HTMLButtonElement>('#cancel')!.click();
    await el.updateComplete;
    expect(root.querySelector('#refund')!.textContent).to.contain('50%').and.contain('€45.00');
    expect(root.activeElement?.id).to.equal('confirm-cancel');
    await expectAccessible(el);
    setTimeout(() => root.querySelector<HTMLButtonElement>('#confirm-cancel')!.click());
    await oneEvent(el, 'bw-cancel');
  });

  it('shows a full refund preview and offers reschedule', async () => {
    const b = { ...bookingView('2026-12-20T09:00:00.000Z'), refundPreview: { percent: 100, cents: 9000, currency: 'EUR' } };
    const el = await fixture<BwManage>(html`<bw-manage locale="de" timezone="UTC" .now=${() => now} .booking=${b}></bw-manage>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('#cancel')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#refund')!.textContent).to.contain('vollen Betrag');
    const reschedule = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Verschieben'))!;
    setTimeout(() => reschedule.click());
    await oneEvent(el, 'bw-reschedule');
  });

  it('shows the summary the specialist shared', async () => {
    const b = { ...bookingView('2026-11-20T09:00:00.000Z'), status: 'completed' as 'confirmed', summary: 'Keep the sleep diary.\nSee you in two weeks.' };
    const el = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" .now=${() => now} .booking=${b}></bw-manage>`);
    const section = el.shadowRoot!.querySelector('.summary')!;
    expect(section.querySelector('h3')!.textContent).to.equal('Summary from Dr. Anna Weber');
    expect(section.querySelector('p')!.textContent).to.contain('See you in two weeks.');
    await expectAccessible(el);
  });

  it('offers the recording once it is ready', async () => {
    const b = { ...bookingView('2026-11-20T09:00:00.000Z'), status: 'completed' as 'confirmed', recording: { offered: true, consent: true, status: 'ready' as const } };
    const el = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" .now=${() => now} .booking=${b}></bw-manage>`);
    const watch = el.shadowRoot!.querySelector<HTMLButtonElement>('#recording')!;
    expect(watch.textContent).to.equal('Watch the recording');
    await expectAccessible(el);
    setTimeout(() => watch.click());
    await oneEvent(el, 'bw-recording');
  });

  it('offers nothing but the status and a new booking once cancelled', async () => {
    const b = { ...bookingView('2026-12-03T09:00:00.000Z', 'cancelled'), cancellation: { at: '2026-12-01T09:00:00.000Z', by: 'visitor' as const, reason: null, refund: { percent: 50, cents: 4500, currency: 'EUR' } } };
    const el = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" message="Your booking is cancelled." .now=${() => now} .booking=${b}></bw-manage>`);
    const buttons = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
    expect(buttons, 'not a dead end').to.deep.equal(['Book another time']);
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('€45.00');
    await expectAccessible(el);
    setTimeout(() => el.shadowRoot!.querySelector('button')!.click());
    await oneEvent(el, 'bw-book-again');
  });

  it('opens the visitor\'s own data on demand, as a chunk of its own', async () => {
    const b = bookingView('2026-12-03T09:00:00.000Z');
    const el = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" .now=${() => now} .booking=${b} .api=${new Api('http://api.test')}></bw-manage>`);
    expect(el.shadowRoot!.querySelector('bw-my-data')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLButtonElement>('#my-data')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('bw-my-data')?.shadowRoot?.querySelector('#md-send'));
    expect(el.shadowRoot!.querySelector('bw-my-data')!.getAttribute('email')).to.equal('ada@example.com');
    await expectAccessible(el);
  });

  it('says a session the specialist missed did not take place (not that the visitor missed it)', async () => {
    const missed = { ...bookingView('2026-11-20T09:00:00.000Z', 'no_show'), actions: [] as [] };
    const specialist = { ...missed, noShow: { party: 'specialist' as const, refund: { percent: 100, cents: 9000, currency: 'EUR' } } };
    const el = await fixture<BwManage>(html`<bw-manage locale="de" timezone="UTC" .now=${() => now} .booking=${specialist}></bw-manage>`);
    expect(el.shadowRoot!.querySelector('dl')!.textContent).to.contain('Fand nicht statt: die Fachperson ist nicht gekommen');
    expect([...el.shadowRoot!.querySelectorAll('button')].some((b) => b.textContent!.includes('Weiteren Termin') || b.classList.contains('primary')), 'book again').to.equal(true);
    await expectAccessible(el);
    const visitor = await fixture<BwManage>(html`<bw-manage locale="en" timezone="UTC" .now=${() => now} .booking=${{ ...missed, noShow: { party: 'visitor' as const, refund: null } }}></bw-manage>`);
    expect(visitor.shadowRoot!.querySelector('dl')!.textContent).to.contain('Missed');
  });
});
