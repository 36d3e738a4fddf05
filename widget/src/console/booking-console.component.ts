// <booking-console>: the specialist's and the site owner's side in one element. This class
// declares the views and the transitions between them: sign-in, then the role's menu; the
// shared Navigation controller holds where it stands. Every view is its own element in its own
// lazily loaded chunk; they ask to go elsewhere with bc-navigate. Links the product sends
// (?booking=<id>&action=join, ?view=calendars, ?signin=<token>) open the right place, after
// sign-in when needed; with `routing` the address's hash follows along.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { themeTokens, base } from '../shared.styles.ts';
import { dropParams } from '../address-bar.ts';
import { language } from '../catalog.ts';
import { loadMessages as loadWidgetMessages } from '../i18n.ts';
import { Navigation } from '../navigation.ts';
import type { DailyLoader } from '../views/bw-call.component.ts';
import { ConsoleApi, type IssuedSession } from './api.ts';
import { emitConsole } from './events.ts';
import { hasMessages, loadMessages, t, type ConsoleKey } from './i18n.ts';
import { ARRIVAL_PARAMS, OWNER_VIEWS, SPECIALIST_VIEWS, allowed, arrival, fromHash, home, toHash, type ConsoleView, type Route } from './route.ts';
import { keepSession, storedSession } from './session.ts';
import { styles } from './booking-console.styles.ts';
import './views/bc-sign-in.ts';

/** Each view's chunk, loaded the first time it is shown. */
const VIEWS: Record<Exclude<ConsoleView, 'sign-in'>, () => Promise<unknown>> = {
  agenda: () => import('./views/bc-agenda.ts'),
  booking: () => import('./views/bc-booking.ts'),
  schedule: () => import('./views/bc-schedule.ts'),
  calendars: () => import('./views/bc-calendars.ts'),
  account: () => import('./views/bc-account.ts'),
  bookings: () => import('./views/bc-bookings.ts'),
  specialists: () => import('./views/bc-specialists.ts'),
  services: () => import('./views/bc-services.ts'),
  embed: () => import('./views/bc-embed.ts'),
  webhooks: () => import('./views/bc-webhooks.ts'),
  notifications: () => import('./views/bc-notifications.ts'),
  templates: () => import('./views/bc-templates.ts'),
  owners: () => import('./views/bc-owners.ts'),
  payments: () => import('./views/bc-payments.ts'),
  privacy: () => import('./views/bc-privacy.ts'),
  reviews: () => import('./views/bc-reviews.ts'),
};

/** Where console.js was loaded from: the default API origin. */
const scriptOrigin = (() => {
  try { return new URL(import.meta.url).origin; } catch { return ''; }
})();

/**
 * The booking console: a specialist's agenda, bookings, calls, schedule and calendars; the site
 * owner's practice (bookings, specialists, services, embedding, webhooks, notifications, message texts).
 *
 * @fires booking-console-signed-in - a session started (detail: role, name)
 * @fires booking-console-signed-out - the session ended (detail: reason, sign-out or expired)
 * @fires booking-console-navigated - another view is shown (detail: the route)
 * @fires booking-console-error - a view could not load (detail: code, status, message)
 *
 * @csspart shell - the console's outer box
 * @csspart header - the top bar
 * @csspart menu - the menu of views
 * @csspart main - the area the current view is shown in
 *
 * @cssprop --bw-font - font family
 * @cssprop --bw-font-size - base font size
 * @cssprop --bw-color-bg - background of panels
 * @cssprop --bw-color-surface - secondary background (the page behind panels, notices)
 * @cssprop --bw-color-text - text colour
 * @cssprop --bw-color-muted - secondary text colour
 * @cssprop --bw-color-border - borders
 * @cssprop --bw-color-accent - buttons, the current menu entry, links
 * @cssprop --bw-color-accent-text - text on the accent colour
 * @cssprop --bw-color-accent-soft - highlighted days
 * @cssprop --bw-color-danger - errors, cancel and decline
 * @cssprop --bw-color-success - confirmations
 * @cssprop --bw-radius - corner radius
 * @cssprop --bw-gap - spacing unit
 * @cssprop --bw-focus - focus ring (a box-shadow)
 * @cssprop --bc-menu-width - width of the menu beside the view on wide screens
 */
export class BookingConsole extends LitElement {
  static override styles = [themeTokens, base, styles];
  static override properties = {
    api: { type: String },
    locale: { type: String },
    theme: { type: String, reflect: true },
    routing: { type: Boolean },
    session: { state: true },
    route: { state: true },
    loaded: { state: true },
    signInMessage: { state: true },
  };

