import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-agenda.ts';
import type { BcAgenda } from './bc-agenda.component.ts';
import { booking, consoleApi, expectAccessible, fakeApi, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const today = { ...booking('2026-12-01T10:00:00.000Z'), id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' };
const request = { ...booking('2026-12-03T09:00:00.000Z', 'pending'), id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', visitor: { ...booking('2026-12-03T09:00:00.000Z').visitor, name: 'Grace Hopper' } };

describe('bc-agenda', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  function routes(version: () => string, calls: FakeCall[] = []) {
    return {
      'GET /api/specialist/bookings/version': () => ({ body: { version: version() } }),
      'GET /api/specialist/bookings': (c: FakeCall) => {
        calls.push(c);
        if (c.search.get('status') === 'pending') return { body: { bookings: [request] } };
        const from = Date.parse(c.search.get('from')!), until = Date.parse(c.search.get('until')!);
        return { body: { bookings: [today, request].filter((b) => Date.parse(b.start) >= from && Date.parse(b.start) < until) } };
      },
    };
  }

  it('shows today in the specialist\'s zone with the requests on top, and opens a booking', async () => {
    const calls: FakeCall[] = [];
    api = fakeApi(routes(() => '1', calls));
    const el = await fixture<BcAgenda>(html`<bc-agenda locale="en-GB" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-agenda>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('.day button.booking') && root.querySelector('.pending button.booking'));
    const day = calls.find((c) => !c.search.get('status'))!;
    // Midnight to midnight in Berlin (UTC+1).
    expect([day.search.get('from'), day.search.get('until')]).to.deep.equal(['2026-11-30T23:00:00.000Z', '2026-12-01T23:00:00.000Z']);
    expect(root.querySelector('.day .when')!.textContent).to.equal('11:00–11:50');
    expect(root.querySelector('.pending h3')!.textContent).to.contain('(1)');
    expect(root.querySelector('.pending .badge')!.textContent).to.equal('Awaiting approval');
    await expectAccessible(el);
    let went: unknown = null;
    el.addEventListener('bc-navigate', (e) => { went = (e as CustomEvent).detail; });
    root.querySelector<HTMLButtonElement>('.pending button.booking')!.click();
    expect(went).to.deep.equal({ view: 'booking', id: request.id });
  });

  it('shows a week from the locale\'s first day and the upcoming list', async () => {
    const calls: FakeCall[] = [];
    api = fakeApi(routes(() => '1', calls));
    const el = await fixture<BcAgenda>(html`<bc-agenda locale="de" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-agenda>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('.day'));
    [...root.querySelectorAll<HTMLButtonElement>('.segments button')][1]!.click();
    await waitUntil(() => root.querySelectorAll('section.day').length === 7);
    const week = calls.filter((c) => !c.search.get('status')).at(-1)!;
    expect(week.search.get('from')).to.equal('2026-11-29T23:00:00.000Z', 'Monday 30 November, Berlin');
    expect(root.querySelectorAll('.day button.booking').length).to.equal(2);
    expect(root.querySelector('h2')!.textContent).to.equal('Termine');
    await expectAccessible(el);
    [...root.querySelectorAll<HTMLButtonElement>('.segments button')][2]!.click();
    await waitUntil(() => root.querySelectorAll('section.day').length === 2);
  });

  it('reloads by itself when the bookings changed', async () => {
    let version = '1';
    const calls: FakeCall[] = [];
    api = fakeApi(routes(() => version, calls));
    const el = await fixture<BcAgenda>(html`<bc-agenda locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-agenda>`);
    await waitUntil(() => el.shadowRoot!.querySelector('.day button.booking'));
    const before = calls.length;
    await el.poll();
    expect(calls.length, 'nothing changed, nothing reloaded').to.equal(before);
    version = '2';
    await el.poll();
    expect(calls.length).to.be.greaterThan(before);
  });
});
