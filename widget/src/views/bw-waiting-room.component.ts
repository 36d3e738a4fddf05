// Before the call: who one will meet, a countdown, and "Enter room", active from `leadMin`
// minutes before the start (the server's join window: 5 for the visitor, 10 for the specialist
// hosting it; a 425 from the server still wins). The widget and the console both show it.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-waiting-room.styles.ts';
import { lt as t } from './late.strings.ts';
import { notify } from '../events.ts';
import { formatDateTimeZone, formatDuration } from '../time.ts';
import type { BookingView } from '../types.ts';

/**
 * @fires bw-enter - "Enter room" was pressed inside the join window
 * @fires bw-recording-consent - detail: the visitor's answer to recording (services that record)
 * @csspart waiting-room - the panel
 * @csspart enter - the Enter room button
 */
export class BwWaitingRoom extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    booking: { attribute: false }, locale: { type: String }, timezone: { type: String }, busy: { type: Boolean },
    error: { type: String }, now: { attribute: false }, leadMin: { type: Number }, partner: { type: String }, host: { type: Boolean }, tick: { state: true },
  };
  declare booking: BookingView;
  declare locale: string;
  declare timezone: string;
  declare busy: boolean;
  declare error: string;
  declare now: () => number;
  /** Minutes before the start the room opens for this person. */
  declare leadMin: number;
  /** Whom one meets; default: the booking's specialist (the visitor's side). */
  declare partner: string;
  /** The specialist's side: no recording question (the visitor answers it). */
  declare host: boolean;
  declare tick: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.locale = 'en';
    this.timezone = 'UTC';
    this.busy = false;
    this.error = '';
    this.now = () => Date.now();
    this.leadMin = 5;
    this.partner = '';
    this.host = false;
    this.tick = 0;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.timer = setInterval(() => { this.tick++; }, 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  isOpen(): boolean {
    return this.now() >= Date.parse(this.booking.start) - this.leadMin * 60_000;
  }

  override render() {
    const b = this.booking;
    const loc = this.locale;
    const left = (Date.parse(b.start) - this.now()) / 1000;
    const open = this.isOpen();
    return html`
      <div part="waiting-room">
        <h2 tabindex="-1">${t(loc, 'waitingRoom')}</h2>
        <p class="who">${b.service.name} ${t(loc, 'withSpecialist', { name: this.partner || b.specialist.name })}</p>
        <p class="muted">${formatDateTimeZone(b.start, loc, this.timezone)}</p>
        <p class="count" role="timer" aria-atomic="true">${left > 0 ? t(loc, 'startsIn', { time: formatDuration(left, loc) }) : t(loc, 'startedAgo', { time: formatDuration(-left, loc) })}</p>
        ${this.error ? html`<p class="notice bad" role="alert">${this.error}</p>` : nothing}
        ${b.recording?.offered && !this.host ? html`<label class="check"><input type="checkbox" id="consent" .checked=${b.recording.consent === true}
          @change=${(e: Event) => notify(this, 'bw-recording-consent', (e.target as HTMLInputElement).checked)}>${t(loc, 'recordingConsent', { name: this.partner || b.specialist.name })}</label>` : nothing}
        <p id="hint" class="muted" ?hidden=${open}>${t(loc, 'enterHint', { n: this.leadMin })}</p>
        <button class="primary" part="enter" aria-disabled=${open && !this.busy ? 'false' : 'true'} aria-describedby="hint"
          @click=${() => { if (open && !this.busy) notify(this, 'bw-enter', null); }}>${t(loc, this.busy ? 'joining' : 'enterRoom')}</button>
        <span class="sr-only" role="status">${open ? t(loc, 'enterRoom') : ''}</span>
      </div>
    `;
  }
}
