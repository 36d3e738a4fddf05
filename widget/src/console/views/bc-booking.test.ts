import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bc-booking.ts';
import type { BcBooking } from './bc-booking.component.ts';
import type { DailyLoader } from '../../views/bw-call.component.ts';
import { booking, consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';
import { CONSULTATION } from '../../test-helpers.ts';

const ID = '44444444-4444-4444-8444-444444444444';
const NOW = Date.parse('2026-12-03T08:52:00Z');
const START = '2026-12-03T09:00:00.000Z';
const notes = { bookingId: ID, notes: 'private', summary: '', summarySentAt: null, updatedAt: '2026-12-01T00:00:00.000Z' };

function routes(current: () => ReturnType<typeof booking>, extra: Record<string, (c: FakeCall) => { status?: number; body: unknown }> = {}) {
  return {
    [`GET /api/bookings/${ID}`]: () => ({ body: current() }),
    'GET /api/services': () => ({ body: [CONSULTATION] }),
    [`GET /api/specialist/bookings/${ID}/notes`]: () => ({ body: notes }),
    'GET /api/specialist/history': () => ({ body: { consultations: [] } }),
    [`GET /api/admin/bookings/${ID}/notifications`]: () => ({ body: { notifications: [] } }),
    ...extra,
  };
}

describe('bc-booking', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('shows a request with its answers and approves it', async () => {
    let b = { ...booking(START, 'pending'), actions: ['cancel', 'reschedule', 'approve', 'decline'], answers: { topic: 'Sleep', consent: true } };
    api = fakeApi(routes(() => b, {
      [`POST /api/specialist/bookings/${ID}/approve`]: () => { b = { ...b, status: 'confirmed' as 'pending', actions: ['cancel', 'reschedule'] }; return { body: b }; },
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-booking>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('dd.answer') && [...root.querySelectorAll('dt')].some((d) => d.textContent === 'What would you like to talk about?'));
    expect(root.querySelector('.badge')!.textContent).to.equal('Awaiting approval');
    expect(root.textContent).to.contain('Yes', 'a ticked box reads as Yes');
    await expectAccessible(el);
    root.querySelector<HTMLButtonElement>('#approve')!.click();
    await waitUntil(() => root.querySelector('.notice.good'));
    expect(root.querySelector('.notice.good')!.textContent).to.contain('Approved');
    expect(root.querySelector('#approve')).to.equal(null);
  });

  it('offers an attached document as a download fetched with the session', async () => {
    const FILE = 'f0000000-0000-4000-8000-000000000001';
    const b = { ...booking(START, 'confirmed'), answers: { topic: 'Sleep', referral: FILE } };
    let downloaded: FakeCall | null = null;
    api = fakeApi(routes(() => b, {
      [`GET /api/bookings/${ID}/files`]: () => ({ body: [{ id: FILE, questionId: 'referral', name: 'Überweisung.pdf', contentType: 'application/pdf', size: 20480 }] }),
      [`GET /api/bookings/${ID}/files/${FILE}`]: (c) => { downloaded = c; return { body: '%PDF-1.7' }; },
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-booking>`);
    const button = await inside<HTMLButtonElement>(el, 'dd.answer button.link');
    expect(button.textContent).to.equal('Download Überweisung.pdf (20 kB)');
    await expectAccessible(el);
    button.click();
    await waitUntil(() => downloaded);
    expect(downloaded!.headers.get('authorization')).to.match(/^Bearer /);
  });

  it('declines with a reason for the visitor, after asking', async () => {
    let declined: FakeCall | null = null;
    const b = { ...booking(START, 'pending'), actions: ['cancel', 'approve', 'decline'] };
    api = fakeApi(routes(() => b, {
      [`POST /api/specialist/bookings/${ID}/decline`]: (c) => { declined = c; return { body: { ...b, status: 'cancelled', actions: [] } }; },
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="de" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-booking>`);
    const decline = await inside<HTMLButtonElement>(el, '#decline');
    decline.click();
    const reason = await inside<HTMLTextAreaElement>(el, '#reason');
    expect(el.shadowRoot!.activeElement).to.equal(reason);
    await expectAccessible(el);
    reason.value = 'Leider bin ich an dem Tag nicht da.';
    el.shadowRoot!.querySelector<HTMLButtonElement>('#confirm')!.click();
    await waitUntil(() => declined);
    expect(declined!.body).to.deep.equal({ reason: 'Leider bin ich an dem Tag nicht da.' });
  });

  it('hosts the call from 10 minutes before, with the session, and comes back after it', async () => {
    let joined: FakeCall | null = null;
    let reported: FakeCall | null = null;
    const recordCalls: unknown[] = [];
    const b = booking(START);
    api = fakeApi(routes(() => b, {
      // The call view reports the join with the join token; the server confirms it with the provider.
      [`POST /api/bookings/${ID}/presence`]: (c) => { reported = c; return { body: { role: 'specialist', joinedAt: START, status: 'in_progress' } }; },
      [`POST /api/bookings/${ID}/join`]: (c) => { joined = c; return { body: { roomUrl: 'https://x.daily.co/consult', token: 'owner-token', startsAt: START, endsAt: START, role: 'specialist', provider: 'daily', recording: true, recordingState: { offered: true, consent: true, status: 'none' } } }; },
      // Recording runs at the provider through the API, which checks the visitor's consent.
      [`POST /api/specialist/bookings/${ID}/recording`]: (c) => { recordCalls.push(c.body); return { body: { offered: true, consent: true, status: 'recording' } }; },
    }));
    const handlers = new Map<string, () => void>();
    const call = {
      on(n: string, f: () => void) { handlers.set(n, f); return call; },
      async join() { handlers.get('joined-meeting')!(); },
      async leave() { handlers.get('left-meeting')!(); },
      async destroy() {},
    };
    const loader = (async () => ({ createFrame: () => call })) as unknown as DailyLoader;
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} join .api=${consoleApi()} .session=${SPECIALIST_SESSION}
      .now=${() => NOW} .dailyLoader=${loader}></bc-booking>`);
    // Opened from a join link: straight to the waiting room, open 8 minutes before for the host.
    const room = await inside(el, 'bw-waiting-room');
    await (room as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(room.shadowRoot!.textContent).to.contain('with Ada Lovelace');
    const enter = room.shadowRoot!.querySelector<HTMLButtonElement>('button[part=enter]')!;
    expect(enter.getAttribute('aria-disabled')).to.equal('false');
    await expectAccessible(el);
    enter.click();
    const callEl = await inside(el, 'bw-call');
    expect(joined!.headers.get('authorization')).to.equal('Bearer bcs_test-session-token-0123456789');
    await waitUntil(() => reported, 'the join is reported');
    expect(reported!.body).to.deep.equal({ token: 'owner-token' });
    await waitUntil(() => el.shadowRoot!.querySelector('.record'));
    el.shadowRoot!.querySelector<HTMLButtonElement>('.record button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.record [role=status]')!.textContent === 'Recording');
    expect(recordCalls).to.deep.equal([{ action: 'start' }]);
    setTimeout(() => callEl.shadowRoot!.querySelector<HTMLButtonElement>('.bar button')!.click());
    await oneEvent(callEl, 'bw-call-left');
    await waitUntil(() => el.shadowRoot!.querySelector('.notice.good'));
    expect(el.shadowRoot!.querySelector('.notice.good')!.textContent).to.contain('summary');
  });

  it('saves notes and sends the summary to the visitor', async () => {
    const sent: string[] = [];
    const b = booking('2026-11-30T09:00:00.000Z');
    api = fakeApi(routes(() => b, {
      [`PUT /api/specialist/bookings/${ID}/notes`]: (c) => { sent.push(`put ${JSON.stringify(c.body)}`); return { body: { ...notes, ...(c.body as object) } }; },
      [`POST /api/specialist/bookings/${ID}/summary/send`]: () => { sent.push('send'); return { body: { ...notes, summary: 'Diary', summarySentAt: '2026-12-03T08:52:00.000Z' } }; },
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-booking>`);
    const summary = await inside<HTMLTextAreaElement>(el, '#summary');
    summary.value = 'Diary';
    el.shadowRoot!.querySelector<HTMLButtonElement>('#send-summary')!.click();
    await waitUntil(() => sent.includes('send'));
    expect(sent[0]).to.equal('put {"summary":"Diary"}');
    await waitUntil(() => el.shadowRoot!.querySelector('#summary-hint')!.textContent!.includes('Sent to the visitor'));
    await expectAccessible(el);
  });

  it('shows the owner the booking\'s messages and no notes', async () => {
    const b = { ...booking(START), actions: ['cancel'] };
    api = fakeApi(routes(() => b, {
      [`GET /api/admin/bookings/${ID}/notifications`]: () => ({ body: { notifications: [{ id: '77777777-7777-4777-8777-777777777777', bookingId: ID, kind: 'visitor.confirmation', channel: 'email', recipient: 'ada@example.com', sendAt: START, status: 'failed', attempts: 6, lastError: '550 mailbox unavailable', sentAt: null }] } }),
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${OWNER_SESSION} .now=${() => NOW}></bc-booking>`);
    await waitUntil(() => el.shadowRoot!.querySelector('.delivery .error'));
    expect(el.shadowRoot!.querySelector('#notes')).to.equal(null);
    expect(el.shadowRoot!.querySelector('#host')).to.equal(null, 'the owner is not in the call');
    expect(el.shadowRoot!.textContent).to.contain('Dr. Anna Weber');
    await expectAccessible(el);
  });

  it('shows the payment and where each refund stands', async () => {
    const b = {
      ...booking(START, 'cancelled'),
      payment: {
        status: 'partially_refunded', amountCents: 9000, currency: 'EUR', checkoutUrl: null, holdExpiresAt: null, paidAt: '2026-11-20T10:02:00.000Z', refundedCents: 4500,
        refunds: [{ id: '88888888-8888-4888-8888-888888888888', amountCents: 4500, currency: 'EUR', reason: 'visitor_cancellation', status: 'succeeded', createdAt: '2026-12-01T09:00:00.000Z' }],
      },
    };
    api = fakeApi(routes(() => b));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${OWNER_SESSION} .now=${() => NOW}></bc-booking>`);
    const card = await inside(el, '[aria-labelledby=payment-title]');
    expect(card.textContent).to.contain('€90.00').and.contain('Partly refunded').and.contain('€45.00').and.contain('cancelled by the visitor');
    expect(card.querySelector('.refunds .badge.succeeded')!.textContent).to.equal('Refunded');
    await expectAccessible(el);
  });

  it('says who did not come, with the refund of the specialist\'s no-show', async () => {
    const b = { ...booking(START, 'no_show'), actions: [], noShow: { party: 'specialist', refund: { percent: 100, cents: 9000, currency: 'EUR' } } };
    api = fakeApi(routes(() => b));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${OWNER_SESSION} .now=${() => NOW + 3_600_000}></bc-booking>`);
    const card = await inside(el, '#outcome');
    expect(card.textContent).to.contain('The specialist did not join').and.contain('Refunded in full: €90.00');
    await expectAccessible(el);
  });

  it('says when Meet or Teams could not report attendance, leaving the marking to the specialist (in German too)', async () => {
    const b = { ...booking(START, 'confirmed'), actions: ['cancel', 'complete', 'no_show'], attendance: 'scope_missing' };
    api = fakeApi(routes(() => b));
    const el = await fixture<BcBooking>(html`<bc-booking locale="de" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW + 3_600_000}></bc-booking>`);
    const note = await inside(el, '#attendance');
    expect(note.textContent).to.contain('Berechtigung für Teilnahmeberichte');
    await expectAccessible(el);
  });

  it('lets the site owner record that the specialist did not come, after asking (with the refund it gives)', async () => {
    let marked: FakeCall | null = null;
    const paid = { ...booking(START, 'confirmed'), actions: ['cancel'], payment: { status: 'paid', amountCents: 9000, currency: 'EUR', refundedCents: 0, paidAt: '2026-12-01T09:00:00.000Z', holdExpiresAt: null, checkoutUrl: null, refunds: [] } };
    api = fakeApi(routes(() => paid, {
      [`POST /api/admin/bookings/${ID}/specialist-no-show`]: (c) => { marked = c; return { body: { ...paid, status: 'no_show', actions: [], noShow: { party: 'specialist', refund: { percent: 100, cents: 9000, currency: 'EUR' } } } }; },
    }));
    const el = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${OWNER_SESSION} .now=${() => NOW + 3_600_000}></bc-booking>`);
    const button = await inside<HTMLButtonElement>(el, '#specialist-no-show');
    button.click();
    const refund = await inside(el, '.confirm #refund');
    expect(refund.textContent).to.contain('€90.00');
    await expectAccessible(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.confirm #confirm')!.click();
    await waitUntil(() => marked && el.shadowRoot!.querySelector('#outcome'));
    expect(el.shadowRoot!.querySelector('.notice.good')!.textContent).to.contain('the specialist did not come');
    expect(el.shadowRoot!.querySelector('#specialist-no-show')).to.equal(null);
  });

  it('offers the specialist no such button, nor the owner before the start', async () => {
    api = fakeApi(routes(() => booking(START, 'confirmed')));
    const own = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW + 3_600_000}></bc-booking>`);
    await inside(own, '.actions.main');
    expect(own.shadowRoot!.querySelector('#specialist-no-show')).to.equal(null);
    const early = await fixture<BcBooking>(html`<bc-booking locale="en" bookingId=${ID} .api=${consoleApi()} .session=${OWNER_SESSION} .now=${() => NOW}></bc-booking>`);
    await inside(early, '.actions.main');
    expect(early.shadowRoot!.querySelector('#specialist-no-show')).to.equal(null);
  });
});
