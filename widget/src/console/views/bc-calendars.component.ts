// The specialist's calendars: connect Google or Outlook (the consent page sends the browser back
// here, with the outcome), choose which calendars count as busy and which one bookings are
// written to, refresh busy time now, see a broken connection with its reason and reconnect, or
// disconnect.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { ARRIVAL_PARAMS } from '../route.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-calendars.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import type { Connection, Provider } from '../api.ts';

const NAMES: Record<Provider, string> = { google: 'Google Calendar', outlook: 'Outlook' };

/**
 * @customElement bc-calendars
 * @csspart calendars - the panel
 */
export class BcCalendars extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    result: { attribute: false }, navigate: { attribute: false },
    busy: { state: true }, disconnecting: { state: true },
  };
  /** The outcome of the consent round trip the page came back from. */
  declare result: { provider: string; ok: boolean; error: string | null } | null;
  /** Opens the provider's consent page (tests replace it). */
  declare navigate: (url: string) => void;
  declare busy: boolean;
  declare disconnecting: Provider | null;

  constructor() {
    super();
    this.result = null;
    this.navigate = (url) => location.assign(url);
    this.busy = false;
    this.disconnecting = null;
  }

  private status = new Task(this, {
    args: () => [this.api] as const,
    task: ([api], { signal }) => api.calendarStatus(signal),
  });

  private lists = new Task(this, {
    args: () => [this.api, this.status.value?.connections.filter((c) => c.status === 'active').map((c) => c.provider).join(',')] as const,
    task: async ([api, active], { signal }) => {
      const out = new Map<Provider, Awaited<ReturnType<typeof api.accountCalendars>>['calendars']>();
      for (const p of (active ?? '').split(',').filter(Boolean) as Provider[]) out.set(p, (await api.accountCalendars(p, signal)).calendars);
      return out;
    },
  });

  private async run(fn: () => Promise<unknown>, done?: ConsoleKey) {
    this.busy = true;
    this.error = null;
    this.message = '';
    try {
      await fn();
      if (done) this.message = t(this.locale, done);
      this.status.run();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  /** Where the consent page returns: this page, without an earlier round trip's parameters. */
  private returnTo(): string {
    const url = new URL(location.href);
    for (const p of ARRIVAL_PARAMS) url.searchParams.delete(p);
    url.hash = '';
    return url.toString();
  }

  private connect(provider: Provider) {
    return this.run(async () => this.navigate((await this.api.connectUrl(provider, this.returnTo())).url));
  }

  private save(provider: Provider) {
    const root = this.renderRoot;
    const busy = [...root.querySelectorAll<HTMLInputElement>(`input[name="busy-${provider}"]:checked`)].map((i) => i.value);
    const write = root.querySelector<HTMLSelectElement>(`#write-${provider}`)!.value;
    return this.run(() => this.api.chooseCalendars(provider, { busyCalendarIds: busy, writeCalendarId: write }), 'calendarsSaved');
  }

  override render() {
    const loc = this.locale;
    const r = this.result;
    return html`<div part="calendars">
      <div class="head"><h2 tabindex="-1">${t(loc, 'calendarsTitle')}</h2></div>
      <p class="hint">${t(loc, 'calendarsIntro')}</p>
      ${r ? html`<p class="notice ${r.ok ? 'good' : 'bad'}" role=${r.ok ? 'status' : 'alert'}>${r.ok
        ? t(loc, 'calendarConnected', { name: NAMES[r.provider as Provider] ?? r.provider })
        : t(loc, 'calendarNotConnected', { name: NAMES[r.provider as Provider] ?? r.provider, reason: r.error ?? '' })}</p>` : nothing}
      ${this.notices()}
      ${this.status.render({
        pending: () => (this.status.value ? this.cards() : this.loading()),
        complete: () => this.cards(),
        error: (e) => this.alert(e, () => this.status.run()),
      })}
    </div>`;
  }

  private cards() {
    const loc = this.locale;
    const s = this.status.value!;
    const providers = (['google', 'outlook'] as Provider[]).filter((p) => s.providers[p] || s.connections.some((c) => c.provider === p));
    if (providers.length === 0) return html`<p class="empty">${t(loc, 'calendarsOff')}</p>`;
    return html`
      ${s.connections.length ? html`<div class="actions"><button ?disabled=${this.busy} @click=${() => this.run(() => this.api.refreshCalendars(), 'busyRefreshed')}>${t(loc, 'refreshBusy')}</button></div>` : nothing}
      ${providers.map((p) => this.card(p, s.connections.find((c) => c.provider === p)))}`;
  }

  private card(p: Provider, c: Connection | undefined) {
    const loc = this.locale;
    return html`<section class="card" aria-labelledby="cal-${p}">
      <div class="head"><h3 id="cal-${p}">${NAMES[p]}</h3>${c ? html`<span class="badge ${c.status}">${t(loc, c.status === 'active' ? 'connected' : 'broken')}</span>` : nothing}</div>
      ${!c ? html`<p>${t(loc, 'notConnected')}</p>
        <button class="primary" ?disabled=${this.busy} @click=${() => this.connect(p)}>${t(loc, 'connectCalendar', { name: NAMES[p] })}</button>` : html`
        <dl class="facts">
          <dt>${t(loc, 'account')}</dt><dd>${c.accountEmail ?? '—'}</dd>
          <dt>${t(loc, 'busyFetched')}</dt><dd>${c.busyFetchedAt ? formatDateTimeZone(c.busyFetchedAt, loc, this.zone) : t(loc, 'never')}</dd>
        </dl>
        ${c.status === 'broken' ? html`<div class="notice bad" role="alert"><p>${t(loc, 'brokenExplained', { reason: c.lastError ?? '' })}</p>
          <button class="primary" ?disabled=${this.busy} @click=${() => this.connect(p)}>${t(loc, 'reconnect')}</button></div>`
          : c.lastError ? html`<p class="notice bad">${c.lastError}</p>` : nothing}
        ${c.servingCachedBusy && c.status === 'active' ? html`<p class="hint">${t(loc, 'servingCached')}</p>` : nothing}
        ${c.status === 'active' && c.meetingAttendance === 'missing' ? html`<div class="notice" id="attendance-${p}"><p>${t(loc, 'attendanceMissing', { name: p === 'google' ? 'Google Meet' : 'Teams' })}</p>
          <button ?disabled=${this.busy} @click=${() => this.connect(p)}>${t(loc, 'reconnect')}</button></div>` : nothing}
        ${c.status === 'active' ? this.choice(p) : nothing}
        ${this.disconnecting === p ? html`<div class="confirm" role="group" aria-label=${t(loc, 'disconnect')}>
            <p>${t(loc, 'disconnectExplained')}</p>
            <div class="actions"><button class="danger" id="confirm-disconnect-${p}" @click=${() => this.run(async () => { await this.api.disconnectCalendar(p); this.disconnecting = null; }, 'disconnected')}>${t(loc, 'disconnect')}</button>
            <button @click=${() => { this.disconnecting = null; }}>${t(loc, 'keepIt')}</button></div>
          </div>` : html`<button class="link danger-link" @click=${() => { this.disconnecting = p; }}>${t(loc, 'disconnect')}</button>`}`}
    </section>`;
  }

  private choice(p: Provider) {
    const loc = this.locale;
    return this.lists.render({
      pending: () => this.loading(),
      error: (e) => this.alert(e, () => this.lists.run()),
      complete: (lists) => {
        const calendars = lists.get(p) ?? [];
        return html`<fieldset><legend>${t(loc, 'busyCalendars')}</legend>
          ${calendars.map((cal) => html`<label class="check"><input type="checkbox" name="busy-${p}" value=${cal.primary ? 'primary' : cal.id}
            ?checked=${cal.busy}>${cal.name}${cal.primary ? ` (${t(loc, 'primary')})` : ''}</label>`)}
        </fieldset>
        <div class="field"><label for="write-${p}">${t(loc, 'writeCalendar')}</label>
          <select id="write-${p}">${calendars.filter((cal) => cal.writable).map((cal) => html`<option value=${cal.primary ? 'primary' : cal.id}
            ?selected=${cal.write}>${cal.name}</option>`)}</select></div>
        <div class="actions"><button ?disabled=${this.busy} @click=${() => this.save(p)}>${t(loc, 'saveChoice')}</button></div>`;
      },
    });
  }
}
