// <booking-widget>: the visitor's whole journey in one element. This class declares the views
// and the transitions between them, and keeps what the visitor chose (service, time, details,
// the booking and its token); where the journey stands (view, notice, failure, busy, focus) is
// the shared Navigation controller's. Each view is a small presentational element that reports
// choices back with internal events.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { Task, TaskStatus, initialState } from '@lit/task';
import { themeTokens, base } from './shared.styles.ts';
import { styles } from './booking-widget.styles.ts';
import { Api, ApiError, NetworkError, describeError } from './api.ts';
import { solveChallenge } from './challenge.ts';
import { emit } from './events.ts';
import { failureText, joinProblem } from './failures.ts';
import { hasMessages, language, loadMessages, t } from './i18n.ts';
import { Navigation } from './navigation.ts';
import { dropParams, keep, pageUrl, stored } from './address-bar.ts';
import { addDays, browserZone, dateInZone, firstOfMonth, formatDateTime, formatSpan, isValidZone, lastOfMonth, monthOf } from './time.ts';
import { canonicalZone } from './zones.ts';
import { applyPrefill, fromAddress, parseAnswers, type Prefill } from './prefill.ts';
import type { BookingView, CreateBookingInput, DetailsValues, JoinInfo, PublicService, PublicSpecialist, Slot, SlotsResponse } from './types.ts';
import type { DailyLoader } from './views/bw-call.component.ts';
import type { PaymentResult } from './views/bw-payment.component.ts';
import type { BwSlotList } from './views/bw-slot-list.component.ts';
import './views/bw-service-picker.ts';
import './views/bw-calendar.ts';
import './views/bw-zone-picker.ts';
import './views/bw-slot-list.ts';
import './views/bw-details-form.ts';

export type View = 'services' | 'specialists' | 'calendar' | 'details' | 'payment' | 'confirmation' | 'manage' | 'waiting' | 'call' | 'ended';

/**
 * Views off the path to a booking are lazy chunks, so the first load carries only what choosing
 * a time and booking it need. The confirmation is fetched while the visitor types their details.
 */
const lazyViews = {
  'bw-specialist-picker': () => import('./views/bw-specialist-picker.ts'),
  'bw-confirmation': () => import('./views/bw-confirmation.ts'),
  'bw-manage': () => import('./views/bw-manage.ts'),
  'bw-waiting-room': () => import('./views/bw-waiting-room.ts'),
  'bw-call': () => import('./views/bw-call.ts'),
  'bw-ended': () => import('./views/bw-ended.ts'),
  'bw-payment': () => import('./views/bw-payment.ts'),
} satisfies Record<string, () => Promise<unknown>>;
type LazyTag = keyof typeof lazyViews;
const loadingViews = new Map<LazyTag, Promise<unknown>>();
function loadView(tag: LazyTag): Promise<unknown> {
  let p = loadingViews.get(tag);
  if (!p) {
    p = lazyViews[tag]();
    // A failed chunk (offline) may be retried on the next render.
    p.catch(() => loadingViews.delete(tag));
    loadingViews.set(tag, p);
  }
  return p;
}

/** The specialist key that asks for a team: the union of everyone's times, booked round-robin. */
const ANY = 'any';

interface Catalog {
  /** The widget's one specialist; null for a team (`any`) or when the visitor chooses. */
  specialist: PublicSpecialist | null;
  /** Everyone the visitor may choose from (no `specialist` attribute), or the team. */
  specialists: PublicSpecialist[];
  services: PublicService[];
}

/** Where widget.js was loaded from: the default API origin. */
const scriptOrigin = (() => {
  try { return new URL(import.meta.url).origin; } catch { return ''; }
})();

const emptyDetails = (): DetailsValues => ({ name: '', email: '', phone: '', answers: {} });

/** 409 slot_taken / 422 slot_unavailable: the chosen time went while the visitor was typing. */
function isSlotLost(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.code === 'slot_taken' || err.code === 'slot_unavailable');
}

/** The details-form field an API error names ("body.visitor.email" -> "email", "body.answers.topic" -> "q-topic"). */
function formKey(field: string | undefined): string | null {
  const m = /^body\.(?:visitor\.(name|email|phone)|answers\.([\w-]+))$/.exec(field ?? '');
  return m ? (m[1] ?? `q-${m[2]}`) : null;
}

