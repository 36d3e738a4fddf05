import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-account.ts';
import type { BcAccount } from './bc-account.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, SPECIALIST_SESSION } from '../test-helpers.ts';

const session = (id: string, current: boolean) => ({
  id, role: 'specialist', method: current ? 'link' : 'credential', label: current ? 'Chrome' : 'Firefox on the laptop',
  createdAt: '2026-12-01T07:00:00.000Z', expiresAt: '2026-12-01T15:00:00.000Z', lastUsedAt: null, current,
});

describe('bc-account', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('lists where the account is signed in and signs another browser out', async () => {
    let list = [session('d4d4d4d4-d4d4-4d4d-8d4d-d4d4d4d4d4d4', true), session('e5e5e5e5-e5e5-4e5e-8e5e-e5e5e5e5e5e5', false)];
    let revoked = '';
    api = fakeApi({
      'GET /api/auth/sessions': () => ({ body: { sessions: list } }),
      'DELETE /api/auth/sessions/[^/]+': (c) => { revoked = c.path.split('/').at(-1)!; list = list.slice(0, 1); return { status: 204, body: null }; },
    });
    const el = await fixture<BcAccount>(html`<bc-account locale="de" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-account>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.plain li');
    expect(root.textContent).to.contain('Dr. Anna Weber').and.contain('Firefox on the laptop');
    expect(root.querySelectorAll('ul.plain button').length).to.equal(1, 'this browser signs out from the top bar');
    await expectAccessible(el);
    root.querySelector<HTMLButtonElement>('ul.plain button')!.click();
    await waitUntil(() => root.querySelectorAll('ul.plain li').length === 1);
    expect(revoked).to.equal('e5e5e5e5-e5e5-4e5e-8e5e-e5e5e5e5e5e5');
  });

  it('lists this specialist\'s push subscriptions and turns one off', async () => {
    let subs = [{ id: 'f6f6f6f6-f6f6-4f6f-8f6f-f6f6f6f6f6f6', host: 'push.example.net', label: 'Firefox', createdAt: '2026-12-01T07:00:00.000Z', lastSuccessAt: null }];
    let removed = '';
    api = fakeApi({
      'GET /api/auth/sessions': () => ({ body: { sessions: [session('d4d4d4d4-d4d4-4d4d-8d4d-d4d4d4d4d4d4', true)] } }),
      'GET /api/specialist/push': () => ({ body: { publicKey: 'BPublicKey', subscriptions: subs } }),
      'DELETE /api/specialist/push/subscriptions/[^/]+': (c) => { removed = c.path.split('/').at(-1)!; subs = []; return { status: 204, body: null }; },
    });
    const el = await fixture<BcAccount>(html`<bc-account locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-account>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.push li');
    expect(root.querySelector('#push-title')!.textContent).to.equal('Push notifications');
    expect(root.querySelector('ul.push')!.textContent).to.contain('push.example.net');
    await expectAccessible(el);
    root.querySelector<HTMLButtonElement>('ul.push button')!.click();
    await waitUntil(() => !root.querySelector('ul.push'));
    expect(removed).to.equal('f6f6f6f6-f6f6-4f6f-8f6f-f6f6f6f6f6f6');
    expect(root.querySelector('.notice.good')!.textContent).to.contain('turned off');
  });
});
