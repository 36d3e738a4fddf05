import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './booking-widget.ts';
import type { BookingWidget } from './booking-widget.component.ts';
import type { DailyLoader } from './views/bw-call.component.ts';
import {
  expectAccessible, fakeApi, bookingView, slotsFor, SPECIALIST, CONSULTATION, INTRO, type FakeCall,
} from './test-helpers.ts';
import { addDays } from './time.ts';
import { emulateMedia, setViewport } from '@web/test-runner-commands';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const DAY1 = '2026-12-03';
const DAY2 = '2026-12-10';
const API = 'http://api.test';

/** The inner view element (or the widget's own shadow root when the view is rendered inline). */
const inner = (el: BookingWidget, tag: string) => el.shadowRoot!.querySelector(tag)!.shadowRoot!;
const view = async (el: BookingWidget, tag: string) => {
  await waitUntil(() => el.shadowRoot!.querySelector(tag), `waiting for ${tag}`);
  const child = el.shadowRoot!.querySelector(tag) as HTMLElement & { updateComplete: Promise<unknown> };
  await child.updateComplete;
  return child.shadowRoot!;
};

function catalogRoutes(extra: Record<string, (c: FakeCall) => { status?: number; body: unknown } | 'network-error'> = {}) {
  return {
    'GET /api/specialists/dr-weber': () => ({ body: SPECIALIST }),
    'GET /api/services': () => ({ body: [CONSULTATION, INTRO] }),
    'GET /api/specialists/dr-weber/slots': (c: FakeCall) => ({ body: slotsFor([DAY1, DAY2].filter((d) => d >= c.search.get('from')! && d <= c.search.get('to')!), c.search.get('timezone')!) }),
    'GET /api/challenge': () => ({ body: { required: false } }),
    ...extra,
  };
}

async function widget() {
  return fixture<BookingWidget>(html`<booking-widget api=${API} specialist="dr-weber" timezone="UTC" locale="en-GB" .now=${() => NOW}></booking-widget>`);
}

async function toDetails(el: BookingWidget) {
  const picker = await view(el, 'bw-service-picker');
  picker.querySelector<HTMLButtonElement>('button.service')!.click();
  const cal = await view(el, 'bw-calendar');
  await waitUntil(() => cal.querySelector('button.day.available'), 'days marked');
  cal.querySelector<HTMLButtonElement>(`button[data-date="${DAY1}"]`)!.click();
  const list = await view(el, 'bw-slot-list');
  const slot = list.querySelector<HTMLButtonElement>('button.slot')!;
  setTimeout(() => slot.click());
  const selected = await oneEvent(el, 'booking-widget-slot-selected');
  expect(selected.detail.slot.start).to.equal(`${DAY1}T09:00:00.000Z`);
  return view(el, 'bw-details-form');
}

function fill(form: ShadowRoot) {
  const set = (id: string, v: string) => {
    const f = form.querySelector<HTMLInputElement>(`#${id}`)!;
    f.value = v;
    f.dispatchEvent(new Event(f.tagName === 'SELECT' ? 'change' : 'input'));
  };
  set('name', 'Ada Lovelace');
  set('email', 'ada@example.com');
  set('q-topic', 'Sleep');
  set('q-first_visit', 'Yes');
  form.querySelector<HTMLInputElement>('#q-consent')!.click();
}