/**
 * Books a consultation: service, date, time, details, confirmation; manage, waiting room, call.
 *
 * @fires booking-widget-slot-selected - a time was chosen
 * @fires booking-widget-booked - the booking was created (detail: booking, manageUrl)
 * @fires booking-widget-cancelled - the booking was cancelled
 * @fires booking-widget-rescheduled - the booking was moved (detail: booking, previousStart)
 * @fires booking-widget-call-joined - the visitor joined the video call
 * @fires booking-widget-call-left - the visitor left the call (detail: seconds)
 * @fires booking-widget-error - any failure shown to the visitor (detail: code, status, message)
 *
 * @csspart panel - the widget's outer box
 * @csspart header - the service and specialist line
 * @csspart service - a service to choose (when the embed names none)
 * @csspart calendar - the month grid
 * @csspart day - a day of the month
 * @csspart zone-input - the time zone field
 * @csspart slot - a time button
 * @csspart form - the details form
 * @csspart submit - the Book button
 * @csspart confirmation - the confirmation panel
 * @csspart manage - the manage panel
 * @csspart waiting-room - the waiting room panel
 * @csspart enter - the Enter room button
 * @csspart call - the video call's container
 * @csspart payment - the payment step of a prepaid booking
 * @csspart pay - the Pay button (opens Stripe Checkout)
 *
 * @cssprop --bw-font - font family
 * @cssprop --bw-font-size - base font size
 * @cssprop --bw-color-bg - background
 * @cssprop --bw-color-surface - secondary background (summaries, notices)
 * @cssprop --bw-color-text - text colour
 * @cssprop --bw-color-muted - secondary text colour
 * @cssprop --bw-color-border - borders
 * @cssprop --bw-color-accent - buttons, selected days and times, links
 * @cssprop --bw-color-accent-text - text on the accent colour
 * @cssprop --bw-color-accent-soft - days with free times
 * @cssprop --bw-color-danger - errors and cancel
 * @cssprop --bw-color-success - confirmations
 * @cssprop --bw-radius - corner radius
 * @cssprop --bw-gap - spacing unit
 * @cssprop --bw-focus - focus ring (a box-shadow)
 */
export class BookingWidget extends LitElement {
  static override styles = [themeTokens, base, styles];
  static override properties = {
    api: { type: String },
    specialist: { type: String },
    service: { type: String },
    timezone: { type: String },
    locale: { type: String },
    booking: { type: String },
    token: { type: String },
    theme: { type: String, reflect: true },
    checkout: { type: String },
    name: { type: String },
    email: { type: String },
    phone: { type: String },
    answers: { type: String },
    paymentResult: { state: true },
    zone: { state: true },
    chosen: { state: true },
    person: { state: true },
    month: { state: true },
    date: { state: true },
    picked: { state: true },
    details: { state: true },
    current: { state: true },
    manageToken: { state: true },
    joinInfo: { state: true },
    joinError: { state: true },
    callSeconds: { state: true },
    rescheduling: { state: true },
    fieldErrors: { state: true },
  };

  /** API origin; defaults to the origin widget.js was served from. */
  declare api: string;
  /**
   * Specialist id or slug; `any` books a team service with whoever is free (round-robin).
   * Omitted, the visitor chooses a service and then a specialist.
   */
  declare specialist: string | undefined;
  /** Service id or slug; omitted, the visitor picks one. */
  declare service: string | undefined;
  /** The visitor's IANA zone; defaults to the browser's. */
  declare timezone: string | undefined;
  /** en, de or ru (any BCP 47 tag; dates follow it through Intl). */
  declare locale: string | undefined;
  /** Booking id to manage (with `token`); also read from the page's ?booking=&token=. */
  declare booking: string | undefined;
  /** The booking's manage token. */
  declare token: string | undefined;
  /** light (the default), dark, or auto (follows the visitor's prefers-color-scheme). */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** Prefills the details form (the visitor can change it); also read from the page's ?bw_name=. */
  declare name: string | undefined;
  /** Prefills the email field (?bw_email=). */
  declare email: string | undefined;
  /** Prefills the phone field (?bw_phone=). */
  declare phone: string | undefined;
  /** Prefills intake answers: JSON, question id -> value, e.g. '{"topic":"Sleep"}' (?bw_q_topic=Sleep). */
  declare answers: string | undefined;
  /** Prepaid services: Stripe Checkout in this tab (redirect, the default) or in a popup. */
  declare checkout: 'redirect' | 'popup' | undefined;
  /** The visitor came back from Checkout (?bw_payment=success|cancelled). */
  declare paymentResult: PaymentResult;

  declare zone: string;
  declare chosen: PublicService | null;
  /** The specialist the visitor picked (no `specialist` attribute), or 'any'. */
  declare person: PublicSpecialist | 'any' | null;
  declare month: string;
  declare date: string | null;
  declare picked: Slot | null;
  declare details: DetailsValues;
  declare current: BookingView | null;
  declare manageToken: string;
  declare joinInfo: JoinInfo | null;
  declare joinError: string;
  declare callSeconds: number;
  declare rescheduling: boolean;
  /** The API's complaints about form fields, by form key. */
  declare fieldErrors: Record<string, string>;

