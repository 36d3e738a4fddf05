// What the session left, as the manage and ended views show it: the summary the specialist
// shared, and the recording when there is one (bw-recording asks the widget to open it).
import { html, nothing } from 'lit';
import { lt as t } from './late.strings.ts';
import { notify } from '../events.ts';
import type { BookingView } from '../types.ts';

export function summary(b: BookingView, locale: string, host: EventTarget) {
  return html`${b.summary ? html`<section class="summary" aria-labelledby="summary-title">
    <h3 id="summary-title">${t(locale, 'summaryFrom', { name: b.specialist.name })}</h3>
    <p style="white-space:pre-wrap">${b.summary}</p></section>` : nothing}${b.recording?.status === 'ready'
    ? html`<p><button id="recording" @click=${() => notify(host, 'bw-recording', null)}>${t(locale, 'watchRecording')}</button></p>` : nothing}`;
}
