import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-schedule.ts';
import type { BcSchedule } from './bc-schedule.component.ts';
import { fromWeek, timeValue, toWeek } from './bc-schedule.component.ts';
import { ADMIN_SPECIALIST, consoleApi, expectAccessible, fakeApi, inside, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';
import { CONSULTATION, slotsFor } from '../../test-helpers.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const WEEK = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

function routes(extra: Record<string, (c: FakeCall) => { status?: number; body: unknown }> = {}) {
  return {
    'GET /api/specialist/me': () => ({ body: ADMIN_SPECIALIST }),
    'GET /api/services': () => ({ body: [CONSULTATION] }),
    'GET /api/specialist/hours': () => ({ body: { specialistId: ADMIN_SPECIALIST.id, timezone: 'Europe/Berlin', hours: WEEK } }),
    'GET /api/specialist/overrides': () => ({ body: { overrides: [{ id: '88888888-8888-4888-8888-888888888888', date: '2026-12-24', intervals: [], blocked: true, reason: 'Holiday' }] } }),
    'GET /api/specialists/dr-weber/slots': (c: FakeCall) => ({ body: slotsFor(['2026-12-01', '2026-12-02'], c.search.get('timezone')!) }),
    ...extra,
  };
}

describe('bc-schedule', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('reads typed times the way people type them', () => {
    expect(['9', '930', '09:30', '17', '24', '24:00'].map(timeValue)).to.deep.equal(['09:00', '09:30', '09:30', '17:00', '24:00', '24:00']);
    const week = toWeek([{ weekday: 3, start: '13:00', end: '17:00' }, { weekday: 1, start: '09:00', end: '12:00' }, { weekday: 3, start: '08:00', end: '12:00' }]);
    expect(fromWeek(week).origin).to.deep.equal([[1, 0], [3, 0], [3, 1]]);
  });

  it('edits the week: copies Monday to the weekend and saves the whole week', async () => {
    let saved: FakeCall | null = null;
    api = fakeApi(routes({ 'PUT /api/specialist/hours': (c) => { saved = c; return { body: { specialistId: ADMIN_SPECIALIST.id, timezone: 'Europe/Berlin', hours: (c.body as { hours: unknown[] }).hours } }; } }));
    const el = await fixture<BcSchedule>(html`<bc-schedule locale="en-GB" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-schedule>`);
    const start = await inside<HTMLInputElement>(el, '#h-1-0-start');
    await expectAccessible(el);
    start.value = '8';
    start.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const root = el.shadowRoot!;
    const monday = root.querySelector('fieldset.weekday')!;
    [...monday.querySelectorAll('button')].find((b) => b.textContent === 'Copy to…')!.click();
    await el.updateComplete;
    for (const box of root.querySelectorAll<HTMLInputElement>('.copy input')) if (['6', '7'].includes(box.value)) box.checked = true;
    root.querySelector<HTMLButtonElement>('.copy button')!.click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('#save-hours')!.click();
    await waitUntil(() => saved);
    const hours = (saved!.body as { hours: { weekday: number; start: string }[] }).hours;
    expect(hours.map((h) => `${h.weekday} ${h.start}`)).to.deep.equal(['1 08:00', '2 09:00', '3 09:00', '4 09:00', '5 09:00', '6 08:00', '7 08:00']);
    await waitUntil(() => root.querySelector('.notice.good'));
  });

  it('puts a refused interval\'s error next to it', async () => {
    api = fakeApi(routes({ 'PUT /api/specialist/hours': () => ({ status: 400, body: { error: 'overlapping_intervals', message: 'The interval 10:00–11:00 overlaps 09:00–17:00.', field: 'body.hours[1].start' } }) }));
    // en-GB weeks start on Monday: the first day shown is ISO weekday 1.
    const el = await fixture<BcSchedule>(html`<bc-schedule locale="en-GB" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-schedule>`);
    await inside(el, '#h-1-0-start');
    const root = el.shadowRoot!;
    [...root.querySelectorAll('fieldset.weekday')][0]!.querySelector<HTMLButtonElement>('.actions button')!.click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('#save-hours')!.click();
    // Flattened, entry 1 is Monday's second interval.
    await waitUntil(() => root.querySelector('#h-1-1-error:not([hidden])'));
    expect(root.querySelector('#h-1-1-error')!.textContent).to.contain('overlaps');
    expect(root.querySelector('#h-1-1-start')!.getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(el);
  });

  it('blocks a date and a holiday on the calendar, and previews free times in another zone', async () => {
    const posted: FakeCall[] = [];
    api = fakeApi(routes({
      'POST /api/specialist/overrides': (c) => { posted.push(c); return { status: 201, body: { id: '99999999-9999-4999-8999-999999999999', date: '2026-12-04', intervals: [], blocked: true, reason: '' } }; },
      'POST /api/specialist/overrides/vacation': (c) => { posted.push(c); return { status: 201, body: { overrides: [{ id: '9999', date: '2026-12-27', intervals: [], blocked: true, reason: 'Holidays' }] } }; },
    }));
    const el = await fixture<BcSchedule>(html`<bc-schedule locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .now=${() => NOW}></bc-schedule>`);
    const root = el.shadowRoot!;
    const blocked = await inside(el, 'button.date.blocked');
    expect(blocked.getAttribute('aria-label')).to.contain('blocked').and.contain('Holiday');
    root.querySelector<HTMLButtonElement>('button[data-date="2026-12-04"]')!.click();
    await el.updateComplete;
    root.querySelector<HTMLInputElement>('input[name=day-mode][value=blocked]')!.click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('#save-day')!.click();
    await waitUntil(() => posted.length === 1);
    expect(posted[0]!.body).to.deep.equal({ date: '2026-12-04', intervals: [] });
    root.querySelector<HTMLInputElement>('#vac-from')!.value = '2026-12-27';
    root.querySelector<HTMLInputElement>('#vac-to')!.value = '2027-01-02';
    root.querySelector<HTMLInputElement>('#vac-reason')!.value = 'Holidays';
    root.querySelector<HTMLFormElement>('form.vacation')!.requestSubmit();
    await waitUntil(() => posted.length === 2);
    expect(posted[1]!.body).to.deep.equal({ from: '2026-12-27', to: '2027-01-02', reason: 'Holidays' });
    await waitUntil(() => root.querySelector('.preview .times'));
    expect(api.calls.filter((c) => c.path.endsWith('/slots')).at(-1)!.search.get('timezone')).to.equal('Europe/Berlin');
    await expectAccessible(el);
  });
});
