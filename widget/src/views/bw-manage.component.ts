// The manage view (opened by the manage link): the booking, its status, cancel with the
// refund the policy gives (asked for confirmation first), reschedule, and the waiting room.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-manage.styles.ts';
import { lt as t, type ViewKey as MessageKey } from './late.strings.ts';
import { notify } from '../events.ts';
import { formatDateTimeZone, formatMoney } from '../time.ts';
import type { BookingView } from '../types.ts';
import type { Refund } from '../../../shared/bookings.ts';
import { summary } from './bw-summary.ts';
import type { Api } from '../api.ts';

/**
 * @fires bw-cancel - the visitor confirmed cancelling
 * @fires bw-reschedule - the visitor wants to pick a new time
 * @fires bw-waiting-room - the visitor wants the waiting room
 * @fires bw-book-again - after a cancellation (or a past booking): book a new time
 * @csspart manage - the panel
 */
export class BwManage extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    booking: { attribute: false }, locale: { type: String }, timezone: { type: String }, busy: { type: Boolean },
    message: { type: String }, now: { attribute: false }, confirming: { state: true }, api: { attribute: false }, myData: { state: true },
  };
  declare booking: BookingView;
  declare locale: string;
  declare timezone: string;
  declare busy: boolean;
  /** A notice above the details ("cancelled", "moved"). */
  declare message: string;
  declare now: () => number;
  declare confirming: boolean;
  /** The API client, for the visitor's own data (opened on demand, a chunk of its own). */
  declare api: Api | undefined;
  declare myData: 'closed' | 'loading' | 'open';

  constructor() {
    super();
    this.locale = 'en';
    this.timezone = 'UTC';
    this.busy = false;
    this.message = '';
    this.now = () => Date.now();
    this.confirming = false;
    this.api = undefined;
    this.myData = 'closed';
  }

  private async openMyData() {
    this.myData = 'loading';
    try {
      await import('./bw-my-data.ts');
      this.myData = 'open';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('bw-my-data')?.shadowRoot?.querySelector<HTMLElement>('h3')?.focus();
    } catch {
      this.myData = 'closed';
    }
  }

  private can(action: 'cancel' | 'reschedule' | 'join'): boolean {
    const b = this.booking;
    // The room stays open until 30 minutes after the end (issue 7).
    if (action === 'join') return (b.status === 'confirmed' || b.status === 'in_progress') && b.service.videoEnabled && this.now() < Date.parse(b.end) + 30 * 60_000;
    return b.actions.includes(action);
  }

  private refundText(): string {
    // Nothing paid online: nothing to refund, so nothing to say about it.
    if (this.booking.refundPreview === null) return t(this.locale, 'cancelAsk');
    // The server computes what cancelling now would refund under the booking's policy.
    const percent = this.booking.refundPreview.percent;
    const key: MessageKey = percent >= 100 ? 'refundFull' : percent > 0 ? 'refundHalf' : 'refundNone';
    const amount = this.amountText(this.booking.refundPreview);
    return amount ? `${t(this.locale, key)} ${amount}` : t(this.locale, key);
  }

  /** "Refund: €45.00" in the refund's own currency (the booking's terms), or '' when there is none. */
  private amountText(r: Refund | null | undefined): string {
    const cur = r?.currency ?? this.booking.service.currency;
    return r?.cents && cur ? t(this.locale, 'refundAmount', { amount: formatMoney(r.cents, cur, this.locale) }) : '';
  }

  override render() {
    const b = this.booking;
    const loc = this.locale;
    // A no-show is "missed" only when it was the visitor's; the specialist's is said as such.
    const statusKey = (b.status === 'no_show' && b.noShow?.party === 'specialist' ? 'status_no_show_specialist' : `status_${b.status}`) as MessageKey;
    return html`
      <div part="manage">
        <h2 tabindex="-1">${t(loc, 'manageTitle')}</h2>
        ${this.message ? html`<p class="notice good" role="status">${this.message} ${b.status === 'cancelled' ? this.amountText(this.booking.cancellation?.refund) : ''}</p>` : nothing}
        <dl>
          <dt>${b.service.name}</dt><dd>${b.specialist.name}</dd>
          <dt>${t(loc, 'yourTime')}</dt><dd>${formatDateTimeZone(b.start, loc, this.timezone)}</dd>
          ${b.specialist.timezone !== this.timezone ? html`<dt>${t(loc, 'specialistTime')}</dt><dd>${formatDateTimeZone(b.start, loc, b.specialist.timezone)}</dd>` : nothing}
          <dt>${t(loc, 'status')}</dt><dd>${t(loc, statusKey)}</dd>
          ${b.payment?.paidAt ? html`<dt>${t(loc, 'paidAmount', { amount: '' })}</dt><dd id="payment">${formatMoney(b.payment.amountCents, b.payment.currency, loc)}${
            b.payment.refunds.map((r) => html`<br>${t(loc, r.status === 'succeeded' || r.status === 'failed' ? `refund_${r.status}` : 'refund_pending', { amount: formatMoney(r.amountCents, r.currency, loc) })}`)}</dd>` : nothing}
        </dl>
        ${summary(b, loc, this)}
        <p class="row">
          ${this.can('join') ? html`<button class="primary" @click=${() => notify(this, 'bw-waiting-room', null)}>${t(loc, 'goToWaitingRoom')}</button>` : nothing}
          ${this.can('reschedule') ? html`<button @click=${() => notify(this, 'bw-reschedule', null)} ?disabled=${this.busy}>${t(loc, 'reschedule')}</button>` : nothing}
          ${['cancelled', 'expired', 'completed', 'no_show'].includes(b.status) ? html`<button class="primary" @click=${() => notify(this, 'bw-book-again', null)}>${t(loc, 'bookAnother')}</button>` : nothing}
          ${this.can('cancel') && !this.confirming ? html`<button class="danger" id="cancel" @click=${this.askCancel} ?disabled=${this.busy}>${t(loc, 'cancel')}</button>` : nothing}
        </p>
        ${this.confirming ? html`
          <div class="confirm" role="group" aria-labelledby="refund">
            <p id="refund">${this.refundText()}</p>
            <p class="row">
              <button class="danger" id="confirm-cancel" ?disabled=${this.busy} @click=${() => notify(this, 'bw-cancel', null)}>${t(loc, 'cancelConfirm')}</button>
              <button @click=${this.keep}>${t(loc, 'keep')}</button>
            </p>
          </div>` : nothing}
        ${this.api && this.myData === 'closed' ? html`<p><button class="link" id="my-data" @click=${this.openMyData}>${t(loc, 'myData')}</button></p>` : nothing}
        ${this.api && this.myData === 'open' ? html`<bw-my-data .api=${this.api} email=${b.visitor.email} locale=${loc} timezone=${this.timezone}></bw-my-data>` : nothing}
      </div>
    `;
  }

  private async askCancel() {
    this.confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-cancel')?.focus();
  }

  private async keep() {
    this.confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#cancel')?.focus();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('booking') && this.booking?.status === 'cancelled') this.confirming = false;
  }
}
