import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-notifications.ts';
import type { BcNotifications } from './bc-notifications.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION } from '../test-helpers.ts';

const failed = {
  id: 'b2b2b2b2-b2b2-4b2b-8b2b-b2b2b2b2b2b2', bookingId: '44444444-4444-4444-8444-444444444444', kind: 'visitor.confirmation', channel: 'email',
  recipient: 'ada@example.com', sendAt: '2026-12-01T08:00:00.000Z', status: 'failed', attempts: 6, lastError: '550 Mailbox unavailable', sentAt: null,
};

describe('bc-notifications', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('lists failed deliveries with their error and sends one again', async () => {
    let list = [failed];
    api = fakeApi({
      'GET /api/admin/notifications': () => ({ body: { notifications: list } }),
      [`POST /api/admin/notifications/${failed.id}/retry`]: () => { list = []; return { body: { ...failed, status: 'pending' } }; },
    });
    const el = await fixture<BcNotifications>(html`<bc-notifications locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-notifications>`);
    const root = el.shadowRoot!;
    await inside(el, 'table.list');
    expect(root.querySelector('table.list')!.textContent).to.contain('550 Mailbox unavailable');
    await expectAccessible(el);
    [...root.querySelectorAll<HTMLButtonElement>('td button')].find((b) => b.textContent === 'Send again')!.click();
    await waitUntil(() => root.querySelector('.empty'));
    expect(root.querySelector('.notice.good')!.textContent).to.contain('Queued');
  });
});
