// The specialist's agenda: today, a week or the upcoming list, in the specialist's own zone,
// with status badges and the requests waiting for a decision on top. It refreshes itself when
// any of the specialist's bookings changes (a cheap version poll while the page is visible).
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { addDays, dateInZone, firstDayOfWeek, formatDate, formatTime, weekday, zonedInstant } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-agenda.styles.ts';
import { t, statusLabel } from '../i18n.ts';
import type { BookingView } from '../api.ts';

export type AgendaMode = 'day' | 'week' | 'list';

/** How often the agenda asks whether anything changed, while visible. */
export const POLL_MS = 15_000;
const LIST_DAYS = 60;

/**
 * @customElement bc-agenda
 * @csspart agenda - the panel
 * @csspart booking - each booking row's button
 */
export class BcAgenda extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = { mode: { state: true }, anchor: { state: true }, version: { state: true } };
  declare mode: AgendaMode;
  /** A date inside the period shown (YYYY-MM-DD in the specialist's zone). */
  declare anchor: string;
  declare version: string;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.mode = 'day';
    this.anchor = '';
    this.version = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    this.timer = setInterval(() => { if (document.visibilityState === 'visible') void this.poll(); }, POLL_MS);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  private onVisible = () => { if (document.visibilityState === 'visible') void this.poll(); };

  /** Reloads when the version moved; a failed poll waits for the next one. */
  async poll(): Promise<void> {
    if (!this.version) return; // the first load has not finished: it sets the version
    try {
      const { version } = await this.api.agendaVersion();
      if (version === this.version) return;
      this.pending.run();
      await this.range.run();
    } catch { /* next round */ }
  }

  private get today(): string {
    return dateInZone(this.now(), this.zone);
  }

  /** [first, last] dates of the period shown. */
  private period(): [string, string] {
    const at = this.anchor || this.today;
    if (this.mode === 'day') return [at, at];
    if (this.mode === 'list') return [this.today, addDays(this.today, LIST_DAYS - 1)];
    const first = firstDayOfWeek(this.locale);
    const start = addDays(at, -((weekday(at) - first + 7) % 7));
    return [start, addDays(start, 6)];
  }

  private range = new Task(this, {
    args: () => [this.api, this.mode, this.anchor, this.zone] as const,
    task: async ([api], { signal }) => {
      const [from, to] = this.period();
      const start = this.mode === 'list' ? this.now() : zonedInstant(from, this.zone);
      const until = zonedInstant(addDays(to, 1), this.zone);
      // The version is read first: a change after it is noticed by the next poll, never lost.
      const { version } = await api.agendaVersion(signal);
      const list = (await api.agenda(new Date(start).toISOString(), new Date(until).toISOString(), undefined, signal)).bookings;
      this.version = version;
      return list;
    },
  });

  private pending = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      const from = new Date(this.now()).toISOString();
      const until = new Date(this.now() + 99 * 86_400_000).toISOString();
      return (await api.agenda(from, until, 'pending', signal)).bookings;
    },
  });

  private step(dir: -1 | 1) {
    const at = this.anchor || this.today;
    this.anchor = addDays(at, dir * (this.mode === 'week' ? 7 : 1));
  }

  private row(b: BookingView, withDate = false) {
    const loc = this.locale;
    const when = `${withDate ? `${formatDate(dateInZone(b.start, this.zone), loc)}, ` : ''}${formatTime(b.start, loc, this.zone)}–${formatTime(b.end, loc, this.zone)}`;
    return html`<li>
      <button class="booking" part="booking" data-id=${b.id} @click=${() => this.go({ view: 'booking', id: b.id })}>
        <span class="when">${when}</span>
        <span class="who">${b.visitor.name}</span>
        <span class="what muted">${b.service.name}</span>
        <span class="badge ${b.status}">${statusLabel(loc, b.status)}</span>
      </button>
    </li>`;
  }

  private days(bookings: BookingView[]) {
    const loc = this.locale;
    const [from, to] = this.period();
    const byDay = new Map<string, BookingView[]>();
    for (const b of bookings) {
      const d = dateInZone(b.start, this.zone);
      byDay.set(d, [...(byDay.get(d) ?? []), b]);
    }
    const dates: string[] = [];
    if (this.mode === 'list') dates.push(...[...byDay.keys()].sort());
    else for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
    if (dates.length === 0) return html`<p class="empty">${t(loc, 'nothingUpcoming')}</p>`;
    return dates.map((d) => {
      const list = byDay.get(d) ?? [];
      return html`<section class="day" aria-labelledby="d-${d}">
        <h3 id="d-${d}">${formatDate(d, loc)}${d === this.today ? html` <span class="badge today">${t(loc, 'today')}</span>` : nothing}</h3>
        ${list.length ? html`<ul>${list.map((b) => this.row(b))}</ul>` : html`<p class="empty">${t(loc, 'noBookingsDay')}</p>`}
      </section>`;
    });
  }

  override render() {
    const loc = this.locale;
    const modes: [AgendaMode, string][] = [['day', t(loc, 'modeDay')], ['week', t(loc, 'modeWeek')], ['list', t(loc, 'modeList')]];
    const [from, to] = this.period();
    return html`
      <div part="agenda">
        <div class="head">
          <h2 tabindex="-1">${t(loc, 'agendaTitle')}</h2>
          <span class="muted">${t(loc, 'timesIn', { zone: this.zone.replaceAll('_', ' ') })}</span>
        </div>
        ${this.pending.render({
          complete: (list) => list.length === 0 ? nothing : html`<section class="card pending" aria-labelledby="pending-title">
            <h3 id="pending-title">${t(loc, 'pendingTitle', { n: list.length })}</h3>
            <ul>${list.map((b) => this.row(b, true))}</ul>
          </section>`,
          error: (e) => this.alert(e, () => this.pending.run()),
        })}
        <div class="toolbar" role="group" aria-label=${t(loc, 'agendaPeriod')}>
          <div class="segments">
            ${modes.map(([m, label]) => html`<button aria-pressed=${this.mode === m ? 'true' : 'false'} @click=${() => { this.mode = m; }}>${label}</button>`)}
          </div>
          ${this.mode === 'list' ? nothing : html`
            <button aria-label=${t(loc, this.mode === 'week' ? 'previousWeek' : 'previousDay')} @click=${() => this.step(-1)}>‹</button>
            <button @click=${() => { this.anchor = ''; }} ?disabled=${!this.anchor || this.anchor === this.today}>${t(loc, 'today')}</button>
            <button aria-label=${t(loc, this.mode === 'week' ? 'nextWeek' : 'nextDay')} @click=${() => this.step(1)}>›</button>`}
          <span class="period ${this.mode === 'day' ? 'sr-only' : ''}" aria-live="polite">${this.mode === 'day' ? formatDate(from, loc) : `${formatDate(from, loc)} – ${formatDate(to, loc)}`}</span>
        </div>
        ${this.range.render({
          pending: () => this.loading(),
          complete: (list) => this.days(list),
          error: (e) => this.alert(e, () => this.range.run()),
        })}
      </div>
    `;
  }
}