  /** Time source; tests replace it. @internal */
  declare now: () => number;
  /** Loads daily-js; tests replace it with a fake frame factory. @internal */
  declare dailyLoader: DailyLoader | undefined;
  /**
   * The hook for a third-party CAPTCHA the site owner set up on the server: returns its token for
   * one booking. Unset, the widget solves the server's built-in proof of work itself.
   */
  declare challengeProvider: (() => Promise<string>) | undefined;
  /** The booking's proof, solved while the visitor fills in the form; single-use. */
  private proof: Promise<string | undefined> | null = null;
  /** One key per booking attempt (slot + details): a retried POST returns the same booking. */
  private idempotencyKey = '';
  private nav = new Navigation<View>(this, 'services');
  /** What the page's address prefilled (bw_* parameters), read once on connection. */
  private fromLink: Prefill = { answers: {} };
  /** The next slots fetch bypasses the HTTP cache (set after a 409). */
  private freshSlots = false;
  /** Starts the server refused as taken: never offered again, whatever a cache still answers. */
  private taken = new Set<string>();
  /** A lazy view's chunk did not arrive: its failure (with a retry) shows until the visitor retries. */
  private chunkFailed = false;

  constructor() {
    super();
    this.api = scriptOrigin;
    this.now = () => Date.now();
    this.dailyLoader = undefined;
    this.challengeProvider = undefined;
    this.paymentResult = '';
    this.zone = canonicalZone(browserZone());
    this.chosen = null;
    this.person = null;
    this.month = '';
    this.date = null;
    this.picked = null;
    this.details = emptyDetails();
    this.current = null;
    this.manageToken = '';
    this.joinInfo = null;
    this.joinError = '';
    this.callSeconds = 0;
    this.rescheduling = false;
    this.fieldErrors = {};
  }

  /** The view shown (read-only: the journey moves it). */
  get view(): View {
    return this.nav.view;
  }

  get uiLocale(): string {
    return this.locale || this.fromLink.locale || document.documentElement.lang || navigator.language || 'en';
  }

  private get client(): Api {
    return new Api(this.api || scriptOrigin);
  }

  /** The specialist whose times are shown: the booking's when rescheduling, the attribute, or the visitor's pick. */
  private get specialistKey(): string | undefined {
    if (this.current) return this.current.specialist.slug ?? this.current.specialist.id;
    if (this.specialist) return this.specialist;
    return this.person === ANY ? ANY : this.person?.slug ?? this.person?.id;
  }

  /** Whose services the catalog lists: one specialist's, or ('' / any) everyone's. */
  private get catalogKey(): string {
    if (this.current) return this.current.specialist.slug ?? this.current.specialist.id;
    return this.specialist && this.specialist !== ANY ? this.specialist : '';
  }

  /** The visitor chooses the specialist (no attribute, and not opened from a booking). */
  private get choosing(): boolean {
    return !this.specialist && !this.current;
  }

  // Data ------------------------------------------------------------------------------------

  private catalog = new Task(this, {
    args: () => [this.api, this.catalogKey] as const,
    task: async ([, specialist], { signal }): Promise<Catalog> => {
      const api = this.client;
      if (specialist) {
        const [profile, services] = await Promise.all([api.specialist(specialist, signal), api.services(specialist, signal)]);
        return { specialist: profile, specialists: [profile], services: services.filter((s) => !profile.services || profile.services.includes(s.id)) };
      }
      // A team or a choice: every service someone offers, and who offers it.
      const [specialists, services] = await Promise.all([api.profiles(signal), api.services(undefined, signal)]);
      return { specialist: null, specialists, services: services.filter((s) => s.specialists.length > 0) };
    },
    onComplete: (c) => this.afterCatalog(c),
    onError: (e) => this.report(e),
  });

  private slots = new Task(this, {
    // A preset service's slots load alongside the catalogue (the API takes its slug), not after it.
    args: () => [this.api, this.specialistKey, this.chosen?.slug ?? this.service, this.month, this.zone] as const,
    task: async ([, specialist, service, month, zone], { signal }): Promise<SlotsResponse> => {
      if (!specialist || !service || !month) return initialState as never;
      const [min, max] = this.bounds();
      const from = firstOfMonth(month) < min ? min : firstOfMonth(month);
      const to = lastOfMonth(month) > max ? max : lastOfMonth(month);
      if (from > to) return { timezone: zone, days: [] };
      // After a conflict the browser's copy (max-age) is stale: go to the server.
      const fresh = this.freshSlots;
      this.freshSlots = false;
      return this.client.slots(specialist, service, from, to, zone, signal, fresh);
    },
    onError: (e) => this.report(e),
  });

  /** Opened from an email's join link: go to the waiting room once the booking has loaded. */
  private openWaitingRoom = false;

  private managed = new Task(this, {
    args: () => [this.api, this.booking, this.token] as const,
    task: async ([, id, token], { signal }): Promise<BookingView> => {
      if (!id || !token) return initialState as never;
      return this.client.booking(id, token, signal);
    },
    onComplete: (b) => {
      this.current = b;
      this.manageToken = this.token ?? '';
      if (b.status === 'awaiting_payment' || (this.paymentResult && b.status === 'expired')) return this.nav.go('payment', false);
      if (this.paymentResult === 'success' && (b.status === 'confirmed' || b.status === 'pending')) return this.nav.go('confirmation', false);
      if (this.view === 'services' || this.view === 'calendar' || this.view === 'manage') {
        const joinable = this.openWaitingRoom && (b.status === 'confirmed' || b.status === 'in_progress');
        this.openWaitingRoom = false;
        this.nav.go(joinable ? 'waiting' : 'manage', false);
      }
    },
    onError: (e) => this.report(e),
  });

