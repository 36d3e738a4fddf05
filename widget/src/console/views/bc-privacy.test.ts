import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-privacy.ts';
import type { BcPrivacy } from './bc-privacy.component.ts';
import { consoleApi, expectAccessible, fakeApi, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

function fill(root: ShadowRoot, id: string, value: string) {
  root.querySelector<HTMLInputElement>(`#${id}`)!.value = value;
}

describe('bc-privacy', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('exports an address\'s data as a JSON file', async () => {
    const calls: FakeCall[] = [];
    api = fakeApi({ 'GET /api/admin/visitors/export': (c) => { calls.push(c); return { body: { email: 'vera@example.com', bookings: [{ id: 'b1' }, { id: 'b2' }], messages: [] } }; } });
    const el = await fixture<BcPrivacy>(html`<bc-privacy locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-privacy>`);
    const root = el.shadowRoot!;
    const downloads: string[] = [];
    root.addEventListener('click', (e) => { const a = e.target as HTMLAnchorElement; if (a.download) { downloads.push(a.download); e.preventDefault(); } }, true);
    fill(root, 'x-email', 'not an address');
    root.querySelector<HTMLFormElement>('[aria-labelledby=x-title]')!.requestSubmit();
    await waitUntil(() => root.querySelector('#x-email-error:not([hidden])'));
    expect(calls.length).to.equal(0);
    await expectAccessible(el);
    fill(root, 'x-email', 'vera@example.com');
    root.querySelector<HTMLFormElement>('[aria-labelledby=x-title]')!.requestSubmit();
    await waitUntil(() => root.querySelector('[aria-labelledby=x-title] .notice.good'));
    expect(calls[0]!.search.get('email')).to.equal('vera@example.com');
    expect(downloads).to.deep.equal(['visitor-vera@example.com.json']);
    expect(root.querySelector('.notice.good')!.textContent).to.contain('2 bookings');
  });

  it('erases only after the address is typed twice, and reports what was done', async () => {
    const calls: FakeCall[] = [];
    api = fakeApi({ 'POST /api/admin/visitors/erase': (c) => { calls.push(c); return { body: { bookings: 3, cancelled: 1, calendarEvents: 2, recordingsDeleted: 0, recordingsPending: 1 } }; } });
    const el = await fixture<BcPrivacy>(html`<bc-privacy locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-privacy>`);
    const root = el.shadowRoot!;
    const erase = () => root.querySelector<HTMLFormElement>('[aria-labelledby=e-title]')!.requestSubmit();
    fill(root, 'e-email', 'vera@example.com');
    fill(root, 'e-confirm', 'vera@example.org');
    erase();
    await waitUntil(() => root.querySelector('#e-confirm-error:not([hidden])'));
    expect(root.querySelector('#e-confirm-error')!.textContent).to.equal('The two addresses differ.');
    expect(calls.length).to.equal(0);
    fill(root, 'e-confirm', 'VERA@example.com');
    erase();
    await waitUntil(() => root.querySelector('[aria-labelledby=r-title]'));
    expect(calls[0]!.body).to.deep.equal({ email: 'vera@example.com' });
    const report = root.querySelector('[aria-labelledby=r-title]')!.textContent!;
    expect(report).to.contain('vera@example.com is erased').and.contain('1 retried');
    await expectAccessible(el);
  });
});
