// The visitor's own data, behind proof of the address (issue 18): a code emailed to it opens a
// one-hour visitor session (kept in memory only), which shows every consultation under the
// address with the summaries the specialists shared, downloads everything stored about it, or
// erases it. Without that proof a manage link shows its own booking only.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-my-data.styles.ts';
import { mt } from './bw-my-data.strings.ts';
import { ApiError, type Api } from '../api.ts';
import { formatDateTimeZone } from '../time.ts';
import { language } from '../catalog.ts';
import type { ConsultationHistoryItem } from '../../../shared/schemas.ts';

type Stage = 'ask' | 'code' | 'open' | 'erased';
interface Erasure { bookings: number; cancelled: number }

/**
 * @csspart my-data - the panel
 */
export class BwMyData extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    api: { attribute: false }, email: { type: String }, locale: { type: String }, timezone: { type: String },
    stage: { state: true }, busy: { state: true }, error: { state: true }, notice: { state: true }, history: { state: true }, understood: { state: true },
  };
  declare api: Api;
  declare email: string;
  declare locale: string;
  declare timezone: string;
  declare stage: Stage;
  declare busy: boolean;
  declare error: string;
  declare notice: string;
  declare history: ConsultationHistoryItem[];
  declare understood: boolean;
  private token = '';

  constructor() {
    super();
    this.email = '';
    this.locale = 'en';
    this.timezone = 'UTC';
    this.stage = 'ask';
    this.busy = false;
    this.error = '';
    this.notice = '';
    this.history = [];
    this.understood = false;
  }

  /** Runs a step, turning its failure into a message (the server's own where it has one). */
  private async step(fn: () => Promise<void>, wrong?: string) {
    this.busy = true;
    this.error = '';
    try {
      await fn();
    } catch (err) {
      this.error = err instanceof ApiError ? (err.status === 400 && wrong ? wrong : err.message) : mt(this.locale, 'unreachable');
    } finally {
      this.busy = false;
    }
  }

  private sendCode() {
    return this.step(async () => {
      await this.api.request('/api/visitor/verification', { method: 'POST', body: { email: this.email, locale: language(this.locale) } });
      this.stage = 'code';
    });
  }

  private verify(e: SubmitEvent) {
    e.preventDefault();
    const code = (this.renderRoot.querySelector<HTMLInputElement>('#md-code')?.value ?? '').replace(/\s/g, '');
    return this.step(async () => {
      const session = await this.api.request<{ token: string }>('/api/visitor/session', { method: 'POST', body: { email: this.email, code } });
      this.token = session.token;
      this.history = (await this.api.request<{ consultations: ConsultationHistoryItem[] }>('/api/visitor/history', { token: this.token })).consultations;
      this.stage = 'open';
    }, mt(this.locale, 'wrongCode'));
  }

  private download() {
    return this.step(async () => {
      const data = await this.api.request('/api/visitor/export', { token: this.token });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      a.download = 'my-bookings.json';
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      this.notice = mt(this.locale, 'downloaded');
    });
  }

  private erase() {
    return this.step(async () => {
      const r = await this.api.request<Erasure>('/api/visitor/erase', { method: 'POST', token: this.token, body: {} });
      this.token = '';
      this.history = [];
      this.notice = mt(this.locale, 'erased', { n: r.bookings, cancelled: r.cancelled });
      this.stage = 'erased';
    });
  }

  private body() {
    const loc = this.locale;
    if (this.stage === 'ask') {
      return html`<p>${mt(loc, 'intro', { email: this.email })}</p>
        <button class="primary" id="md-send" ?disabled=${this.busy} @click=${this.sendCode}>${mt(loc, 'sendCode')}</button>`;
    }
    if (this.stage === 'code') {
      return html`<p role="status">${mt(loc, 'codeSent', { email: this.email })}</p>
        <form @submit=${this.verify} novalidate>
          <label for="md-code">${mt(loc, 'code')}</label>
          <input id="md-code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required aria-describedby="md-code-hint"
            aria-invalid=${this.error ? 'true' : 'false'}>
          <p id="md-code-hint" class="muted">${mt(loc, 'codeHint')}</p>
          <button class="primary" type="submit" ?disabled=${this.busy}>${mt(loc, 'verify')}</button>
        </form>`;
    }
    if (this.stage === 'erased') return nothing;
    return html`<h4>${mt(loc, 'history')}</h4>
      ${this.history.length === 0 ? html`<p>${mt(loc, 'noHistory')}</p>` : html`<ul class="history">${this.history.map((c) => html`<li>
        <strong>${formatDateTimeZone(c.startsAt, loc, this.timezone)}</strong> · ${c.serviceName} · ${c.specialistName}
        ${c.summary ? html`<p class="summary">${c.summary}</p>` : nothing}</li>`)}</ul>`}
      <p class="row"><button id="md-download" ?disabled=${this.busy} @click=${this.download}>${mt(loc, 'download')}</button></p>
      <div class="erase" role="group" aria-labelledby="md-erase-title">
        <h4 id="md-erase-title">${mt(loc, 'erase')}</h4>
        <p>${mt(loc, 'eraseWarn')}</p>
        <label class="check"><input type="checkbox" id="md-understood" .checked=${this.understood}
          @change=${(e: Event) => { this.understood = (e.target as HTMLInputElement).checked; }}> ${mt(loc, 'eraseUnderstood')}</label>
        <button class="danger" id="md-erase" ?disabled=${this.busy || !this.understood} @click=${this.erase}>${mt(loc, 'eraseConfirm')}</button>
      </div>`;
  }

  override render() {
    return html`<section part="my-data" aria-labelledby="md-title">
      <h3 id="md-title" tabindex="-1">${mt(this.locale, 'title')}</h3>
      ${this.notice ? html`<p class="notice good" role="status">${this.notice}</p>` : nothing}
      ${this.error ? html`<p class="notice bad" role="alert">${this.error}</p>` : nothing}
      ${this.body()}
    </section>`;
  }
}