  /**
   * Today and the last bookable date, in the visitor's zone. The server counts the horizon from
   * the specialist's today and says where it ends (lastDate); until it has, one day more than the
   * visitor's today + horizon is asked for, since the specialist's today may be a day ahead.
   */
  private bounds(): [string, string] {
    const today = dateInZone(this.now(), this.zone);
    const data = this.slots?.value;
    if (data?.lastDate && data.timezone === this.zone) return [today, data.lastDate];
    const horizon = this.chosen?.horizonDays ?? 60;
    return [today, addDays(today, horizon + 1)];
  }

  private afterCatalog(c: Catalog) {
    if (this.rescheduling && this.current) {
      this.chosen = c.services.find((s) => s.id === this.current!.service.id) ?? this.chosen;
      return;
    }
    // Opening a booking (manage or join link) must not be pre-empted by the page's `service`.
    if (this.chosen || this.booking) return;
    const wanted = this.service;
    const match = wanted ? c.services.find((s) => s.slug === wanted || s.id === wanted) : undefined;
    if (match) this.choose(match, false, c);
  }

  // Lifecycle -------------------------------------------------------------------------------

  override connectedCallback() {
    super.connectedCallback();
    this.returnFromCheckout();
    if (typeof location !== 'undefined') {
      const { prefill, read } = fromAddress(location.search);
      if (read.length) {
        this.fromLink = prefill;
        dropParams(...read);
      }
    }
    // A manage link from an email opens the manage view: ?booking=<id>&token=<token>, and the
    // join link (&action=join) the waiting room.
    if (!this.booking && typeof location !== 'undefined') {
      const q = new URLSearchParams(location.search);
      const id = q.get('booking');
      const token = q.get('token') ?? (id ? stored(tokenKey(id)) : null);
      if (id && token) {
        this.booking = id;
        this.token = token;
        this.openWaitingRoom = q.get('action') === 'join';
        keep(tokenKey(id), token);
        dropParams('token', 'action');
      }
    }
  }

