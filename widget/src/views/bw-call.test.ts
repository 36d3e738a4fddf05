import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bw-call.ts';
import type { BwCall, DailyLoader } from './bw-call.component.ts';
import { expectAccessible } from '../test-helpers.ts';
import { fakeRoom } from './bw-livekit.test-helpers.ts';
import { ApiError, type Api } from '../api.ts';

/** A stand-in for Daily's frame: records what the widget asked of it, emits events on demand. */
function fakeDaily(opts: { reachable?: boolean } = {}) {
  const handlers = new Map<string, (ev?: unknown) => void>();
  const fakeOpts = opts;
  const state = { parent: null as HTMLElement | null, joined: null as unknown, destroyed: false };
  const call = {
    on(name: string, fn: (ev?: unknown) => void) { handlers.set(name, fn); return call; },
    async join(opts: unknown) {
      state.joined = opts;
      // Unreachable: Daily's join neither resolves nor fires an event (the frame stays grey).
      if (fakeOpts.reachable ?? true) handlers.get('joined-meeting')?.();
      else await new Promise(() => {});
    },
    async leave() { handlers.get('left-meeting')?.(); },
    async destroy() { state.destroyed = true; },
  };
  const loader = (async () => ({
    createFrame(parent: HTMLElement) {
      state.parent = parent;
      parent.append(document.createElement('iframe'));
      return call;
    },
  })) as unknown as DailyLoader;
  return { loader, state, emit: (name: string, ev?: unknown) => handlers.get(name)?.(ev) };
}

const join = { roomUrl: 'https://example.daily.co/bw-1', token: 'tok', startsAt: '', endsAt: '', role: 'visitor', provider: 'daily' as const };