  /** API origin; defaults to the origin console.js was served from. */
  declare api: string;
  /** en, de or ru (any BCP 47 tag; dates follow it through Intl). */
  declare locale: string | undefined;
  /** light, dark or auto (follows prefers-color-scheme, the console's default: it is a page of its own). */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** Keep the view in the address's hash (the console's own page); off when embedded. */
  declare routing: boolean;
  declare session: IssuedSession | null;
  declare route: Route;
  declare loaded: ReadonlySet<string>;
  declare signInMessage: string;
  /** Time source; tests replace it. @internal */
  declare now: () => number;
  /** Loads daily-js for the host's call; tests replace it. @internal */
  declare dailyLoader: DailyLoader | undefined;

  private nav = new Navigation<ConsoleView>(this, 'sign-in');
  private client = new ConsoleApi('');
  /** Where to go once signed in (a link's booking, the hash). */
  private target: Route | null = null;
  private linkToken = '';
  private calendarResult: ReturnType<typeof arrival>['calendar'] = null;

  constructor() {
    super();
    this.api = scriptOrigin;
    this.theme = 'auto';
    this.routing = false;
    this.session = null;
    this.route = { view: 'sign-in' };
    this.loaded = new Set();
    this.signInMessage = '';
    this.now = () => Date.now();
    this.dailyLoader = undefined;
    this.client.onUnauthorized = () => this.signedOut('expired');
  }

  /** The attribute, else (on its own page) the browser's language, else the embedding page's. */
  get uiLocale(): string {
    return this.locale || (this.routing ? navigator.language : document.documentElement.lang) || navigator.language || 'en';
  }

  override connectedCallback() {
    super.connectedCallback();
    const came = arrival(location.search);
    dropParams(...ARRIVAL_PARAMS);
    this.linkToken = came.signin ?? '';
    this.calendarResult = came.calendar;
    this.target = came.route ?? (came.calendar ? { view: 'calendars' } : null) ?? (this.routing ? fromHash(location.hash) : null);
    if (this.routing) {
      addEventListener('hashchange', this.onHash);
      // The page is the console's own: it speaks the console's language.
      document.documentElement.lang = language(this.uiLocale);
    }
    const stored = this.linkToken ? null : storedSession(this.now());
    if (stored) this.start(stored, false);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
  }

  private onHash = () => {
    const r = fromHash(location.hash);
    if (r && this.session && toHash(r) !== toHash(this.route)) this.show(r, true, false);
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    const loc = this.uiLocale;
    if (!hasMessages(loc)) {
      // The shared waiting room and call use the widget's strings, in the same language.
      Promise.all([loadMessages(loc), loadWidgetMessages(loc)]).then(() => { if (this.uiLocale === loc) this.requestUpdate(); });
    }
    if (changed.has('api')) this.client = Object.assign(new ConsoleApi(this.api || scriptOrigin, this.client.token), { onUnauthorized: this.client.onUnauthorized });
  }

  /** A session began (or was found in this tab): show where the link wanted, else the role's home. */
  private start(session: IssuedSession, announce: boolean) {
    this.session = session;
    this.client.token = session.token;
    keepSession(session);
    this.signInMessage = '';
    const wanted = this.target && allowed(this.target, session.role) ? this.target : home(session.role);
    this.target = null;
    this.show(wanted, announce);
    if (announce) {
      const name = session.specialist?.name ?? session.owner?.name ?? '';
      emitConsole(this, 'signed-in', { role: session.role, name });
    }
  }

  private async signOut() {
    await this.client.signOut().catch(() => {});
    this.signedOut('sign-out');
  }

  private signedOut(reason: 'sign-out' | 'expired') {
    if (!this.session) return;
    // Expired: come back to the same place after signing in again.
    this.target = reason === 'expired' ? this.route : null;
    this.session = null;
    this.client.token = '';
    keepSession(null);
    this.signInMessage = reason === 'expired' ? t(this.uiLocale, 'sessionExpired') : t(this.uiLocale, 'signedOut');
    this.route = { view: 'sign-in' };
    this.nav.go('sign-in');
    emitConsole(this, 'signed-out', { reason });
  }

  /** Shows a route: its chunk loaded first, then the view, focus on its heading. */
  private show(route: Route, focus = true, push = true) {
    if (!this.session || !allowed(route, this.session.role)) route = this.session ? home(this.session.role) : { view: 'sign-in' };
    this.route = route;
    if (route.view !== 'sign-in' && !this.loaded.has(route.view)) {
      VIEWS[route.view]().then(() => {
        this.loaded = new Set([...this.loaded, route.view]);
        if (this.route === route) this.nav.go(route.view, focus);
      }, (err: unknown) => {
        emitConsole(this, 'error', { code: 'chunk', status: 0, message: String(err) });
        this.nav.failure = { text: t(this.uiLocale, 'viewLoadFailed'), retry: () => this.show(route) };
        this.requestUpdate();
      });
    } else {
      this.nav.go(route.view, focus);
    }
    if (this.routing && push && route.view !== 'sign-in' && location.hash !== toHash(route)) history.pushState(history.state, '', toHash(route));
    emitConsole(this, 'navigated', route);
  }

  // Rendering -------------------------------------------------------------------------------

  override render() {
    const loc = this.uiLocale;
    if (!hasMessages(loc)) return html`<div class="shell" part="shell" aria-busy="true"></div>`;
    const s = this.session;
    return html`<div class="shell ${s ? 'signed-in' : ''}" part="shell" lang=${language(loc)}>
      <header part="header">
        <span class="brand">${t(loc, 'brand')}</span>
        ${s ? html`<span class="who">${s.specialist?.name ?? (s.owner?.name || s.owner?.email || t(loc, 'siteOwner'))}</span>
          <button class="link" id="sign-out" @click=${this.signOut}>${t(loc, 'signOut')}</button>` : nothing}
      </header>
      ${s ? this.menu() : nothing}
      <main part="main" @bc-navigate=${(e: CustomEvent<Route>) => { e.stopPropagation(); this.show(e.detail); }}>
        ${this.nav.failure ? html`<div class="notice bad" role="alert"><p>${this.nav.failure.text}</p>
          ${this.nav.failure.retry ? html`<button @click=${this.nav.failure.retry}>${t(loc, 'retry')}</button>` : nothing}</div>` : nothing}
        ${s ? this.view() : html`<bc-sign-in data-view .api=${this.client} locale=${loc} .now=${this.now} .target=${this.target}
          message=${this.signInMessage} linkToken=${this.linkToken} exportparts="sign-in"
          @bc-signed-in=${(e: CustomEvent<IssuedSession>) => { this.linkToken = ''; this.start(e.detail, true); }}></bc-sign-in>`}
      </main>
    </div>`;
  }

  private menu() {
    const loc = this.uiLocale;
    const views = this.session!.role === 'owner' ? OWNER_VIEWS : SPECIALIST_VIEWS;
    const current = this.route.view === 'booking' ? (this.session!.role === 'owner' ? 'bookings' : 'agenda')
      : this.route.view === 'schedule' && this.session!.role === 'owner' ? 'specialists' : this.route.view;
    return html`<nav part="menu" aria-label=${t(loc, 'menu')}><ul>
      ${views.map((v) => html`<li><button class="menu-item" data-view-name=${v} aria-current=${current === v ? 'page' : 'false'}
        @click=${() => this.show({ view: v })}>${t(loc, `nav_${v}` as ConsoleKey)}</button></li>`)}
    </ul></nav>`;
  }

  private view(): TemplateResult | typeof nothing {
    const r = this.route;
    const loc = this.uiLocale;
    if (r.view === 'sign-in' || !this.loaded.has(r.view)) return this.nav.failure ? nothing : html`<p class="loading" role="status">${t(loc, 'loading')}</p>`;
    const props = { api: this.client, session: this.session!, now: this.now };
    switch (r.view) {
      case 'agenda': return html`<bc-agenda data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-agenda>`;
      case 'booking': return html`<bc-booking data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}
        bookingId=${r.id!} ?join=${r.join ?? false} .dailyLoader=${this.dailyLoader}></bc-booking>`;
      case 'schedule': return html`<bc-schedule data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc} specialistId=${r.id ?? ''}></bc-schedule>`;
      case 'calendars': {
        const result = this.calendarResult;
        this.calendarResult = null;
        return html`<bc-calendars data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc} .result=${result}></bc-calendars>`;
      }
      case 'account': return html`<bc-account data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-account>`;
      case 'bookings': return html`<bc-bookings data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-bookings>`;
      case 'specialists': return html`<bc-specialists data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-specialists>`;
      case 'services': return html`<bc-services data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-services>`;
      case 'embed': return html`<bc-embed data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-embed>`;
      case 'webhooks': return html`<bc-webhooks data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-webhooks>`;
      case 'notifications': return html`<bc-notifications data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-notifications>`;
      case 'templates': return html`<bc-templates data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-templates>`;
      case 'reviews': return html`<bc-reviews data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-reviews>`;
      case 'owners': return html`<bc-owners data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-owners>`;
      case 'payments': return html`<bc-payments data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-payments>`;
      case 'privacy': return html`<bc-privacy data-view .api=${props.api} .session=${props.session} .now=${props.now} locale=${loc}></bc-privacy>`;
    }
  }
}
