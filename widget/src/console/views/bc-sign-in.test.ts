import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bc-sign-in.ts';
import type { BcSignIn } from './bc-sign-in.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';

const ID = '44444444-4444-4444-8444-444444444444';
const issued = { ...SPECIALIST_SESSION, token: 'bcs_new-session-token-0123456789' };

describe('bc-sign-in', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('emails a link carrying the booking to open, and says so without revealing accounts', async () => {
    let sent: FakeCall | null = null;
    api = fakeApi({ 'POST /api/auth/sign-in/email': (c) => { sent = c; return { status: 202, body: { sent: true, expiresInMin: 15 } }; } });
    const el = await fixture<BcSignIn>(html`<bc-sign-in locale="de" .api=${consoleApi('')} .target=${{ view: 'booking', id: ID, join: true }}></bc-sign-in>`);
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('um die Buchung aus Ihrer E-Mail zu öffnen');
    await expectAccessible(el);
    root.querySelector<HTMLInputElement>('#email')!.value = 'anna@practice.test';
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    const status = await inside(el, '#sent');
    expect(sent!.body).to.deep.equal({ email: 'anna@practice.test', role: 'specialist', locale: 'de', booking: ID, action: 'join' });
    expect(status.textContent).to.contain('anna@practice.test');
    expect(root.activeElement).to.equal(status);
    await expectAccessible(el);
  });

  it('checks the address before asking the server', async () => {
    api = fakeApi({});
    const el = await fixture<BcSignIn>(html`<bc-sign-in locale="en" .api=${consoleApi('')}></bc-sign-in>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('#email')!.value = 'nope';
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await el.updateComplete;
    expect(root.querySelector('#email-error')!.textContent).to.contain('name@example.com');
    expect(root.querySelector('#email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(api.calls.length).to.equal(0);
  });

  it('exchanges a pasted key for a session; a wrong key is explained at the field', async () => {
    let attempts = 0;
    api = fakeApi({
      'POST /api/auth/sign-in/key': () => (++attempts === 1
        ? { status: 401, body: { error: 'invalid_key', message: 'no', field: 'body.key' } }
        : { body: issued }),
    });
    const el = await fixture<BcSignIn>(html`<bc-sign-in locale="en" .api=${consoleApi('')}></bc-sign-in>`);
    const root = el.shadowRoot!;
    const key = root.querySelector<HTMLInputElement>('#key')!;
    key.value = 'spk_wrong-key-0123456789';
    root.querySelectorAll<HTMLFormElement>('form')[1]!.requestSubmit();
    await waitUntil(() => root.querySelector('#key-error:not([hidden])'));
    expect(root.querySelector('#key-error')!.textContent).to.contain('not valid');
    await expectAccessible(el);
    key.value = 'spk_right-key-0123456789';
    setTimeout(() => root.querySelectorAll<HTMLFormElement>('form')[1]!.requestSubmit());
    const ev = await oneEvent(el, 'bc-signed-in');
    expect(ev.detail.token).to.equal(issued.token);
    expect(key.value, 'the key does not linger in the field').to.equal('');
  });

  it('redeems an emailed link, or says it is spent', async () => {
    api = fakeApi({ 'POST /api/auth/sign-in/link': (c) => ((c.body as { token: string }).token === 'bsl_good-token-0123456789' ? { body: issued } : { status: 400, body: { error: 'invalid_link', message: 'x' } }) });
    const good = fixture<BcSignIn>(html`<bc-sign-in locale="en" .api=${consoleApi('')} linkToken="bsl_good-token-0123456789"></bc-sign-in>`);
    const ev = await oneEvent(await good, 'bc-signed-in');
    expect(ev.detail.role).to.equal('specialist');
    const bad = await fixture<BcSignIn>(html`<bc-sign-in locale="ru" .api=${consoleApi('')} linkToken="bsl_spent-token-0123456789"></bc-sign-in>`);
    await waitUntil(() => bad.shadowRoot!.querySelector('[role=alert]'));
    expect(bad.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('уже использована');
    await expectAccessible(bad);
  });
});