  /**
   * Back from Stripe Checkout (?bw_booking=<id>&bw_payment=success|cancelled): the token is in this
   * tab's sessionStorage since before the visitor left. In a popup, tell the opening page and close.
   */
  private returnFromCheckout() {
    if (this.booking || typeof location === 'undefined') return;
    const q = new URLSearchParams(location.search);
    const id = q.get('bw_booking');
    const result = q.get('bw_payment');
    if (!id || (result !== 'success' && result !== 'cancelled')) return;
    try {
      if (window.opener && window.opener !== window) {
        window.opener.postMessage({ type: 'booking-widget:payment', bookingId: id, result }, location.origin);
        window.close();
      }
    } catch { /* another origin opened us: show the result here */ }
    const token = stored(tokenKey(id));
    if (token) {
      this.booking = id;
      this.token = token;
      this.paymentResult = result;
    }
    dropParams('bw_booking', 'bw_payment');
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!hasMessages(this.uiLocale)) {
      const wanted = this.uiLocale;
      loadMessages(wanted).then(() => { if (this.uiLocale === wanted) this.requestUpdate(); });
    }
    if (changed.has('timezone') && this.timezone && isValidZone(this.timezone)) this.zone = canonicalZone(this.timezone);
    if (!this.month) this.month = monthOf(dateInZone(this.now(), this.zone));
    if ((changed.has('booking') || changed.has('token')) && this.booking && this.token && this.view === 'services') {
      // The manage task loads it; show its loading state meanwhile.
      this.nav.view = 'manage';
    }
  }

  // Actions ---------------------------------------------------------------------------------

  /** The visitor's answer to recording, stored at once (the specialist sees it in the call). */
  private consent = async (e: CustomEvent<boolean>) => {
    const b = this.current!;
    try {
      this.current = { ...b, recording: await this.client.recordingConsent(b.id, this.manageToken, e.detail) };
    } catch (err) {
      this.report(err);
    }
  };

  /** Opens the recording's short-lived link in a new tab (opened now, inside the click, so it is not blocked). */
  private openRecording = async () => {
    const tab = window.open('', '_blank');
    try {
      const { url } = await this.client.recordingLink(this.current!.id, this.manageToken);
      if (tab) { tab.opener = null; tab.location.href = url; } else location.assign(url);
    } catch (err) {
      tab?.close();
      this.report(err);
    }
  };

  private report(err: unknown) {
    const d = describeError(err);
    emit(this, 'error', { code: d.code, status: d.status, message: d.message });
  }

  /** The failure an action shows: reported, with a retry when trying again can help. */
  private failed(err: unknown, retry: () => void) {
    this.report(err);
    return { text: failureText(err, this.uiLocale), retry: describeError(err).retry ? retry : null };
  }

  /** Who offers a service, for the visitor to choose from. */
  private offering(service: PublicService, c = this.catalog.value): PublicSpecialist[] {
    return (c?.specialists ?? []).filter((p) => service.specialists.includes(p.id));
  }

  /** `c`: the catalog just loaded (the task's value is set only after its onComplete). */
  /** Attributes first, then the address's parameters. */
  private get prefill(): Prefill {
    const link = this.fromLink;
    return {
      name: this.name || link.name, email: this.email || link.email, phone: this.phone || link.phone,
      answers: { ...link.answers, ...parseAnswers(this.answers) },
    };
  }

  private choose(service: PublicService, focus = true, c = this.catalog.value) {
    this.chosen = service;
    this.details = applyPrefill(this.details, this.prefill, service);
    this.date = null;
    this.picked = null;
    if (this.choosing) {
      const people = this.offering(service, c);
      // One person offers it: nothing to choose.
      if (people.length === 1) this.person = people[0]!;
      else {
        this.person = null;
        return this.nav.go('specialists', focus);
      }
    }
    this.nav.go('calendar', focus);
  }

  private choosePerson(person: PublicSpecialist | 'any') {
    this.person = person;
    this.date = null;
    this.picked = null;
    this.nav.go('calendar');
  }

  private pickDate(date: string) {
    this.date = date;
    this.nav.quiet();
    // On a phone the times are below the calendar: focusing their heading brings them into view.
    this.updateComplete.then(async () => {
      const list = this.renderRoot.querySelector<BwSlotList>('bw-slot-list');
      await list?.updateComplete;
      list?.focusHeading();
    });
  }

  private pickSlot(slot: Slot) {
    this.picked = slot;
    this.nav.quiet();
    emit(this, 'slot-selected', {
      slot, timezone: this.zone, specialist: this.specialistKey ?? '', service: this.chosen?.slug ?? this.chosen?.id ?? '',
    });
    if (this.rescheduling) {
      this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#move')?.focus());
      return;
    }
    this.idempotencyKey = crypto.randomUUID();
    this.nav.go('details');
    this.prepareProof();
    void loadView('bw-confirmation').catch(() => {});
  }

  private prepareProof() {
    const proof = this.proof ??= this.makeProof();
    proof.catch(() => { if (this.proof === proof) this.proof = null; });
  }

  private async makeProof(): Promise<string | undefined> {
    const offer = await this.client.challenge();
    if (!offer.required) return undefined;
    if (this.challengeProvider) return this.challengeProvider();
    if (offer.kind === 'altcha' && offer.challenge) return solveChallenge(offer.challenge);
    throw new Error(`unsupported challenge ${offer.kind}`);
  }

  /** Creates the booking with a proof; a proof the server no longer takes (expired, used) is redone once. */
  private async createWithProof(input: CreateBookingInput) {
    for (let attempt = 0; ; attempt++) {
      const proof = this.proof ?? this.makeProof();
      this.proof = null;
      const challenge = await proof;
      try {
        return await this.client.createBooking(challenge === undefined ? input : { ...input, challenge });
      } catch (err) {
        if (attempt > 0 || !(err instanceof ApiError) || !err.code.startsWith('challenge_')) throw err;
      }
    }
  }

  private manageUrl(id: string, token: string): string {
    if (!token) return '';
    const url = new URL(location.href);
    url.searchParams.set('booking', id);
    url.searchParams.set('token', token);
    url.hash = '';
    return url.toString();
  }

  /** A taken or vanished slot: say so, fetch fresh times, and return to the times of that day. */
  private slotLost(err: ApiError) {
    this.nav.say(t(this.uiLocale, err.status === 409 ? 'slotTaken' : 'slotUnavailable'), 'bad');
    if (this.picked) this.taken.add(this.picked.start);
    this.picked = null;
    this.freshSlots = true;
    this.slots.run();
    this.nav.go('calendar');
  }

  private submit(values: DetailsValues) {
    const { picked, chosen } = this;
    if (!picked || !chosen || this.nav.busy) return;
    this.details = values;
    this.fieldErrors = {};
    const phone = values.phone.trim();
    const page = pageUrl();
    return this.nav.run(async () => {
      const { booking, manageToken } = await this.createWithProof({
        specialist: this.specialistKey!,
        service: chosen.id,
        start: picked.start,
        visitor: { name: values.name.trim(), email: values.email.trim(), timezone: this.zone, locale: language(this.uiLocale), ...(phone ? { phone } : {}) },
        answers: values.answers,
        idempotencyKey: this.idempotencyKey,
        // The page the visitor is on: emailed links and Checkout return here (the server checks its origin).
        ...(page ? { returnUrl: page } : {}),
      });
      this.current = booking;
      // A replayed attempt (the first answer was lost) gets no token: the email carries the link.
      this.manageToken = manageToken ?? '';
      if (booking.status === 'awaiting_payment') {
        // Checkout leaves this page: the way back finds the booking through this tab's storage.
        if (this.manageToken) keep(tokenKey(booking.id), this.manageToken);
        this.nav.go('payment');
        return;
      }
      emit(this, 'booked', { booking, manageUrl: this.manageUrl(booking.id, this.manageToken) });
      this.nav.go('confirmation');
    }, (err) => {
      const field = err instanceof ApiError && err.status === 400 ? formKey(err.body.field) : null;
      if (isSlotLost(err)) {
        this.report(err);
        this.slotLost(err);
      } else if (field) {
        this.report(err);
        this.fieldErrors = { [field]: err instanceof Error ? err.message : String(err) };
      } else {
        return this.failed(err, () => this.submit(values));
      }
      return null;
    });
  }

  private cancel() {
    const b = this.current;
    if (!b) return;
    return this.nav.run(async () => {
      this.current = await this.client.cancel(b.id, this.manageToken);
      this.nav.say(t(this.uiLocale, 'cancelled'));
      emit(this, 'cancelled', { booking: this.current });
      this.nav.go('manage');
    }, (err) => {
      this.report(err);
      return { text: failureText(err, this.uiLocale), retry: () => this.cancel() };
    });
  }

  private startReschedule() {
    const b = this.current;
    if (!b) return;
    this.rescheduling = true;
    this.chosen = this.catalog.value?.services.find((s) => s.id === b.service.id) ?? null;
    this.nav.quiet();
    this.picked = null;
    this.date = null;
    this.month = monthOf(dateInZone(this.now(), this.zone));
    this.nav.go('calendar');
  }

  private reschedule() {
    const b = this.current;
    const slot = this.picked;
    if (!b || !slot) return;
    return this.nav.run(async () => {
      const moved = await this.client.reschedule(b.id, this.manageToken, slot.start);
      this.current = moved;
      this.rescheduling = false;
      this.picked = null;
      this.nav.say(t(this.uiLocale, 'rescheduled'));
      emit(this, 'rescheduled', { booking: moved, previousStart: b.start });
      this.nav.go('manage');
    }, (err) => {
      if (!isSlotLost(err)) return this.failed(err, () => this.reschedule());
      this.report(err);
      this.slotLost(err);
      return null;
    });
  }

  private enter() {
    const b = this.current;
    if (!b || this.nav.busy) return;
    this.joinError = '';
    return this.nav.run(async () => {
      this.joinInfo = await this.client.join(b.id, this.manageToken);
      this.nav.go('call');
    }, (err) => {
      this.report(err);
      this.joinError = joinProblem(err, this.uiLocale, 5);
      return null;
    });
  }

  private bookAgain() {
    this.current = null;
    this.manageToken = '';
    this.rescheduling = false;
    this.picked = null;
    this.date = null;
    this.nav.quiet();
    this.booking = undefined;
    this.token = undefined;
    // Opened from a link (manage, or back from Checkout): the page's own service comes back.
    if (!this.chosen && this.catalog.value) this.afterCatalog(this.catalog.value);
    this.nav.go(this.chosen ? 'calendar' : 'services');
  }

  // Rendering -------------------------------------------------------------------------------

  override render() {
    // German and Russian strings arrive as a small chunk; the views render once they are here.
    if (!hasMessages(this.uiLocale)) return html`<div class="panel" part="panel" aria-busy="true"></div>`;
    const { notice, failure } = this.nav;
    return html`<div class="panel" part="panel">
      ${this.header()}
      ${notice && !(this.view === 'manage' && notice.tone === 'good') ? html`<p class="notice ${notice.tone}" role=${notice.tone === 'bad' ? 'alert' : 'status'}>${notice.text}</p>` : nothing}
      ${failure ? this.alert(failure.text, failure.retry) : nothing}
      ${this.body()}
    </div>`;
  }

  private header() {
    const c = this.catalog.value;
    const s = this.chosen;
    if (!['calendar', 'details'].includes(this.view) || !s) return nothing;
    const name = this.current?.specialist.name ?? c?.specialist?.name
      ?? (this.person === ANY || this.specialist === ANY ? t(this.uiLocale, 'anyoneFree') : this.person?.name) ?? '';
    return html`<div class="top" part="header">
      <span class="title">${s.name}</span>
      <span class="muted">${t(this.uiLocale, 'minutes', { n: s.durationMin })}${name ? html` · ${t(this.uiLocale, 'withSpecialist', { name })}` : nothing}</span>
    </div>`;
  }

  private loading() {
    return html`<p class="loading" role="status">${t(this.uiLocale, 'loading')}</p>`;
  }

  /** A lazy view's placeholder while its chunk arrives (focus moves to it once it renders). */
  private pendingView() {
    return this.chunkFailed ? nothing : html`<p class="loading" role="status" data-pending-view>${t(this.uiLocale, 'loading')}</p>`;
  }

  /** A failure message, with a retry button when trying again can help. */
  private alert(text: string, retry: (() => void) | null) {
    return html`<div class="notice bad" role="alert"><p>${text}</p>
      ${retry ? html`<button @click=${retry}>${t(this.uiLocale, 'retry')}</button>` : nothing}</div>`;
  }

  private loadFailed(err: unknown, retry: () => void, subject: 'booking' | 'page' = 'booking') {
    return this.alert(failureText(err, this.uiLocale, subject), describeError(err).status === 404 ? null : retry);
  }

  /** Render callbacks for a task whose result another view shows: loading, or its failure. */
  private loadingOr(retry: () => void) {
    const loading = () => this.loading();
    return { initial: loading, pending: loading, complete: loading, error: (e: unknown) => this.loadFailed(e, retry) };
  }

  private body(): TemplateResult | typeof nothing {
    const loc = this.uiLocale;
    switch (this.view) {
      case 'services':
        return this.catalog.render({
          initial: () => this.loading(),
          pending: () => this.loading(),
          complete: (c) => c.services.length === 0 ? html`<p role="status">${t(loc, 'noServices')}</p>` : html`<bw-service-picker data-view .services=${c.services} locale=${loc} exportparts="service"
            @bw-service-select=${(e: CustomEvent<PublicService>) => this.choose(e.detail)}></bw-service-picker>`,
          error: (e) => this.loadFailed(e, () => this.catalog.run(), 'page'),
        }) as TemplateResult;
      case 'specialists':
        if (!this.ready('bw-specialist-picker')) return this.pendingView();
        return html`<button class="link back" @click=${() => { this.chosen = null; this.nav.go('services'); }}>← ${t(loc, 'back')}</button>
          <bw-specialist-picker data-view .specialists=${this.chosen ? this.offering(this.chosen) : []} serviceName=${this.chosen?.name ?? ''} locale=${loc}
          exportparts="specialist" @bw-specialist-select=${(e: CustomEvent<PublicSpecialist | 'any'>) => this.choosePerson(e.detail)}></bw-specialist-picker>`;
      case 'calendar':
        return this.calendarView();
      case 'details':
        return this.detailsView();
      case 'payment':
        return this.paymentStep();
      case 'confirmation':
        if (!this.ready('bw-confirmation')) return this.pendingView();
        return html`<bw-confirmation data-view .booking=${this.current!} manageUrl=${this.manageUrl(this.current!.id, this.manageToken)} uidHost=${new URL(this.client.base).hostname}
          locale=${loc} timezone=${this.zone} exportparts="confirmation"
          @bw-manage=${() => { this.nav.quiet(); this.nav.go('manage'); }} @bw-waiting-room=${() => this.nav.go('waiting')}></bw-confirmation>`;
      case 'manage':
        if (!this.current) {
          return this.managed.render(this.loadingOr(() => this.managed.run())) as TemplateResult;
        }
        if (!this.ready('bw-manage')) return this.pendingView();
        return html`<bw-manage data-view .booking=${this.current} .api=${this.client} locale=${loc} timezone=${this.zone} ?busy=${this.nav.busy} .now=${this.now}
          message=${this.nav.notice?.tone === 'good' ? this.nav.notice.text : ''} exportparts="manage"
          @bw-cancel=${this.cancel} @bw-reschedule=${this.startReschedule} @bw-book-again=${this.bookAgain}
          @bw-waiting-room=${() => { this.nav.quiet(); this.nav.go('waiting'); }} @bw-recording=${this.openRecording}></bw-manage>`;
      case 'waiting':
        if (!this.ready('bw-waiting-room')) return this.pendingView();
        return html`<button class="link back" @click=${() => this.nav.go('manage')}>← ${t(loc, 'manage')}</button>
          <bw-waiting-room data-view .booking=${this.current!} locale=${loc} timezone=${this.zone} ?busy=${this.nav.busy} error=${this.joinError}
          .now=${this.now} exportparts="waiting-room, enter" @bw-enter=${this.enter} @bw-recording-consent=${this.consent}></bw-waiting-room>`;
      case 'call':
        if (!this.ready('bw-call')) return this.pendingView();
        return html`<bw-call data-view .join=${this.joinInfo!} locale=${loc} specialistName=${this.current!.specialist.name} .api=${this.client} bookingId=${this.current!.id}
          .loader=${this.dailyLoader ?? undefined} exportparts="call"
          @bw-call-joined=${() => emit(this, 'call-joined', { bookingId: this.current!.id })}
          @bw-call-left=${(e: CustomEvent<number>) => {
            this.callSeconds = e.detail;
            emit(this, 'call-left', { bookingId: this.current!.id, seconds: e.detail });
            this.nav.go('ended');
          }}></bw-call>`;
      case 'ended':
        if (!this.ready('bw-ended')) return this.pendingView();
        return html`<bw-ended data-view .booking=${this.current!} locale=${loc} timezone=${this.zone} seconds=${this.callSeconds}
          @bw-book-again=${this.bookAgain} @bw-recording=${this.openRecording}></bw-ended>`;
    }
  }

  /** Whether a lazy view is defined; if not, its chunk is fetched and the widget renders again. */
  private ready(tag: LazyTag): boolean {
    if (customElements.get(tag)) return true;
    if (this.chunkFailed) return false;
    loadView(tag).then(() => this.requestUpdate(), (e) => {
      this.chunkFailed = true;
      this.report(e);
      this.nav.fail(failureText(new NetworkError(e), this.uiLocale), () => { this.chunkFailed = false; this.nav.failure = null; this.requestUpdate(); });
    });
    return false;
  }

  private paymentStep() {
    if (!this.ready('bw-payment')) return this.pendingView();
    const paid = (e: CustomEvent<BookingView>) => {
      this.current = e.detail;
      this.paymentResult = '';
      emit(this, 'booked', { booking: e.detail, manageUrl: this.manageUrl(e.detail.id, this.manageToken) });
      this.nav.go('confirmation');
    };
    return html`<bw-payment data-view .booking=${this.current!} .api=${this.client} token=${this.manageToken} locale=${this.uiLocale}
      timezone=${this.zone} result=${this.paymentResult} mode=${this.checkout === 'popup' ? 'popup' : 'redirect'} .now=${this.now}
      exportparts="payment, pay" @bw-payment-done=${paid}
      @bw-payment-changed=${(e: CustomEvent<BookingView>) => { this.current = e.detail; this.paymentResult = ''; if (e.detail.status === 'cancelled') this.bookAgain(); }}
      @bw-payment-rebook=${this.bookAgain}></bw-payment>`;
  }

  private calendarView() {
    const loc = this.uiLocale;
    if (!this.chosen) return this.catalog.render(this.loadingOr(() => this.catalog.run()));
    const [min, max] = this.bounds();
    const data = this.slots.value;
    const days = new Map((data?.timezone === this.zone ? data.days : [])
      .map((d) => [d.date, d.slots.filter((s) => !this.taken.has(s.start))] as const).filter(([, s]) => s.length > 0));
    const pending = this.slots.status === TaskStatus.PENDING;
    const back = this.rescheduling
      ? html`<button class="link back" @click=${() => { this.rescheduling = false; this.picked = null; this.nav.go('manage'); }}>← ${t(loc, 'manage')}</button>`
      : this.choosing && this.offering(this.chosen).length > 1
        ? html`<button class="link back" @click=${() => { this.person = null; this.nav.go('specialists'); }}>← ${t(loc, 'back')}</button>`
        : !this.service ? html`<button class="link back" @click=${() => { this.chosen = null; this.nav.go('services'); }}>← ${t(loc, 'back')}</button>` : nothing;
    return html`
      ${back}
      <h2 tabindex="-1">${t(loc, this.rescheduling ? 'rescheduleTitle' : 'chooseDate')}</h2>
      <div class="pick">
        <div class="side">
          <bw-calendar month=${this.month} min=${min} max=${max} .selected=${this.date} locale=${loc}
            .available=${new Set(days.keys())} ?loading=${pending} exportparts="calendar, day"
            @bw-month-change=${(e: CustomEvent<string>) => { this.month = e.detail; }}
            @bw-date-select=${(e: CustomEvent<string>) => this.pickDate(e.detail)}></bw-calendar>
          ${this.slots.render({
            pending: () => this.loading(),
            error: (e) => this.loadFailed(e, () => this.slots.run(), 'page'),
            complete: () => (days.size === 0 ? html`<p class="muted">${t(loc, 'noSlotsMonth')}</p>` : nothing),
          })}
        </div>
        <div class="side">
          <bw-zone-picker value=${this.zone} locale=${loc} exportparts="zone-input"
            @bw-zone-change=${(e: CustomEvent<string>) => { this.zone = e.detail; this.date = null; this.picked = null; }}></bw-zone-picker>
          ${this.date ? html`<bw-slot-list date=${this.date} .slots=${days.get(this.date) ?? []} timezone=${this.zone} locale=${loc}
            .selected=${this.picked?.start ?? null} exportparts="slot"
            @bw-slot-select=${(e: CustomEvent<Slot>) => this.pickSlot(e.detail)}></bw-slot-list>` : days.size > 0 ? html`<p class="muted">${t(loc, 'pickDateFirst')}</p>` : nothing}
          ${this.rescheduling && this.picked ? html`<button id="move" class="primary" ?disabled=${this.nav.busy} @click=${this.reschedule}>
            ${t(loc, 'rescheduleTo', { time: formatDateTime(this.picked.start, loc, this.zone) })}</button>` : nothing}
        </div>
      </div>
    `;
  }

  private detailsView() {
    const loc = this.uiLocale;
    const slot = this.picked!;
    return html`
      <button class="link back" @click=${() => this.nav.go('calendar')}>← ${t(loc, 'back')}</button>
      <h2 tabindex="-1">${t(loc, 'yourDetails')}</h2>
      <p class="summary">${formatSpan(slot.start, slot.end, loc, this.zone)}</p>
      <bw-details-form .service=${this.chosen} .values=${this.details} api=${this.client.base} .serverErrors=${this.fieldErrors} locale=${loc} ?busy=${this.nav.busy} exportparts="form, submit"
        @bw-details-change=${(e: CustomEvent<DetailsValues>) => { this.details = e.detail; }}
        @bw-details-submit=${(e: CustomEvent<DetailsValues>) => this.submit(e.detail)}></bw-details-form>
    `;
  }
}

/** Where this tab keeps a booking's manage token once it left the address bar. */
const tokenKey = (id: string) => `booking-widget:token:${id}`;
