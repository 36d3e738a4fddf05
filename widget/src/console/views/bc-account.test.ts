import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-account.ts';
import type { BcAccount } from './bc-account.component.ts';
import { ADMIN_SPECIALIST, consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';

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
      'GET /api/specialist/me': () => ({ body: ADMIN_SPECIALIST }),
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
      'GET /api/specialist/me': () => ({ body: ADMIN_SPECIALIST }),
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

  it('a specialist sets the times they are reminded of their sessions; the owner has no such card here', async () => {
    const patches: FakeCall[] = [];
    let me = { ...ADMIN_SPECIALIST };
    api = fakeApi({
      'GET /api/auth/sessions': () => ({ body: { sessions: [session('d4d4d4d4-d4d4-4d4d-8d4d-d4d4d4d4d4d4', true)] } }),
      'GET /api/specialist/push': () => ({ body: { publicKey: null, subscriptions: [] } }),
      'GET /api/specialist/me': () => ({ body: me }),
      'PATCH /api/specialist/me': (c) => {
        patches.push(c);
        const minutes = (c.body as { hostReminderMinutes: number[] | null }).hostReminderMinutes;
        if (minutes && minutes.length > 5) return { status: 400, body: { error: 'invalid_request', message: 'body/hostReminderMinutes must NOT have more than 5 items', field: 'body.hostReminderMinutes' } };
        me = { ...me, hostReminderMinutes: minutes };
        return { body: me };
      },
    });
    const el = await fixture<BcAccount>(html`<bc-account locale="de" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-account>`);
    const root = el.shadowRoot!;
    const useDefault = await inside<HTMLInputElement>(el, '#me-reminders-default');
    expect(root.querySelector('#reminders-title')!.textContent).to.equal('Erinnerungen vor Terminen');
    expect(useDefault.checked).to.equal(true);
    await expectAccessible(el);
    useDefault.click();
    await el.updateComplete;
    const minutes = root.querySelector<HTMLInputElement>('#me-hostReminderMinutes')!;
    minutes.value = '1, 2, 3, 4, 5, 6';
    root.querySelector<HTMLFormElement>('section[aria-labelledby="reminders-title"] form')!.requestSubmit();
    await waitUntil(() => root.querySelector('#me-hostReminderMinutes-error:not([hidden])'));
    expect(root.querySelector('#me-hostReminderMinutes-error')!.textContent).to.contain('more than 5');
    expect(root.activeElement).to.equal(minutes);
    minutes.value = '';
    root.querySelector<HTMLFormElement>('section[aria-labelledby="reminders-title"] form')!.requestSubmit();
    await waitUntil(() => root.querySelector('.notice.good'));
    expect((patches.at(-1)!.body as { hostReminderMinutes: number[] }).hostReminderMinutes).to.deep.equal([], 'empty: no reminders');
    expect(root.querySelector('.notice.good')!.textContent).to.contain('Erinnerungszeiten gespeichert');
    expect(root.querySelector<HTMLInputElement>('#me-reminders-default')!.checked).to.equal(false);
    await expectAccessible(el);

    api.restore();
    api = fakeApi({ 'GET /api/auth/sessions': () => ({ body: { sessions: [] } }) });
    const owner = await fixture<BcAccount>(html`<bc-account locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-account>`);
    await inside(owner, 'ul.plain');
    expect(owner.shadowRoot!.querySelector('#reminders-title')).to.equal(null);
    expect(api.calls.some((c) => c.path === '/api/specialist/me')).to.equal(false);
  });
});
