// The free times of one day in the visitor's zone. Each button's accessible name is the full
// date and time ("Tuesday, 1 December 2026 at 14:30"), never the time alone. Times that read the
// same (the repeated hour when clocks go back) carry their UTC offset, on screen and in the name.
import { LitElement, html } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-slot-list.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import { formatDate, formatDateTime, formatTime, formatTimeOffset } from '../time.ts';
import type { Slot } from '../types.ts';

/**
 * @fires bw-slot-select - detail: the chosen Slot
 * @csspart slot - each time button
 */
export class BwSlotList extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    date: { type: String }, slots: { attribute: false }, timezone: { type: String }, locale: { type: String }, selected: { type: String },
  };
  declare date: string;
  declare slots: Slot[];
  declare timezone: string;
  declare locale: string;
  declare selected: string | null;

  constructor() {
    super();
    this.slots = [];
    this.locale = 'en';
    this.timezone = 'UTC';
    this.selected = null;
  }

  /** Moves focus to the list's heading (called when the list appears after a date is chosen). */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
    // Below the calendar on a phone: scroll so the times start at the top, not just their heading.
    const top = this.getBoundingClientRect().top;
    if (top < 0 || top > innerHeight - 120) this.scrollIntoView({ block: 'start' });
  }

  override render() {
    const loc = this.locale;
    const tz = this.timezone;
    const times = this.slots.map((s) => formatTime(s.start, loc, tz));
    const twice = new Set(times.filter((x, i) => times.indexOf(x) !== i));
    return html`
      <h3 tabindex="-1">${t(loc, 'chooseTime')}<span class="sr-only">: ${formatDate(this.date, loc)}</span></h3>
      <p class="muted" aria-hidden="true">${formatDate(this.date, loc)}</p>
      ${this.slots.length === 0 ? html`<p>${t(loc, 'noSlots')}</p>` : html`
        <ul>
          ${this.slots.map((s, i) => {
            const repeated = twice.has(times[i]!);
            const offset = repeated ? formatTimeOffset(s.start, loc, tz) : '';
            return html`<li>
            <button class="slot" part="slot" aria-label=${repeated ? formatTimeOffset(s.start, loc, tz, true) : formatDateTime(s.start, loc, tz)}
              aria-pressed=${this.selected === s.start ? 'true' : 'false'}
              @click=${() => notify(this, 'bw-slot-select', s)}>${repeated ? offset : times[i]}</button>
          </li>`;
          })}
        </ul>`}
    `;
  }
}
