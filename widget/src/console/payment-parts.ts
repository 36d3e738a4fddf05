// How a payment and its refunds read in the console, shared by the payments list and a booking.
import { html, nothing } from 'lit';
import { formatMoney } from '../time.ts';
import { t, type ConsoleKey } from './i18n.ts';
import type { PaymentSummary } from '../../../shared/payments.ts';

export function paymentBadge(loc: string, status: PaymentSummary['status']) {
  return html`<span class="badge ${status}">${t(loc, `payment_${status}` as ConsoleKey)}</span>`;
}

export function refundList(loc: string, p: Pick<PaymentSummary, 'currency'> & { refunds: (PaymentSummary['refunds'][number] & { failureReason?: string | null })[] }) {
  if (p.refunds.length === 0) return html`<span class="muted">—</span>`;
  return html`<ul class="refunds">${p.refunds.map((r) => html`<li>${formatMoney(r.amountCents, r.currency || p.currency, loc)} · ${t(loc, `refundReason_${r.reason}` as ConsoleKey)}
    <span class="badge ${r.status}">${t(loc, `refund_${r.status}` as ConsoleKey)}</span>${r.failureReason ? html` <span class="muted">${r.failureReason}</span>` : nothing}</li>`)}</ul>`;
}