describe('bw-call', () => {
  it('mounts the frame inside its shadow root, joins with the token, and destroys it on leave', async () => {
    const daily = fakeDaily();
    const el = await fixture<BwCall>(html`<bw-call locale="en" specialistName="Dr. Anna Weber" .join=${join} .loader=${daily.loader}></bw-call>`);
    await waitUntil(() => daily.state.joined);
    expect(daily.state.parent!.getRootNode()).to.equal(el.shadowRoot);
    expect(daily.state.joined).to.deep.equal({ url: join.roomUrl, token: 'tok' });
    await expectAccessible(el.shadowRoot!.querySelector('.bar')!);
    setTimeout(() => el.shadowRoot!.querySelector('button')!.click());
    const left = await oneEvent(el, 'bw-call-left');
    expect(left.detail).to.be.a('number');
    expect(daily.state.destroyed).to.equal(true);
  });

  it('explains a refused camera or microphone', async () => {
    const daily = fakeDaily();
    const el = await fixture<BwCall>(html`<bw-call locale="de" specialistName="X" .join=${join} .loader=${daily.loader}></bw-call>`);
    await waitUntil(() => daily.state.joined);
    daily.emit('camera-error', { error: { type: 'permissions' } });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('Kamera oder Mikrofon blockiert');
    el.remove();
    expect(daily.state.destroyed, 'frame destroyed when the view goes away').to.equal(true);
  });

  it('opens a LiveKit room in its own view (no Daily frame) and reports joining and leaving', async () => {
    const daily = fakeDaily();
    const room = fakeRoom();
    const lk = { ...join, provider: 'livekit' as const, roomUrl: 'wss://lk.example', token: 'lk-token' };
    const el = await fixture<BwCall>(html`<bw-call locale="en" specialistName="Dr. Anna Weber" .join=${lk} .loader=${daily.loader} .roomFactory=${room.factory}></bw-call>`);
    const joined = oneEvent(el, 'bw-call-joined');
    await waitUntil(() => el.shadowRoot!.querySelector('bw-livekit'));
    await joined;
    expect(room.connectedWith).to.deep.equal(['wss://lk.example', 'lk-token']);
    expect(daily.state.parent, 'daily-js not used').to.equal(null);
    expect(el.shadowRoot!.querySelector('.bar button'), 'Leave lives in the LiveKit controls').to.equal(null);
    setTimeout(() => el.leave());
    const left = await oneEvent(el, 'bw-call-left');
    expect(left.detail).to.be.a('number');
    expect(room.disconnected).to.equal(true);
  });

  it('sends a Meet or Teams call to its own app in a new tab, without loading any client', async () => {
    const daily = fakeDaily();
    const meet = { ...join, provider: 'google_meet' as const, roomUrl: 'https://meet.google.com/abc-defg-hij', token: '' };
    const el = await fixture<BwCall>(html`<bw-call locale="de" specialistName="Dr. Anna Weber" .join=${meet} .loader=${daily.loader}></bw-call>`);
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('.meeting a')!;
    expect(link.href).to.equal('https://meet.google.com/abc-defg-hij');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.contain('noopener');
    expect(link.textContent).to.equal('Google Meet öffnen');
    expect(daily.state.parent).to.equal(null);
    await expectAccessible(el);
    link.addEventListener('click', (e) => e.preventDefault());
    setTimeout(() => link.click());
    await oneEvent(el, 'bw-call-joined');
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('.bar button')!.click());
    await oneEvent(el, 'bw-call-left');
  });

  it('titles the frame, and says so when the call cannot load (with a rejoin)', async () => {
    const daily = fakeDaily({ reachable: false });
    const el = await fixture<BwCall>(html`<bw-call locale="en" specialistName="Dr. Anna Weber" .join=${join} .loader=${daily.loader} loadTimeoutMs="50"></bw-call>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role=alert]'), 'an error instead of a grey frame');
    expect(el.shadowRoot!.querySelector('iframe')!.getAttribute('title')).to.equal('Consultation with Dr. Anna Weber');
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('could not be loaded');
    await expectAccessible(el);
    const rejoin = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Rejoin'))!;
    rejoin.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
    await waitUntil(() => el.shadowRoot!.querySelector('iframe'), 'a fresh frame');
    expect(el.shadowRoot!.querySelectorAll('iframe').length, 'one fresh frame').to.equal(1);
  });

  it('reports the join to the server with the join token, again while the provider does not show it yet', async () => {
    const daily = fakeDaily();
    const sent: { path: string; body: unknown }[] = [];
    const api = {
      async request(path: string, o: { body?: unknown } = {}) {
        sent.push({ path, body: o.body });
        if (sent.length === 1) throw new ApiError(409, { error: 'not_in_room', message: 'not yet' });
        return { role: 'visitor', joinedAt: '2026-12-01T10:00:00.000Z', status: 'in_progress' };
      },
    } as unknown as Api;
    const el = await fixture<BwCall>(html`<bw-call locale="en" specialistName="X" .join=${join} .loader=${daily.loader} .api=${api} bookingId="b-1" .presenceRetryMs=${[10]}></bw-call>`);
    await waitUntil(() => el.presence !== null, 'confirmed after one retry');
    expect(sent).to.deep.equal([
      { path: '/api/bookings/b-1/presence', body: { token: 'tok' } },
      { path: '/api/bookings/b-1/presence', body: { token: 'tok' } },
    ]);
    expect(el.presence!.status).to.equal('in_progress');
  });

  it('stops reporting on any other answer, and never reports a Meet or Teams meeting', async () => {
    const daily = fakeDaily();
    let calls = 0;
    const api = { async request() { calls++; throw new ApiError(401, { error: 'invalid_join_token', message: 'no' }); } } as unknown as Api;
    const el = await fixture<BwCall>(html`<bw-call locale="en" specialistName="X" .join=${join} .loader=${daily.loader} .api=${api} bookingId="b-2" .presenceRetryMs=${[10, 10]}></bw-call>`);
    await waitUntil(() => calls > 0);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).to.equal(1);
    expect(el.presence).to.equal(null);

    const meet = { ...join, provider: 'google_meet' as const, roomUrl: 'https://meet.google.com/abc-defg-hij', token: '' };
    const m = await fixture<BwCall>(html`<bw-call locale="en" specialistName="X" .join=${meet} .api=${api} bookingId="b-3"></bw-call>`);
    const link = m.shadowRoot!.querySelector<HTMLAnchorElement>('.meeting a')!;
    link.addEventListener('click', (e) => e.preventDefault());
    link.click();
    await new Promise((r) => setTimeout(r, 30));
    expect(calls, 'no report for an external meeting').to.equal(1);
  });
});
