import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-webhooks.ts';
import type { BcWebhooks } from './bc-webhooks.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

const hook = { id: 'f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1', url: 'https://crm.example/hooks', events: [], active: true, createdAt: '2026-12-01T08:00:00.000Z' };

describe('bc-webhooks', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('shows the secret once, sends a test and lists deliveries with their errors', async () => {
    const calls: FakeCall[] = [];
    let hooks: unknown[] = [];
    api = fakeApi({
      'GET /api/admin/webhooks': () => ({ body: { webhooks: hooks } }),
      'POST /api/admin/webhooks': (c) => { calls.push(c); hooks = [hook]; return { status: 201, body: { ...hook, secret: 'whsec_c2VjcmV0' } }; },
      [`POST /api/admin/webhooks/${hook.id}/test`]: (c) => { calls.push(c); return { status: 202, body: { deliveryId: 'x' } }; },
      [`GET /api/admin/webhooks/${hook.id}/deliveries`]: () => ({ body: { deliveries: [{ id: 'a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1', event: 'webhook.test', status: 'failed', attempts: 6, lastError: 'HTTP 500', createdAt: '2026-12-01T08:00:00.000Z', sentAt: null }] } }),
    });
    const el = await fixture<BcWebhooks>(html`<bc-webhooks locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-webhooks>`);
    const root = el.shadowRoot!;
    await inside(el, '.empty');
    await expectAccessible(el);
    root.querySelector<HTMLInputElement>('#wh-url')!.value = hook.url;
    root.querySelector<HTMLInputElement>('input[name=event][value="booking.completed"]')!.checked = false;
    root.querySelector<HTMLFormElement>('form.card')!.requestSubmit();
    const secret = await inside(el, '#secret');
    expect(secret.querySelector('.secret')!.textContent).to.equal('whsec_c2VjcmV0');
    expect(root.activeElement).to.equal(secret);
    const events = (calls[0]!.body as { events: string[] }).events;
    expect(events).to.have.length(10);
    expect(events).to.include('booking.reviewed').and.include('booking.no_show').and.not.include('booking.completed');
    await waitUntil(() => [...root.querySelectorAll('button')].some((b) => b.textContent === 'Send a test event'));
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Send a test event')!.click();
    await waitUntil(() => root.querySelector('td .badge.failed'));
    expect(root.querySelector('table.list')!.textContent).to.contain('HTTP 500');
    await expectAccessible(el);
  });
});
