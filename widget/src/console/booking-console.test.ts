import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './booking-console.ts';
import type { BookingConsole } from './booking-console.component.ts';
import { API, booking, expectAccessible, fakeApi, OWNER_SESSION, SPECIALIST_SESSION, type FakeCall } from './test-helpers.ts';
import { CONSULTATION } from '../test-helpers.ts';

const ID = '44444444-4444-4444-8444-444444444444';
const NOW = Date.parse('2026-12-03T08:40:00Z');
const specialistIssued = { ...SPECIALIST_SESSION, token: 'bcs_specialist-token-0123456789' };
const ownerIssued = { ...OWNER_SESSION, token: 'bcs_owner-token-0123456789abcd' };

const shadow = (el: Element, ...path: string[]) => {
  let node: Element | null = el;
  for (const sel of path) node = node?.shadowRoot?.querySelector(sel) ?? null;
  return node;
};

function routes(extra: Record<string, (c: FakeCall) => { status?: number; body: unknown }> = {}) {
  return {
    'GET /api/specialist/bookings/version': () => ({ body: { version: '1' } }),
    'GET /api/specialist/bookings': () => ({ body: { bookings: [] } }),
    [`GET /api/bookings/${ID}`]: () => ({ body: booking('2026-12-03T09:00:00.000Z') }),
    'GET /api/services': () => ({ body: [CONSULTATION] }),
    [`GET /api/specialist/bookings/${ID}/notes`]: () => ({ body: { bookingId: ID, notes: '', summary: '', summarySentAt: null, updatedAt: '2026-12-01T00:00:00.000Z' } }),
    'GET /api/specialist/history': () => ({ body: { consultations: [] } }),
    'GET /api/admin/specialists': () => ({ body: { specialists: [] } }),
    'GET /api/admin/services': () => ({ body: { services: [] } }),
    'GET /api/admin/bookings': () => ({ body: { bookings: [], nextCursor: null, total: 0 } }),
    ...extra,
  };
}

