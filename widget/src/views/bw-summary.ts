// The summary the specialist shared after the session, as the manage and ended views show it.
import { html, nothing } from 'lit';
import { lt as t } from './late.strings.ts';
import type { BookingView } from '../types.ts';

export function summary(b: BookingView, locale: string) {
  return b.summary ? html`<section class="summary" aria-labelledby="summary-title">
    <h3 id="summary-title">${t(locale, 'summaryFrom', { name: b.specialist.name })}</h3>
    <p style="white-space:pre-wrap">${b.summary}</p></section>` : nothing;
}
