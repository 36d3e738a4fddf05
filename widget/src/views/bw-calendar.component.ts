// Month calendar: a keyboard grid following the WAI-ARIA date picker pattern (one tab stop,
// arrows move by day/week, Home/End to the week's ends, PageUp/PageDown by month, Shift+Page
// by year, Enter/Space choose). Days with free times are marked; days outside [min, max]
// (today .. horizon) or without times are aria-disabled but still reachable.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-calendar.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import {
  addDays, addMonths, firstDayOfWeek, firstOfMonth, formatDate, formatMonth, lastOfMonth, monthOf, weekday, weekdayNames,
} from '../time.ts';

/**
 * @fires bw-month-change - detail: "YYYY-MM" (the visitor moved to another month)
 * @fires bw-date-select - detail: "YYYY-MM-DD" (a day with free times was chosen)
 * @csspart calendar - the grid
 * @csspart day - each day button
 */
export class BwCalendar extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    month: { type: String },
    available: { attribute: false },
    min: { type: String },
    max: { type: String },
    selected: { type: String },
    locale: { type: String },
    loading: { type: Boolean },
    focused: { state: true },
  };

  declare month: string;
  declare available: ReadonlySet<string>;
  declare min: string;
  declare max: string;
  declare selected: string | null;
  declare locale: string;
  declare loading: boolean;
  declare focused: string | null;
  /** Set when the keyboard moved focus, so the next render puts focus on the new day. */
  private moveFocus = false;

  constructor() {
    super();
    this.available = new Set();
    this.locale = 'en';
    this.selected = null;
    this.focused = null;
    this.loading = false;
  }

  /** The day holding the single tab stop: the focused one, else selected, first available, or first allowed. */
  private tabStop(): string {
    const inMonth = (d: string | null) => d !== null && monthOf(d) === this.month;
    if (inMonth(this.focused)) return this.focused!;
    if (inMonth(this.selected)) return this.selected!;
    const first = [...this.available].filter((d) => monthOf(d) === this.month).sort()[0];
    if (first) return first;
    const start = firstOfMonth(this.month);
    return this.min && monthOf(this.min) === this.month && this.min > start ? this.min : start;
  }

  focusDay(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
  }

  private go(date: string) {
    if (this.min && date < this.min) date = this.min;
    if (this.max && date > this.max) date = this.max;
    this.focused = date;
    this.moveFocus = true;
    if (monthOf(date) !== this.month) notify(this, 'bw-month-change', monthOf(date));
  }

  private choose(date: string) {
    if (!this.isAvailable(date)) return;
    notify(this, 'bw-date-select', date);
  }

  private isAvailable(date: string): boolean {
    return this.available.has(date) && (!this.min || date >= this.min) && (!this.max || date <= this.max);
  }

  private onKey(e: KeyboardEvent) {
    const current = this.tabStop();
    const first = firstDayOfWeek(this.locale);
    const dow = (weekday(current) - first + 7) % 7;
    const moves: Record<string, () => string> = {
      ArrowLeft: () => addDays(current, -1),
      ArrowRight: () => addDays(current, 1),
      ArrowUp: () => addDays(current, -7),
      ArrowDown: () => addDays(current, 7),
      Home: () => addDays(current, -dow),
      End: () => addDays(current, 6 - dow),
      PageUp: () => addMonths(current, e.shiftKey ? -12 : -1),
      PageDown: () => addMonths(current, e.shiftKey ? 12 : 1),
    };
    if (moves[e.key]) {
      e.preventDefault();
      this.go(moves[e.key]());
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.choose(current);
    }
  }

  private step(months: number) {
    const target = addMonths(firstOfMonth(this.month), months);
    this.focused = null;
    notify(this, 'bw-month-change', monthOf(target));
  }

  protected override updated() {
    if (this.moveFocus) {
      this.moveFocus = false;
      this.focusDay();
    }
  }

  override render() {
    if (!this.month) return nothing;
    const first = firstDayOfWeek(this.locale);
    const start = firstOfMonth(this.month);
    const lead = (weekday(start) - first + 7) % 7;
    const last = Number(lastOfMonth(this.month).slice(8));
    const cells: (string | null)[] = [...Array(lead).fill(null)];
    for (let d = 1; d <= last; d++) cells.push(`${this.month}-${String(d).padStart(2, '0')}`);
    while (cells.length % 7) cells.push(null);
    const rows = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
    const stop = this.tabStop();
    const canPrev = !this.min || monthOf(this.min) < this.month;
    const canNext = !this.max || monthOf(this.max) > this.month;
    const names = weekdayNames(this.locale, first);

    return html`
      <div class="head">
        <button class="nav" aria-label=${t(this.locale, 'previousMonth')} ?disabled=${!canPrev} @click=${() => this.step(-1)}>‹</button>
        <h3 id="title" aria-live="polite">${formatMonth(this.month, this.locale)}</h3>
        <button class="nav" aria-label=${t(this.locale, 'nextMonth')} ?disabled=${!canNext} @click=${() => this.step(1)}>›</button>
      </div>
      <table role="grid" part="calendar" aria-labelledby="title" aria-busy=${this.loading ? 'true' : 'false'} @keydown=${this.onKey}>
        <thead><tr>${names.map(([s, l]) => html`<th scope="col"><abbr title=${l}>${s}</abbr></th>`)}</tr></thead>
        <tbody>
          ${rows.map((row) => html`<tr>${row.map((date) => date === null ? html`<td></td>` : this.day(date, stop))}</tr>`)}
        </tbody>
      </table>
    `;
  }

  private day(date: string, stop: string) {
    const ok = this.isAvailable(date);
    const label = `${formatDate(date, this.locale)}, ${t(this.locale, ok ? 'available' : 'unavailable')}`;
    return html`<td aria-selected=${this.selected === date ? 'true' : 'false'}>
      <button part="day" class=${ok ? 'day available' : 'day'} data-date=${date}
        tabindex=${date === stop ? 0 : -1} aria-label=${label} aria-disabled=${ok ? 'false' : 'true'}
        aria-current=${date === this.min ? 'date' : nothing}
        @click=${() => { this.focused = date; this.choose(date); }}>${Number(date.slice(8))}</button>
    </td>`;
  }
}
