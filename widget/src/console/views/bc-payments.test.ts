import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-payments.ts';
import type { BcPayments } from './bc-payments.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

const payment = (n: number, status: string) => ({
  id: `9999999${n}-9999-4999-8999-999999999999`, bookingId: `4444444${n}-4444-4444-8444-444444444444`, status, amountCents: 9000, currency: 'EUR',
  checkoutUrl: null, holdExpiresAt: null, paidAt: '2026-11-20T10:02:00.000Z', refundedCents: status === 'refunded' ? 9000 : 0,
  refunds: status === 'refunded' ? [{ id: '88888888-8888-4888-8888-888888888888', amountCents: 9000, currency: 'EUR', reason: 'declined', status: 'pending', createdAt: '2026-11-21T10:00:00.000Z', stripeRefundId: 're_1', failureReason: null }] : [],
  stripeCheckoutSessionId: 'cs_1', stripePaymentIntentId: `pi_${n}`, createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-21T10:00:00.000Z',
});

describe('bc-payments', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('lists payments with their refunds, filters by status, pages and opens the booking', async () => {
    const calls: FakeCall[] = [];
    api = fakeApi({
      'GET /api/admin/payments': (c) => {
        calls.push(c);
        if (c.search.get('status') === 'refunded') return { body: { payments: [payment(2, 'refunded')], nextCursor: null } };
        return { body: { payments: [payment(c.search.get('cursor') ? 3 : 1, 'paid')], nextCursor: c.search.get('cursor') ? null : 'next-1' } };
      },
    });
    const el = await fixture<BcPayments>(html`<bc-payments locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-payments>`);
    const root = el.shadowRoot!;
    await inside(el, 'table.list');
    expect(root.querySelector('tbody')!.textContent).to.contain('€90.00').and.contain('Paid').and.contain('pi_1');
    await expectAccessible(el);

    const [, next] = [...root.querySelectorAll<HTMLButtonElement>('.pager button')];
    next!.click();
    await waitUntil(() => root.querySelector('tbody')?.textContent?.includes('pi_3'));
    expect(calls.at(-1)!.search.get('cursor')).to.equal('next-1');

    const select = root.querySelector<HTMLSelectElement>('#p-status')!;
    select.value = 'refunded';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => root.querySelector('.refunds'));
    expect(calls.at(-1)!.search.get('status')).to.equal('refunded');
    expect(calls.at(-1)!.search.get('cursor'), 'a new filter starts at the first page').to.equal(null);
    expect(root.querySelector('.refunds')!.textContent).to.contain('request declined').and.contain('Processing');

    setTimeout(() => root.querySelector<HTMLButtonElement>('td .open')!.click());
    const e = await new Promise<CustomEvent>((resolve) => el.addEventListener('bc-navigate', (ev) => resolve(ev as CustomEvent), { once: true }));
    expect(e.detail).to.deep.equal({ view: 'booking', id: '44444442-4444-4444-8444-444444444444' });
  });

  it('says when there is nothing', async () => {
    api = fakeApi({ 'GET /api/admin/payments': () => ({ body: { payments: [], nextCursor: null } }) });
    const el = await fixture<BcPayments>(html`<bc-payments locale="de" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-payments>`);
    expect((await inside(el, '.empty')).textContent).to.equal('Keine Zahlungen.');
  });
});
