// The payment step of a prepaid booking (a lazy chunk: free bookings never load it). Shows the
// hold and its amount, sends the visitor to Stripe Checkout (this tab, or a popup when the host
// page asks for one), and on return waits for the server's verdict: only Stripe's verified webhook
// confirms a booking, so "success" here means "paid, confirming", never "booked" by itself.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-manage.styles.ts';
import { notify } from '../events.ts';
import { formatDateTimeZone, formatMoney } from '../time.ts';
import type { Api } from '../api.ts';
import type { BookingView } from '../types.ts';
import { pt } from './bw-payment.strings.ts';

/** How long the view waits for the webhook's confirmation before saying it is still coming. */
const WAIT_MS = 90_000;
const POLL_MS = 2_000;

export type PaymentResult = '' | 'success' | 'cancelled';

/**
 * @fires bw-payment-done - the payment confirmed the booking (detail: the booking)
 * @fires bw-payment-changed - the booking changed otherwise: expired or released (detail: the booking)
 * @fires bw-payment-rebook - the visitor wants to choose another time
 * @csspart payment - the panel
 * @csspart pay - the Pay button
 */
export class BwPayment extends LitElement {
  // The manage view's look (summary list, button row): both show one booking.
  static override styles = [base, styles];
  static override properties = {
    booking: { attribute: false }, api: { attribute: false }, token: { type: String }, locale: { type: String },
    timezone: { type: String }, result: { type: String }, mode: { type: String }, now: { attribute: false },
    busy: { state: true }, waiting: { state: true }, slow: { state: true }, error: { state: true },
  };
  declare booking: BookingView;
  declare api: Api;
  declare token: string;
  declare locale: string;
  declare timezone: string;
  /** What the visitor came back from Checkout with (the success_url or cancel_url). */
  declare result: PaymentResult;
  /** redirect: Checkout in this tab; popup: in a window of its own. */
  declare mode: 'redirect' | 'popup';
  declare now: () => number;
  declare busy: boolean;
  declare waiting: boolean;
  declare slow: boolean;
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waitUntil = 0;
  private readonly onMessage = (e: MessageEvent) => {
    // The popup's return page (same origin as this page) says it is back: look now.
    if (e.origin === location.origin && e.data?.type === 'booking-widget:payment' && e.data.bookingId === this.booking?.id) {
      if (e.data.result === 'success') this.wait(); else this.stopWaiting();
    }
  };

  constructor() {
    super();
    this.token = '';
    this.locale = 'en';
    this.timezone = 'UTC';
    this.result = '';
    this.mode = 'redirect';
    this.now = () => Date.now();
    this.busy = false;
    this.waiting = false;
    this.slow = false;
    this.error = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('message', this.onMessage);
    if (this.result === 'success' && this.booking?.status === 'awaiting_payment') this.wait();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('message', this.onMessage);
    this.stopWaiting();
  }

  private get expired(): boolean {
    const b = this.booking;
    const until = b.payment?.holdExpiresAt;
    return b.status === 'expired' || (b.status === 'awaiting_payment' && !!until && Date.parse(until) <= this.now());
  }

  private async pay() {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const url = this.booking.payment?.checkoutUrl
        ?? (await this.api.request<{ url: string }>(`/api/bookings/${encodeURIComponent(this.booking.id)}/checkout`, { method: 'POST', token: this.token, body: {} })).url;
      const popup = this.mode === 'popup' ? window.open(url, 'bw-checkout', 'popup=yes,width=520,height=760') : null;
      if (popup) this.wait();
      else location.assign(url); // same tab (also when the browser blocked the popup)
    } catch (err) {
      this.error = err instanceof Error && err.message !== 'network' ? err.message : pt(this.locale, 'unreachable');
    } finally {
      this.busy = false;
    }
  }

  private async release() {
    if (this.busy) return;
    this.busy = true;
    try {
      const b = await this.api.request<BookingView>(`/api/bookings/${encodeURIComponent(this.booking.id)}/cancel`, { method: 'POST', token: this.token, body: {} });
      notify(this, 'bw-payment-changed', b);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  /** Polls the booking until the payment's outcome is known (or WAIT_MS passed). */
  private wait() {
    this.waiting = true;
    this.slow = false;
    this.waitUntil = Date.now() + WAIT_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), 0);
  }

  private stopWaiting() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = false;
  }

  private async poll() {
    try {
      const b = await this.api.request<BookingView>(`/api/bookings/${encodeURIComponent(this.booking.id)}`, { token: this.token });
      if (b.status === 'confirmed' || b.status === 'pending') {
        this.stopWaiting();
        notify(this, 'bw-payment-done', b);
        return;
      }
      if (b.status !== 'awaiting_payment') {
        this.stopWaiting();
        notify(this, 'bw-payment-changed', b);
        return;
      }
    } catch { /* a passing network failure: keep trying */ }
    if (Date.now() >= this.waitUntil) {
      this.slow = true;
      this.stopWaiting();
      return;
    }
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  override render() {
    const b = this.booking;
    const loc = this.locale;
    const p = b.payment;
    const amount = p ? formatMoney(p.amountCents, p.currency, loc) : '';
    const title = this.waiting ? 'confirming' : this.expired ? 'expiredTitle' : this.result === 'cancelled' ? 'cancelledTitle' : 'payTitle';
    return html`<div part="payment">
      <h2 tabindex="-1">${pt(loc, title)}</h2>
      <dl>
        <dt>${b.service.name}</dt><dd>${b.specialist.name}</dd>
        <dt>${pt(loc, 'time')}</dt><dd>${formatDateTimeZone(b.start, loc, this.timezone)}</dd>
        ${amount ? html`<dt>${pt(loc, 'amount')}</dt><dd id="amount">${amount}</dd>` : nothing}
      </dl>
      ${this.waiting ? html`<p class="loading" role="status">${pt(loc, 'confirmingHint')}</p>` : nothing}
      ${this.slow ? html`<p class="notice" role="status">${pt(loc, 'slow')}</p>
        <p class="row"><button @click=${() => this.wait()}>${pt(loc, 'checkAgain')}</button></p>` : nothing}
      ${this.error ? html`<p class="notice bad" role="alert">${this.error}</p>` : nothing}
      ${this.expired ? html`<p>${pt(loc, 'expiredText')}</p>
        <p class="row"><button class="primary" @click=${() => notify(this, 'bw-payment-rebook', null)}>${pt(loc, 'rebook')}</button></p>`
        : this.waiting || this.slow ? nothing : html`
        ${p?.holdExpiresAt ? html`<p class="muted" id="held">${pt(loc, 'heldUntil', { time: formatDateTimeZone(p.holdExpiresAt, loc, this.timezone) })}</p>` : nothing}
        ${this.result === 'cancelled' ? html`<p>${pt(loc, 'cancelledText')}</p>` : nothing}
        <p class="row">
          <button class="primary" id="pay" part="pay" ?disabled=${this.busy} @click=${this.pay}>${pt(loc, 'pay', { amount })}</button>
          <button class="danger" id="release" ?disabled=${this.busy} @click=${this.release}>${pt(loc, 'release')}</button>
        </p>
        <p class="muted">${pt(loc, 'secure')}</p>`}
    </div>`;
  }
}
