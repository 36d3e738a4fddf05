import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-calendars.ts';
import type { BcCalendars } from './bc-calendars.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, SPECIALIST_SESSION, type FakeCall } from '../test-helpers.ts';

const connection = (status: 'active' | 'broken') => ({
  provider: 'google', status, accountEmail: 'anna@gmail.test', lastError: status === 'broken' ? 'the grant was revoked' : null,
  busyCalendarIds: ['primary'], writeCalendarId: 'primary', sendUpdates: 'none', busyFetchedAt: '2026-12-01T08:00:00.000Z', servingCachedBusy: status === 'broken',
});

describe('bc-calendars', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('says when calendars are not set up on the server', async () => {
    api = fakeApi({ 'GET /api/specialist/calendar': () => ({ body: { providers: { google: false, outlook: false }, connections: [] } }) });
    const el = await fixture<BcCalendars>(html`<bc-calendars locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-calendars>`);
    await inside(el, '.empty');
    expect(el.shadowRoot!.querySelector('.empty')!.textContent).to.contain('GOOGLE_CLIENT_ID');
    await expectAccessible(el);
  });

  it('connects through the provider, asking to come back to this page', async () => {
    let asked: FakeCall | null = null;
    api = fakeApi({
      'GET /api/specialist/calendar': () => ({ body: { providers: { google: true, outlook: true }, connections: [] } }),
      'GET /api/specialist/calendar/outlook/connect': (c) => { asked = c; return { body: { url: 'https://login.example/consent?x=1' } }; },
    });
    const went: string[] = [];
    const el = await fixture<BcCalendars>(html`<bc-calendars locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .navigate=${(u: string) => went.push(u)}></bc-calendars>`);
    await inside(el, 'button.primary');
    await expectAccessible(el);
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.primary')][1]!.click();
    await waitUntil(() => went.length);
    expect(went).to.deep.equal(['https://login.example/consent?x=1']);
    expect(new URL(asked!.search.get('returnTo')!).origin).to.equal(location.origin);
  });

  it('shows the outcome of the round trip and a broken connection with its reason', async () => {
    api = fakeApi({ 'GET /api/specialist/calendar': () => ({ body: { providers: { google: true, outlook: false }, connections: [connection('broken')] } }) });
    const el = await fixture<BcCalendars>(html`<bc-calendars locale="de" .api=${consoleApi()} .session=${SPECIALIST_SESSION}
      .result=${{ provider: 'google', ok: false, error: 'consent_denied' }}></bc-calendars>`);
    const alert = await inside(el, '.card [role=alert]');
    expect(alert.textContent).to.contain('the grant was revoked');
    expect(el.shadowRoot!.querySelector('.notice.bad')!.textContent).to.contain('consent_denied');
    await expectAccessible(el);
  });

  it('chooses busy calendars and the one bookings go to', async () => {
    let saved: FakeCall | null = null;
    api = fakeApi({
      'GET /api/specialist/calendar': () => ({ body: { providers: { google: true, outlook: false }, connections: [connection('active')] } }),
      'GET /api/specialist/calendar/google/calendars': () => ({ body: { calendars: [
        { id: 'anna@gmail.test', name: 'Anna', primary: true, writable: true, busy: true, write: true },
        { id: 'family', name: 'Family', primary: false, writable: true, busy: false, write: false },
        { id: 'holidays', name: 'Holidays', primary: false, writable: false, busy: false, write: false },
      ] } }),
      'PUT /api/specialist/calendar/google': (c) => { saved = c; return { body: connection('active') }; },
    });
    const el = await fixture<BcCalendars>(html`<bc-calendars locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-calendars>`);
    await inside(el, 'input[name=busy-google]');
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('#write-google option')].map((o) => o.textContent)).to.deep.equal(['Anna', 'Family'], 'read-only calendars cannot take bookings');
    root.querySelector<HTMLInputElement>('input[value=family]')!.checked = true;
    root.querySelector<HTMLSelectElement>('#write-google')!.value = 'family';
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Save calendars')!.click();
    await waitUntil(() => saved);
    expect(saved!.body).to.deep.equal({ busyCalendarIds: ['primary', 'family'], writeCalendarId: 'family' });
    await expectAccessible(el);
  });

  it('says when the connection may not read Meet attendance, and offers to connect again', async () => {
    let asked = false;
    api = fakeApi({
      'GET /api/specialist/calendar': () => ({ body: { providers: { google: true, outlook: false }, connections: [{ ...connection('active'), meetingAttendance: 'missing' }] } }),
      'GET /api/specialist/calendar/google/calendars': () => ({ body: { calendars: [] } }),
      'GET /api/specialist/calendar/google/connect': () => { asked = true; return { body: { url: 'https://accounts.example/consent' } }; },
    });
    const went: string[] = [];
    const el = await fixture<BcCalendars>(html`<bc-calendars locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION} .navigate=${(u: string) => went.push(u)}></bc-calendars>`);
    const note = await inside(el, '#attendance-google');
    expect(note.textContent).to.contain('Google Meet').and.contain('not marked completed or no-show by themselves');
    await expectAccessible(el);
    note.querySelector('button')!.click();
    await waitUntil(() => went.length);
    expect(asked).to.equal(true);
  });
});