describe('booking-console', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => {
    api?.restore();
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname);
  });

  it('opens a booking\'s join link after sign-in, and keeps the key out of the browser', async () => {
    history.replaceState(null, '', `${location.pathname}?booking=${ID}&action=join`);
    api = fakeApi(routes({ 'POST /api/auth/sign-in/key': () => ({ body: specialistIssued }) }));
    const el = await fixture<BookingConsole>(html`<booking-console api=${API} locale="en" .now=${() => NOW}></booking-console>`);
    expect(location.search, 'the link\'s parameters leave the address bar').to.equal('');
    const signIn = shadow(el, 'bc-sign-in')!;
    await waitUntil(() => signIn.shadowRoot?.querySelector('#key'));
    expect(signIn.shadowRoot!.textContent).to.contain('open the booking from your email');
    await expectAccessible(el);
    signIn.shadowRoot!.querySelector<HTMLInputElement>('#key')!.value = 'spk_pasted-credential-0123456789';
    setTimeout(() => signIn.shadowRoot!.querySelectorAll<HTMLFormElement>('form')[1]!.requestSubmit());
    const ev = await oneEvent(el, 'booking-console-signed-in');
    expect(ev.detail).to.deep.equal({ role: 'specialist', name: 'Dr. Anna Weber' });
    await waitUntil(() => shadow(el, 'bc-booking', 'bw-waiting-room'), 'the waiting room of the linked booking');
    const stored = sessionStorage.getItem('booking-console:session')!;
    expect(stored).to.contain(specialistIssued.token).and.not.contain('spk_pasted');
    expect(shadow(el, 'nav button[aria-current=page]')!.textContent).to.equal('Agenda');
    await expectAccessible(el);
  });

  it('starts from this tab\'s session with the role\'s menu, and moves focus to each view', async () => {
    sessionStorage.setItem('booking-console:session', JSON.stringify(ownerIssued));
    api = fakeApi(routes());
    const el = await fixture<BookingConsole>(html`<booking-console api=${API} locale="de" .now=${() => NOW}></booking-console>`);
    await waitUntil(() => shadow(el, 'bc-bookings', 'h2'));
    const menu = [...el.shadowRoot!.querySelectorAll('nav button')].map((b) => b.textContent);
    expect(menu).to.deep.equal(['Buchungen', 'Fachleute', 'Leistungen', 'Website', 'Webhooks', 'Benachrichtigungen', 'Nachrichtentexte', 'Zahlungen', 'Bewertungen', 'Datenschutz', 'Betreiber', 'Konto']);
    // The message texts are a lazy chunk of their own, like every view.
    el.shadowRoot!.querySelector<HTMLButtonElement>('nav button[data-view-name=templates]')!.click();
    await waitUntil(() => shadow(el, 'bc-templates', 'h2')?.textContent === 'Nachrichtentexte', 'the message texts view');
    el.shadowRoot!.querySelector<HTMLButtonElement>('nav button[data-view-name=specialists]')!.click();
    await waitUntil(() => shadow(el, 'bc-specialists', 'h2'));
    await waitUntil(() => shadow(el, 'bc-specialists')!.shadowRoot!.activeElement?.tagName === 'H2', 'focus on the new view\'s heading');
    expect(shadow(el, 'nav button[aria-current=page]')!.textContent).to.equal('Fachleute');
    await expectAccessible(el);
  });

  it('asks to sign in again when the session ends, then returns to the same place', async () => {
    sessionStorage.setItem('booking-console:session', JSON.stringify(specialistIssued));
    let expired = true;
    api = fakeApi(routes({
      [`GET /api/bookings/${ID}`]: () => (expired ? { status: 401, body: { error: 'unauthorized', message: 'no' } } : { body: booking('2026-12-03T09:00:00.000Z') }),
      'POST /api/auth/sign-in/key': () => { expired = false; return { body: specialistIssued }; },
    }));
    history.replaceState(null, '', `${location.pathname}?booking=${ID}`);
    const el = await fixture<BookingConsole>(html`<booking-console api=${API} locale="en" .now=${() => NOW}></booking-console>`);
    const gone = await oneEvent(el, 'booking-console-signed-out');
    expect(gone.detail.reason).to.equal('expired');
    expect(sessionStorage.getItem('booking-console:session')).to.equal(null);
    const signIn = shadow(el, 'bc-sign-in')!;
    await waitUntil(() => signIn.shadowRoot?.querySelector('[role=alert]'));
    expect(signIn.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('session ended');
    signIn.shadowRoot!.querySelector<HTMLInputElement>('#key')!.value = 'spk_pasted-credential-0123456789';
    signIn.shadowRoot!.querySelectorAll<HTMLFormElement>('form')[1]!.requestSubmit();
    await waitUntil(() => shadow(el, 'bc-booking', 'dl.facts'), 'back at the booking');
  });

  it('signs out on the server and forgets the session', async () => {
    sessionStorage.setItem('booking-console:session', JSON.stringify(specialistIssued));
    let signedOut: FakeCall | null = null;
    api = fakeApi(routes({ 'POST /api/auth/sign-out': (c) => { signedOut = c; return { status: 204, body: null }; } }));
    const el = await fixture<BookingConsole>(html`<booking-console api=${API} locale="ru" .now=${() => NOW}></booking-console>`);
    await waitUntil(() => shadow(el, 'bc-agenda', 'h2'));
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('#sign-out')!.click());
    const ev = await oneEvent(el, 'booking-console-signed-out');
    expect(ev.detail.reason).to.equal('sign-out');
    expect(signedOut!.headers.get('authorization')).to.equal(`Bearer ${specialistIssued.token}`);
    expect(sessionStorage.getItem('booking-console:session')).to.equal(null);
    await waitUntil(() => shadow(el, 'bc-sign-in', 'h2'));
    expect(shadow(el, 'bc-sign-in', 'h2')!.textContent).to.equal('Вход в консоль записей');
  });
});
