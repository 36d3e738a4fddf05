import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-bookings.ts';
import type { BcBookings } from './bc-bookings.component.ts';
import { ADMIN_SERVICE, ADMIN_SPECIALIST, booking, consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

describe('bc-bookings', () => {
  let api: ReturnType<typeof fakeApi>;
  let realFetch: typeof fetch;
  afterEach(() => { api?.restore(); });

  it('filters, pages with the cursor and exports the same selection', async () => {
    const lists: FakeCall[] = [];
    api = fakeApi({
      'GET /api/admin/specialists': () => ({ body: { specialists: [ADMIN_SPECIALIST] } }),
      'GET /api/admin/services': () => ({ body: { services: [ADMIN_SERVICE] } }),
      'GET /api/admin/bookings': (c) => {
        lists.push(c);
        return { body: { bookings: [booking('2026-12-03T09:00:00.000Z')], nextCursor: c.search.get('cursor') ? null : 'page-2', total: 26 } };
      },
    });
    const el = await fixture<BcBookings>(html`<bc-bookings locale="en-GB" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-bookings>`);
    const root = el.shadowRoot!;
    await inside(el, 'table.list');
    await waitUntil(() => root.querySelector('#f-specialist option[value="dr-weber"]'));
    expect(root.querySelector('[role=status]')!.textContent).to.equal('1–1 of 26');
    await expectAccessible(el);
    root.querySelector<HTMLSelectElement>('#f-specialist')!.value = 'dr-weber';
    root.querySelector<HTMLSelectElement>('#f-status')!.value = 'confirmed';
    root.querySelector<HTMLInputElement>('#f-q')!.value = ' Ada ';
    root.querySelector<HTMLInputElement>('#f-from')!.value = '2026-12-01';
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await waitUntil(() => lists.length === 2);
    const q = lists[1]!.search;
    expect([q.get('specialist'), q.get('status'), q.get('q'), q.get('limit'), q.get('cursor')]).to.deep.equal(['dr-weber', 'confirmed', 'Ada', '25', null]);
    expect(q.get('from')).to.match(/^2026-1[12]-\d\dT\d\d:00:00\.000Z$/, 'the owner\'s local midnight as an instant');
    await waitUntil(() => root.querySelector('.pager button:last-child:not([disabled])'));
    root.querySelector<HTMLButtonElement>('.pager button:last-child')!.click();
    await waitUntil(() => lists.length === 3);
    expect(lists[2]!.search.get('cursor')).to.equal('page-2');
    expect(lists[2]!.search.get('specialist'), 'the filters stay with the pages').to.equal('dr-weber');

    // The export: fetched with the session token (a plain link could not carry it).
    realFetch = globalThis.fetch;
    let csvCall: { url: string; headers: Headers } | null = null;
    globalThis.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
      csvCall = { url: String(input), headers: new Headers(init.headers) };
      return new Response('id,status\r\n', { status: 200, headers: { 'content-type': 'text/csv' } });
    };
    try {
      root.querySelector<HTMLButtonElement>('.head button')!.click();
      await waitUntil(() => csvCall);
      expect(csvCall!.url).to.contain('/api/admin/bookings.csv?').and.contain('specialist=dr-weber').and.not.contain('cursor');
      expect(csvCall!.headers.get('authorization')).to.equal('Bearer bcs_test-session-token-0123456789');
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
