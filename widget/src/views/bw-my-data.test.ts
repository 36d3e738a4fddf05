import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bw-my-data.ts';
import type { BwMyData } from './bw-my-data.component.ts';
import { Api } from '../api.ts';
import { expectAccessible, fakeApi, type FakeCall } from '../test-helpers.ts';

const inside = (el: BwMyData, sel: string) => waitUntil(() => el.shadowRoot!.querySelector(sel), sel).then(() => el.shadowRoot!.querySelector<HTMLElement>(sel)!);

describe('bw-my-data', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('proves the address with an emailed code, then shows every consultation, downloads and erases', async () => {
    const calls: FakeCall[] = [];
    let erased = false;
    api = fakeApi({
      'POST /api/visitor/verification': (c) => { calls.push(c); return { status: 202, body: { message: 'sent', expiresAt: '2026-12-01T10:10:00Z' } }; },
      'POST /api/visitor/session': (c) => (c.body as { code: string }).code === '123456'
        ? { status: 201, body: { token: 'vs_token', email: 'ada@example.com', expiresAt: '2026-12-01T11:00:00Z' } }
        : { status: 400, body: { error: 'invalid_code', message: 'wrong' } },
      'GET /api/visitor/history': (c) => { calls.push(c); return { body: { scope: 'email', consultations: [
        { bookingId: 'b1', status: 'completed', startsAt: '2026-11-20T09:00:00.000Z', endsAt: '2026-11-20T09:50:00.000Z', serviceName: 'Video consultation', specialistName: 'Dr. Anna Weber', summary: 'Keep the diary.' },
        { bookingId: 'b2', status: 'confirmed', startsAt: '2026-12-03T09:00:00.000Z', endsAt: '2026-12-03T09:50:00.000Z', serviceName: 'Follow-up', specialistName: 'Dr. James Carter', summary: '' },
      ] } }; },
      'GET /api/visitor/export': () => ({ body: { email: 'ada@example.com', bookings: [] } }),
      'POST /api/visitor/erase': (c) => { calls.push(c); erased = true; return { body: { bookings: 2, cancelled: 1, calendarEvents: 1, recordingsDeleted: 0, recordingsPending: 0 } }; },
    });
    const el = await fixture<BwMyData>(html`<bw-my-data .api=${new Api('http://api.test')} email="ada@example.com" locale="en" timezone="UTC"></bw-my-data>`);
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('ada@example.com');
    await expectAccessible(el);
    (await inside(el, '#md-send')).click();
    const code = await inside(el, '#md-code') as HTMLInputElement;
    expect(calls[0]!.body).to.deep.equal({ email: 'ada@example.com', locale: 'en' });
    code.value = '000000';
    root.querySelector('form')!.requestSubmit();
    await inside(el, '[role=alert]');
    expect(root.querySelector('[role=alert]')!.textContent).to.contain('not valid');
    code.value = '123 456';
    root.querySelector('form')!.requestSubmit();
    await inside(el, 'ul.history');
    expect(calls.find((c) => c.path === '/api/visitor/history')!.headers.get('authorization')).to.equal('Bearer vs_token');
    expect(root.querySelector('ul.history')!.textContent).to.contain('Dr. James Carter').and.contain('Keep the diary.');
    await expectAccessible(el);

    root.addEventListener('click', (e) => { if ((e.target as HTMLAnchorElement).download) e.preventDefault(); }, true);
    root.querySelector<HTMLButtonElement>('#md-download')!.click();
    await waitUntil(() => root.querySelector('.notice.good'));
    const erase = root.querySelector<HTMLButtonElement>('#md-erase')!;
    expect(erase.disabled, 'erasing needs the box ticked').to.equal(true);
    root.querySelector<HTMLInputElement>('#md-understood')!.click();
    await el.updateComplete;
    erase.click();
    await waitUntil(() => erased && root.querySelector('.notice.good')?.textContent?.includes('2 bookings anonymised'));
    expect(root.querySelector('ul.history')).to.equal(null);
  });
});
