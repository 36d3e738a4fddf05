// Payments across the practice, for the site owner: what Stripe took for each prepaid booking,
// what was refunded and where each refund stands (from Stripe's events), newest first, by
// status. Card data never reaches us; the Stripe ids let the owner find a payment in Stripe.
import { html } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { browserZone, formatDateTimeZone, formatMoney } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-payments.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import type { AdminPayment, PaymentStatus } from '../api.ts';
import { paymentBadge, refundList } from '../payment-parts.ts';

export const PAYMENT_STATUSES: PaymentStatus[] = ['open', 'paid', 'partially_refunded', 'refunded', 'expired', 'canceled'];
const PAGE = 25;

/**
 * @customElement bc-payments
 * @csspart payments - the panel
 */
export class BcPayments extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = { status: { state: true }, cursors: { state: true } };
  declare status: PaymentStatus | '';
  /** Cursors of the pages up to the current one ('' for the first). */
  declare cursors: string[];

  constructor() {
    super();
    this.status = '';
    this.cursors = [''];
  }

  private page = new Task(this, {
    args: () => [this.api, this.status, this.cursors.at(-1)] as const,
    task: ([api, status, cursor], { signal }) => api.payments({ limit: PAGE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }, signal),
  });

  private money(cents: number, p: AdminPayment) {
    return formatMoney(cents, p.currency, this.locale);
  }

  private row(p: AdminPayment) {
    const loc = this.locale;
    return html`<tr>
      <td data-label=${t(loc, 'when')}>${formatDateTimeZone(p.paidAt ?? p.createdAt, loc, browserZone())}</td>
      <td data-label=${t(loc, 'amount')}>${this.money(p.amountCents, p)}</td>
      <td data-label=${t(loc, 'status')}>${paymentBadge(loc, p.status)}</td>
      <td data-label=${t(loc, 'refunds')}>${refundList(loc, p)}</td>
      <td data-label=${t(loc, 'stripeIds')}><span class="muted">${p.stripePaymentIntentId ?? p.stripeCheckoutSessionId ?? '—'}</span></td>
      <td><button class="open" aria-label=${t(loc, 'openPaidBooking', { amount: this.money(p.amountCents, p) })} @click=${() => this.go({ view: 'booking', id: p.bookingId })}>${t(loc, 'open')}</button></td>
    </tr>`;
  }

  override render() {
    const loc = this.locale;
    return html`<div part="payments">
      <div class="head"><h2 tabindex="-1">${t(loc, 'paymentsTitle')}</h2></div>
      <div class="filters">
        <div class="field"><label for="p-status">${t(loc, 'status')}</label>
          <select id="p-status" @change=${(e: Event) => { this.status = (e.target as HTMLSelectElement).value as PaymentStatus | ''; this.cursors = ['']; }}>
            <option value="">${t(loc, 'all')}</option>
            ${PAYMENT_STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${t(loc, `payment_${s}` as ConsoleKey)}</option>`)}
          </select></div>
      </div>
      ${this.page.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.page.run()),
        complete: (page) => html`
          ${page.payments.length === 0 ? html`<p class="empty" role="status">${t(loc, 'noPayments')}</p>` : html`<table class="list">
            <thead><tr><th scope="col">${t(loc, 'when')}</th><th scope="col">${t(loc, 'amount')}</th><th scope="col">${t(loc, 'status')}</th>
              <th scope="col">${t(loc, 'refunds')}</th><th scope="col">${t(loc, 'stripeIds')}</th><th scope="col"><span class="sr-only">${t(loc, 'open')}</span></th></tr></thead>
            <tbody>${page.payments.map((p) => this.row(p))}</tbody>
          </table>`}
          <div class="actions pager">
            <button ?disabled=${this.cursors.length === 1} @click=${() => { this.cursors = this.cursors.slice(0, -1); }}>${t(loc, 'previousPage')}</button>
            <button ?disabled=${page.nextCursor === null} @click=${() => { this.cursors = [...this.cursors, page.nextCursor!]; }}>${t(loc, 'nextPage')}</button>
          </div>`,
      })}
    </div>`;
  }
}
