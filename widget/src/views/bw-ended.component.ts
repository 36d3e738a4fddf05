// After the call: a short summary and a way to book again.
import { LitElement, html } from 'lit';
import { base } from '../shared.styles.ts';
import { lt as t } from './late.strings.ts';
import { notify } from '../events.ts';
import { formatDateTimeZone, formatDuration } from '../time.ts';
import type { BookingView } from '../types.ts';
import { summary } from './bw-summary.ts';

/**
 * @fires bw-book-again - the visitor wants to book another time
 * @csspart ended - the panel
 */
export class BwEnded extends LitElement {
  static override styles = [base];
  static override properties = {
    booking: { attribute: false }, locale: { type: String }, timezone: { type: String }, seconds: { type: Number },
  };
  declare booking: BookingView;
  declare locale: string;
  declare timezone: string;
  declare seconds: number;

  constructor() {
    super();
    this.locale = 'en';
    this.timezone = 'UTC';
    this.seconds = 0;
  }

  override render() {
    const b = this.booking;
    const loc = this.locale;
    return html`
      <div part="ended">
        <h2 tabindex="-1">${t(loc, 'endedTitle')}</h2>
        <p>${t(loc, 'endedSummary', { service: b.service.name, name: b.specialist.name, time: formatDateTimeZone(b.start, loc, this.timezone) })}</p>
        ${summary(b, loc, this)}
        ${this.seconds > 0 ? html`<p class="muted">${t(loc, 'duration', { time: formatDuration(this.seconds, loc) })}</p>` : ''}
        <button class="primary" @click=${() => notify(this, 'bw-book-again', null)}>${t(loc, 'bookAnother')}</button>
      </div>
    `;
  }
}