describe('booking-widget', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => { api?.restore(); history.replaceState(null, '', location.pathname); });

  it('books: service, day, time, details, confirmation, with events and focus moving', async () => {
    let created: FakeCall | null = null;
    api = fakeApi(catalogRoutes({
      'POST /api/bookings': (c) => { created = c; return { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 'tok-123' } }; },
    }));
    const el = await widget();
    const form = await toDetails(el);
    await expectAccessible(el);
    expect(el.shadowRoot!.activeElement?.tagName, 'focus on the details heading').to.equal('H2');
    const slotsCall = api.calls.find((c) => c.path.endsWith('/slots'))!;
    expect(slotsCall.search.get('service'), 'by slug: a preset service asks before the catalogue is in').to.equal(CONSULTATION.slug);
    expect(slotsCall.search.get('from')).to.equal('2026-12-01');
    expect(slotsCall.search.get('to')).to.equal('2026-12-31');
    fill(form);
    setTimeout(() => form.querySelector<HTMLButtonElement>('button[type=submit]')!.click());
    const alias = oneEvent(document, 'booking-widget:booked'); // the deprecated colon name still fires
    const booked = await oneEvent(el, 'booking-widget-booked');
    expect((await alias).detail).to.equal(booked.detail);
    expect(booked.detail.manageUrl).to.contain('booking=44444444-4444-4444-8444-444444444444').and.contain('token=tok-123');
    expect(created!.body).to.deep.include({ specialist: 'dr-weber', service: CONSULTATION.id, start: `${DAY1}T09:00:00.000Z` });
    expect((created!.body as { visitor: unknown }).visitor).to.deep.equal({ name: 'Ada Lovelace', email: 'ada@example.com', timezone: 'UTC', locale: 'en' });
    expect(created!.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
    const conf = await view(el, 'bw-confirmation');
    expect(conf.querySelector('h2')!.textContent).to.contain('You are booked');
    await expectAccessible(el);
  });

  it('solves the server\'s proof of work while the visitor types, and redoes it once when it expired', async () => {
    // A challenge as the server makes one: the key of a secret counter, of which the first half is given.
    const hex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const salt = '00112233445566778899aabbccddeeff', nonce = 'ffeeddccbbaa99887766554433221100';
    const keyOf = async (counter: number) => {
      const data = new Uint8Array(36);
      data.set(Uint8Array.from(`${salt}${nonce}`.match(/../g)!, (h) => parseInt(h, 16)));
      new DataView(data.buffer).setUint32(32, counter);
      return hex(await crypto.subtle.digest('SHA-256', data));
    };
    const counters = [700, 1300];
    const keys = await Promise.all(counters.map(keyOf));
    let offered = 0;
    const proofs: { counter: number; derivedKey: string }[] = [];
    api = fakeApi(catalogRoutes({
      'GET /api/challenge': () => {
        const i = offered++;
        return { body: { required: true, kind: 'altcha', challenge: { parameters: { algorithm: 'SHA-256', salt, nonce, cost: 1, keyLength: 32, keyPrefix: keys[i]!.slice(0, 32) }, signature: `sig${i}` } } };
      },
      'POST /api/bookings': (c) => {
        const proof = JSON.parse(atob((c.body as { challenge: string }).challenge));
        proofs.push(proof.solution);
        return proofs.length === 1
          ? { status: 400, body: { error: 'challenge_expired', message: 'expired', field: 'body.challenge' } }
          : { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 't' } };
      },
    }));
    const el = await widget();
    const form = await toDetails(el);
    await waitUntil(() => offered === 1, 'challenge fetched as the form opens');
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await oneEvent(el, 'booking-widget-booked');
    expect(proofs).to.deep.equal([{ counter: 700, derivedKey: keys[0] }, { counter: 1300, derivedKey: keys[1] }]);
  });

  it('takes a third-party CAPTCHA token from the challengeProvider hook', async () => {
    let sent: unknown = null;
    api = fakeApi(catalogRoutes({
      'GET /api/challenge': () => ({ body: { required: true, kind: 'turnstile', site: 'site-key' } }),
      'POST /api/bookings': (c) => { sent = (c.body as { challenge: string }).challenge; return { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 't' } }; },
    }));
    const el = await widget();
    el.challengeProvider = async () => 'captcha-token';
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await oneEvent(el, 'booking-widget-booked');
    expect(sent).to.equal('captcha-token');
  });

  it('on 409 says the time was taken, shows fresh times, and keeps what was typed', async () => {
    let attempts = 0;
    let slotsFetched = 0;
    api = fakeApi(catalogRoutes({
      'GET /api/specialists/dr-weber/slots': () => { slotsFetched++; return { body: slotsFor(slotsFetched > 1 ? [DAY2] : [DAY1, DAY2], 'UTC') }; },
      'POST /api/bookings': () => (++attempts === 1
        ? { status: 409, body: { error: 'slot_taken', message: 'taken', details: { alternatives: [] } } }
        : { status: 201, body: { ...bookingView(`${DAY2}T10:00:00.000Z`), manageToken: 't' } }),
    }));
    const el = await widget();
    const errors: string[] = [];
    el.addEventListener('booking-widget-error', (e) => errors.push(e.detail.code));
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.notice.bad'), 'conflict message');
    expect(el.shadowRoot!.querySelector('.notice.bad')!.textContent).to.contain('just taken');
    expect(errors).to.deep.equal(['slot_taken']);
    expect(slotsFetched).to.equal(2);
    const cal = await view(el, 'bw-calendar');
    await waitUntil(() => !cal.querySelector(`button[data-date="${DAY1}"].available`), 'taken day no longer offered');
    await expectAccessible(el);
    cal.querySelector<HTMLButtonElement>(`button[data-date="${DAY2}"]`)!.click();
    const list = await view(el, 'bw-slot-list');
    list.querySelectorAll<HTMLButtonElement>('button.slot')[1].click();
    const again = await view(el, 'bw-details-form');
    expect(again.querySelector<HTMLInputElement>('#name')!.value).to.equal('Ada Lovelace');
    expect(again.querySelector<HTMLTextAreaElement>('#q-topic')!.value).to.equal('Sleep');
    expect(again.querySelector<HTMLInputElement>('#q-consent')!.checked).to.equal(true);
  });

  it('offers a retry after a network failure and reuses the idempotency key', async () => {
    const keys: (string | null)[] = [];
    api = fakeApi(catalogRoutes({
      'POST /api/bookings': (c) => {
        keys.push(c.headers.get('idempotency-key'));
        return keys.length === 1 ? 'network-error' : { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 't' } };
      },
    }));
    const el = await widget();
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role=alert] button'), 'retry offered');
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('could not reach');
    await expectAccessible(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[role=alert] button')!.click();
    await oneEvent(el, 'booking-widget-booked');
    expect(keys[0]).to.equal(keys[1]);
  });

  it('puts an API field error next to that field', async () => {
    api = fakeApi(catalogRoutes({
      'POST /api/bookings': () => ({ status: 400, body: { error: 'invalid_request', message: 'This address cannot receive mail.', field: 'body.visitor.email' } }),
    }));
    const el = await widget();
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => inner(el, 'bw-details-form').querySelector('#email-error'), 'inline error');
    expect(inner(el, 'bw-details-form').querySelector('#email-error')!.textContent).to.equal('This address cannot receive mail.');
    expect(inner(el, 'bw-details-form').querySelector<HTMLInputElement>('#name')!.value).to.equal('Ada Lovelace');
    await expectAccessible(el);
  });

  it('opens the manage view from ?booking=&token= and cancels', async () => {
    history.replaceState(null, '', `${location.pathname}?booking=44444444-4444-4444-8444-444444444444&token=secret`);
    let auth: string | null = null;
    api = fakeApi(catalogRoutes({
      'GET /api/bookings/[^/]+': (c) => { auth = c.headers.get('authorization'); return { body: bookingView(`${DAY1}T09:00:00.000Z`) }; },
      'POST /api/bookings/[^/]+/cancel': () => ({ body: { ...bookingView(`${DAY1}T09:00:00.000Z`, 'cancelled'), cancellation: { at: '2026-12-01T08:00:00.000Z', by: 'visitor', reason: null, refund: { percent: 50, cents: 4500, currency: 'EUR' } } } }),
    }));
    const el = await widget();
    const manage = await view(el, 'bw-manage');
    expect(auth).to.equal('Bearer secret');
    await expectAccessible(el);
    manage.querySelector<HTMLButtonElement>('#cancel')!.click();
    await (el.shadowRoot!.querySelector('bw-manage') as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    setTimeout(() => manage.querySelector<HTMLButtonElement>('#confirm-cancel')!.click());
    const cancelled = await oneEvent(el, 'booking-widget-cancelled');
    expect(cancelled.detail.booking.status).to.equal('cancelled');
    await waitUntil(() => inner(el, 'bw-manage').querySelector('[role=status]'));
    expect(inner(el, 'bw-manage').querySelector('[role=status]')!.textContent).to.contain('cancelled').and.contain('€45.00');
  });

  it('reschedules through the same calendar', async () => {
    let moved: unknown = null;
    api = fakeApi(catalogRoutes({
      'GET /api/bookings/[^/]+': () => ({ body: bookingView(`${DAY1}T09:00:00.000Z`) }),
      'POST /api/bookings/[^/]+/reschedule': (c) => { moved = c.body; return { body: bookingView(`${DAY2}T10:00:00.000Z`) }; },
    }));
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} booking="44444444-4444-4444-8444-444444444444" token="secret" timezone="UTC" locale="en" .now=${() => NOW}></booking-widget>`);
    const manage = await view(el, 'bw-manage');
    [...manage.querySelectorAll('button')].find((b) => b.textContent!.includes('Reschedule'))!.click();
    const cal = await view(el, 'bw-calendar');
    await waitUntil(() => cal.querySelector('button.day.available'), 'days marked');
    await expectAccessible(el);
    cal.querySelector<HTMLButtonElement>(`button[data-date="${DAY2}"]`)!.click();
    const list = await view(el, 'bw-slot-list');
    list.querySelectorAll<HTMLButtonElement>('button.slot')[1].click();
    await waitUntil(() => el.shadowRoot!.querySelector('#move'));
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('#move')!.click());
    const ev = await oneEvent(el, 'booking-widget-rescheduled');
    expect(moved).to.deep.equal({ start: `${DAY2}T10:00:00.000Z` });
    expect(ev.detail.previousStart).to.equal(`${DAY1}T09:00:00.000Z`);
    await view(el, 'bw-manage');
  });

  it('waits, joins the call through the join API, and ends with a summary', async () => {
    const start = '2026-12-01T08:04:00.000Z'; // 4 minutes after NOW: inside the join window
    api = fakeApi(catalogRoutes({
      'GET /api/bookings/[^/]+': () => ({ body: bookingView(start) }),
      'POST /api/bookings/[^/]+/join': () => ({ body: { roomUrl: 'https://x.daily.co/r', token: 'mt', startsAt: start, endsAt: start, role: 'visitor' } }),
    }));
    const handlers = new Map<string, () => void>();
    const call = {
      on(n: string, f: () => void) { handlers.set(n, f); return call; },
      async join() { handlers.get('joined-meeting')!(); },
      async leave() { handlers.get('left-meeting')!(); },
      async destroy() {},
    };
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} booking="44444444-4444-4444-8444-444444444444" token="secret" timezone="UTC" locale="en" .now=${() => NOW}></booking-widget>`);
    el.dailyLoader = (async () => ({ createFrame: () => call })) as unknown as DailyLoader;
    const manage = await view(el, 'bw-manage');
    [...manage.querySelectorAll('button')].find((b) => b.textContent!.includes('waiting room'))!.click();
    const room = await view(el, 'bw-waiting-room');
    expect(room.textContent).to.contain('Dr. Anna Weber');
    await expectAccessible(el);
    setTimeout(() => room.querySelector<HTMLButtonElement>('button[part=enter]')!.click());
    const joined = await oneEvent(el, 'booking-widget-call-joined');
    expect(joined.detail.bookingId).to.equal('44444444-4444-4444-8444-444444444444');
    const callRoot = await view(el, 'bw-call');
    setTimeout(() => callRoot.querySelector('button')!.click());
    await oneEvent(el, 'booking-widget-call-left');
    const ended = await view(el, 'bw-ended');
    expect(ended.textContent).to.contain('Consultation ended');
    await expectAccessible(el);
  });

  it('shows the wait when the server says too_early', async () => {
    const start = '2026-12-01T08:04:00.000Z';
    api = fakeApi(catalogRoutes({
      'GET /api/bookings/[^/]+': () => ({ body: bookingView(start) }),
      'POST /api/bookings/[^/]+/join': () => ({ status: 425, body: { error: 'too_early', message: 'Too early', details: { secondsLeft: 120 } } }),
    }));
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} booking="44444444-4444-4444-8444-444444444444" token="secret" timezone="UTC" locale="en" .now=${() => NOW}></booking-widget>`);
    const manage = await view(el, 'bw-manage');
    [...manage.querySelectorAll('button')].find((b) => b.textContent!.includes('waiting room'))!.click();
    const room = await view(el, 'bw-waiting-room');
    room.querySelector<HTMLButtonElement>('button[part=enter]')!.click();
    await waitUntil(() => inner(el, 'bw-waiting-room').querySelector('[role=alert]'));
    expect(inner(el, 'bw-waiting-room').querySelector('[role=alert]')!.textContent).to.contain('5 minutes').and.contain('2 min');
  });

  it('respects the horizon and themes dark', async () => {
    api = fakeApi(catalogRoutes());
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} specialist="dr-weber" service="intro-call" timezone="UTC" locale="ru" theme="dark" .now=${() => NOW}></booking-widget>`);
    const cal = await view(el, 'bw-calendar');
    expect(getComputedStyle(el).getPropertyValue('--bw-color-bg').trim()).to.equal('#15181d');
    // intro-call: 45-day horizon from 2026-12-01
    const next = cal.querySelectorAll<HTMLButtonElement>('button.nav')[1];
    expect(next.disabled).to.equal(false);
    next.click();
    await waitUntil(() => cal.querySelector('h3')!.textContent!.includes('2027'));
    expect(cal.querySelectorAll<HTMLButtonElement>('button.nav')[1].disabled).to.equal(true);
    const last = api.calls.filter((c) => c.path.endsWith('/slots')).at(-1)!;
    // One day more than the visitor's today + horizon: the specialist's today may be ahead.
    expect(last.search.get('to')).to.equal(addDays('2026-12-01', 46));
    await expectAccessible(el);
  });

  it('offers dates up to the last bookable date the server names', async () => {
    // The specialist's today is a day ahead of this visitor's: the horizon's last day is 01-16, not 01-15.
    api = fakeApi(catalogRoutes({
      'GET /api/specialists/dr-weber/slots': (c) => ({ body: { ...slotsFor(['2027-01-16'].filter((d) => d <= c.search.get('to')!), 'UTC'), lastDate: '2027-01-16' } }),
    }));
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} specialist="dr-weber" service="intro-call" timezone="UTC" locale="en" .now=${() => NOW}></booking-widget>`);
    const cal = await view(el, 'bw-calendar');
    cal.querySelectorAll<HTMLButtonElement>('button.nav')[1]!.click();
    await waitUntil(() => cal.querySelector('button[data-date="2027-01-16"].available'), 'the last day offered');
    expect(cal.querySelector('button[data-date="2027-01-16"]')!.getAttribute('aria-disabled')).to.equal('false');
    expect(cal.querySelector('button[data-date="2027-01-17"]')!.getAttribute('aria-disabled')).to.equal('true');
    expect(cal.querySelectorAll<HTMLButtonElement>('button.nav')[1]!.disabled, 'no month past the last date').to.equal(true);
  });

  it('after a 409 asks past the HTTP cache and never offers the taken time again', async () => {
    let attempts = 0;
    api = fakeApi(catalogRoutes({
      // A cache (browser or proxy) still answers with the taken slot.
      'GET /api/specialists/dr-weber/slots': () => ({ body: slotsFor([DAY1, DAY2], 'UTC') }),
      'POST /api/bookings': () => (++attempts === 1
        ? { status: 409, body: { error: 'slot_taken', message: 'taken', details: { alternatives: [] } } }
        : { status: 201, body: { ...bookingView(`${DAY1}T10:00:00.000Z`), manageToken: 't' } }),
    }));
    const el = await widget();
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.notice.bad'), 'conflict message');
    const refetch = api.calls.filter((c) => c.path.endsWith('/slots')).at(-1)!;
    expect(refetch.cache, 'refetch bypasses the HTTP cache').to.equal('reload');
    const cal = await view(el, 'bw-calendar');
    await waitUntil(() => cal.querySelector(`button[data-date="${DAY1}"].available`), 'the day still has a time');
    cal.querySelector<HTMLButtonElement>(`button[data-date="${DAY1}"]`)!.click();
    const list = await view(el, 'bw-slot-list');
    const times = [...list.querySelectorAll('button.slot')].map((b) => b.getAttribute('aria-label'));
    expect(times.length, 'only 10:00 is left').to.equal(1);
    expect(times[0]).to.contain('10:00');
  });

  it('shows the end time and the zone in the details step', async () => {
    api = fakeApi(catalogRoutes());
    const el = await widget();
    await toDetails(el);
    const summary = el.shadowRoot!.querySelector('.summary')!.textContent!;
    expect(summary).to.contain('09:00').and.contain('09:50').and.contain('UTC');
  });

  it('books again from the cancelled view', async () => {
    history.replaceState(null, '', `${location.pathname}?booking=44444444-4444-4444-8444-444444444444&token=secret`);
    api = fakeApi(catalogRoutes({
      'GET /api/bookings/[^/]+': () => ({ body: bookingView(`${DAY1}T09:00:00.000Z`, 'cancelled') }),
    }));
    const el = await widget();
    const manage = await view(el, 'bw-manage');
    const again = [...manage.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.includes('Book another time'));
    expect(again, 'a way on from a cancelled booking').to.not.equal(undefined);
    await expectAccessible(el);
    again!.click();
    await view(el, 'bw-service-picker');
  });

  it('is light by default inside a page that prefers dark; theme="auto" follows the page', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      api = fakeApi(catalogRoutes());
      const el = await widget();
      await view(el, 'bw-service-picker');
      expect(getComputedStyle(el).getPropertyValue('--bw-color-bg').trim()).to.equal('#ffffff');
      el.setAttribute('theme', 'auto');
      expect(getComputedStyle(el).getPropertyValue('--bw-color-bg').trim()).to.equal('#15181d');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('on a phone, tapping a day brings its times into view', async () => {
    await setViewport({ width: 375, height: 640 });
    try {
      api = fakeApi(catalogRoutes());
      const el = await widget();
      const picker = await view(el, 'bw-service-picker');
      picker.querySelector<HTMLButtonElement>('button.service')!.click();
      const cal = await view(el, 'bw-calendar');
      await waitUntil(() => cal.querySelector('button.day.available'), 'days marked');
      window.scrollTo(0, 0);
      cal.querySelector<HTMLButtonElement>(`button[data-date="${DAY1}"]`)!.click();
      const list = await view(el, 'bw-slot-list');
      await waitUntil(() => {
        const r = list.querySelector('button.slot')!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      }, 'the first time is on screen');
    } finally {
      await setViewport({ width: 800, height: 600 });
      window.scrollTo(0, 0);
    }
  });

  it('tells the API the page it is embedded in, without our parameters, so emailed links return here', async () => {
    history.replaceState(null, '', `${location.pathname}?lang=de&bw_email=ada%40example.com#x`);
    let created: FakeCall | null = null;
    api = fakeApi(catalogRoutes({
      'POST /api/bookings': (c) => { created = c; return { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 't' } }; },
    }));
    const el = await widget();
    const form = await toDetails(el);
    fill(form);
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await view(el, 'bw-confirmation');
    expect((created!.body as { returnUrl: string }).returnUrl).to.equal(`${location.origin}${location.pathname}?lang=de`);
  });

  it('prefills the details from attributes and the page address, attributes first', async () => {
    history.replaceState(null, '', `${location.pathname}?keep=1&bw_name=From+Link&bw_phone=%2B4930123&bw_q_topic=Sleep&bw_q_consent=yes&bw_q_first_visit=Maybe&bw_locale=de`);
    api = fakeApi(catalogRoutes());
    const el = await fixture<BookingWidget>(html`<booking-widget api=${API} specialist="dr-weber" timezone="UTC" .now=${() => NOW}
      name="Ada Lovelace" email="ada@example.com" answers='{"first_visit":"No"}'></booking-widget>`);
    expect(location.search, 'read parameters leave the address bar').to.equal('?keep=1');
    const form = await toDetails(el);
    const value = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)!.value;
    expect(value('name')).to.equal('Ada Lovelace');
    expect(value('email')).to.equal('ada@example.com');
    expect(value('phone')).to.equal('+4930123');
    expect(value('q-topic')).to.equal('Sleep');
    expect(value('q-first_visit')).to.equal('No');
    expect(form.querySelector<HTMLInputElement>('#q-consent')!.checked).to.equal(true);
    expect(el.shadowRoot!.querySelector('h2')!.textContent, 'bw_locale=de').to.equal('Ihre Angaben');
  });

  describe('without a specialist, and for teams', () => {
    const OKAFOR = { ...SPECIALIST, id: '55555555-5555-4555-8555-555555555555', slug: 'dr-okafor', name: 'Dr. Chidi Okafor', photoUrl: null };
    const TEAM = { ...CONSULTATION, specialists: [SPECIALIST.id, OKAFOR.id] };
    function teamRoutes(extra: Record<string, (c: FakeCall) => { status?: number; body: unknown }> = {}) {
      return {
        'GET /api/specialists': () => ({ body: [SPECIALIST, OKAFOR] }),
        'GET /api/services': (c: FakeCall) => ({ body: c.search.get('specialist') ? [TEAM] : [TEAM, { ...INTRO, specialists: [SPECIALIST.id] }] }),
        'GET /api/specialists/[^/]+/slots': (c: FakeCall) => ({ body: slotsFor([DAY1, DAY2].filter((d) => d >= c.search.get('from')! && d <= c.search.get('to')!), 'UTC') }),
        'GET /api/challenge': () => ({ body: { required: false } }),
        ...extra,
      };
    }

    it('with no specialist attribute: service, then a specialist picker, then that specialist\'s times', async () => {
      api = fakeApi(teamRoutes());
      const el = await fixture<BookingWidget>(html`<booking-widget api=${API} timezone="UTC" locale="en-GB" .now=${() => NOW}></booking-widget>`);
      const services = await view(el, 'bw-service-picker');
      expect(services.querySelectorAll('button.service').length).to.equal(2);
      services.querySelector<HTMLButtonElement>('button.service')!.click();
      const people = await view(el, 'bw-specialist-picker');
      await expectAccessible(el);
      const okafor = [...people.querySelectorAll<HTMLButtonElement>('button.person')].find((b) => b.textContent!.includes('Okafor'))!;
      okafor.click();
      const cal = await view(el, 'bw-calendar');
      await waitUntil(() => cal.querySelector('button.day.available'), 'days marked');
      expect(api.calls.some((c) => c.path === '/api/specialists/dr-okafor/slots')).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part=header]')!.textContent).to.contain('Dr. Chidi Okafor');
    });

    it('a service only one person offers skips the picker', async () => {
      api = fakeApi(teamRoutes());
      const el = await fixture<BookingWidget>(html`<booking-widget api=${API} service="intro-call" timezone="UTC" locale="en" .now=${() => NOW}></booking-widget>`);
      await view(el, 'bw-calendar');
      await waitUntil(() => api.calls.some((c) => c.path === '/api/specialists/dr-weber/slots'), 'Dr. Weber\'s times');
    });

    it('specialist="any": the team\'s times and a round-robin booking, with the assigned specialist confirmed', async () => {
      let created: FakeCall | null = null;
      api = fakeApi(teamRoutes({
        'POST /api/bookings': (c) => { created = c; return { status: 201, body: { ...bookingView(`${DAY1}T09:00:00.000Z`), manageToken: 't' } }; },
      }));
      const el = await fixture<BookingWidget>(html`<booking-widget api=${API} specialist="any" timezone="UTC" locale="en-GB" .now=${() => NOW}></booking-widget>`);
      const form = await toDetails(el);
      expect(api.calls.some((c) => c.path === '/api/specialists/any'), 'no profile of "any" asked for').to.equal(false);
      expect(api.calls.some((c) => c.path === '/api/specialists/any/slots')).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part=header]')!.textContent).to.contain('whoever is free');
      fill(form);
      form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      const confirmation = await view(el, 'bw-confirmation');
      expect((created!.body as { specialist: string }).specialist).to.equal('any');
      expect(confirmation.textContent).to.contain('Dr. Anna Weber');
    });

    it('an unknown specialist says what is wrong, not "booking not found"', async () => {
      api = fakeApi({ 'GET /api/specialists/nobody': () => ({ status: 404, body: { error: 'not_found', message: 'Specialist not found' } }), 'GET /api/services': () => ({ status: 404, body: { error: 'not_found', message: 'Specialist not found' } }) });
      const el = await fixture<BookingWidget>(html`<booking-widget api=${API} specialist="nobody" locale="en" .now=${() => NOW}></booking-widget>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[role=alert]'), 'an error');
      expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('not set up correctly').and.contain('Specialist not found');
    });
  });
});
