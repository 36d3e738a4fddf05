// After booking: the time in the visitor's and the specialist's zone, add-to-calendar links
// built in the browser, and the manage link (the only place the manage token is shown).
import { LitElement, html } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-confirmation.styles.ts';
import { lt as t } from './late.strings.ts';
import { notify } from '../events.ts';
import { formatDateTimeZone } from '../time.ts';
import { googleCalendarUrl, icsDataUrl, type CalendarEvent } from '../calendar-links.ts';
import type { BookingView } from '../types.ts';

/**
 * @fires bw-manage - the visitor wants the manage view
 * @fires bw-waiting-room - the visitor wants the waiting room (video services)
 * @csspart confirmation - the panel
 */
export class BwConfirmation extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    booking: { attribute: false }, manageUrl: { type: String }, locale: { type: String }, timezone: { type: String },
    uidHost: { type: String }, copied: { state: true },
  };
  /** The host the server's emails name their calendar events by (PUBLIC_URL's): one UID, one event. */
  declare uidHost: string;
  declare booking: BookingView;
  declare manageUrl: string;
  declare locale: string;
  declare timezone: string;
  declare copied: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this.timezone = 'UTC';
    this.manageUrl = '';
    this.uidHost = location.hostname;
    this.copied = false;
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.manageUrl);
      this.copied = true;
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>('#manage-url')?.select();
    }
  }

  override render() {
    const b = this.booking;
    const loc = this.locale;
    const title = `${b.service.name} — ${b.specialist.name}`;
    // The same UID as the emails' invitations (server/notifications/sender.ts), so importing both
    // leaves one event that the emails' updates and cancellation reach; the join link as location.
    const join = this.manageUrl && b.service.videoEnabled ? `${this.manageUrl}&action=join` : '';
    const event: CalendarEvent = {
      uid: `${b.id}@${this.uidHost}`,
      start: b.start,
      end: b.end,
      title,
      description: [join && `${t(loc, 'waitingRoom')}: ${join}`, this.manageUrl && `${t(loc, 'manage')}: ${this.manageUrl}`].filter(Boolean).join('\n') || title,
      url: this.manageUrl || undefined,
      location: join || undefined,
    };
    const showSpecialistZone = b.specialist.timezone !== this.timezone;
    return html`
      <div part="confirmation">
        <h2 tabindex="-1">${t(loc, b.status === 'pending' ? 'pending' : 'confirmed')}</h2>
        <p>${b.service.name} ${t(loc, 'withSpecialist', { name: b.specialist.name })}</p>
        <p id="email-sent">${t(loc, b.status === 'pending' ? 'requestEmailSent' : 'emailSent', { email: b.visitor.email })}</p>
        <dl>
          <dt>${t(loc, 'yourTime')}</dt><dd>${formatDateTimeZone(b.start, loc, this.timezone)}</dd>
          ${showSpecialistZone ? html`<dt>${t(loc, 'specialistTime')}</dt><dd>${formatDateTimeZone(b.start, loc, b.specialist.timezone)}</dd>` : ''}
        </dl>
        <h3>${t(loc, 'addToCalendar')}</h3>
        <p class="row">
          <a class="button" part="ics" href=${icsDataUrl(event, Date.now())} download="booking.ics">${t(loc, 'downloadIcs')}</a>
          <a class="button" part="google" href=${googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">${t(loc, 'googleCalendar')}</a>
        </p>
        ${this.manageUrl ? html`
          <label for="manage-url">${t(loc, 'manageLink')}</label>
          <div class="link">
            <input id="manage-url" readonly .value=${this.manageUrl}>
            <button @click=${this.copy}>${t(loc, this.copied ? 'copied' : 'copyLink')}</button>
          </div>` : html`<p>${t(loc, 'linkByEmail')}</p>`}
        <p class="row actions">
          ${this.manageUrl ? html`<button class="primary" @click=${() => notify(this, 'bw-manage', null)}>${t(loc, 'manage')}</button>` : ''}
          ${b.service.videoEnabled && b.status === 'confirmed' ? html`<button @click=${() => notify(this, 'bw-waiting-room', null)}>${t(loc, 'goToWaitingRoom')}</button>` : ''}
        </p>
      </div>
    `;
  }
}
