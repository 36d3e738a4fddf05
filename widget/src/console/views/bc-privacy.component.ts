// The site owner's GDPR tools: everything stored about one email address as a JSON file
// (access), and erasure of it (upcoming bookings cancelled by the practice with a full refund of
// what was paid, every booking anonymised, calendar events and recordings deleted). Erasure
// cannot be undone, so the owner types the address a second time to confirm it.
import { html, nothing } from 'lit';
import { base } from '../../shared.styles.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-privacy.styles.ts';
import { t } from '../i18n.ts';
import { valueOf } from '../forms.ts';
import { saveFile } from '../download.ts';
import type { ErasureReport } from '../api.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * @customElement bc-privacy
 * @csspart privacy - the panel
 */
export class BcPrivacy extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    busy: { state: true }, exportError: { state: true }, eraseError: { state: true }, confirmError: { state: true }, exported: { state: true }, report: { state: true },
  };
  declare busy: boolean;
  declare exportError: string;
  declare eraseError: string;
  declare confirmError: string;
  declare exported: string;
  declare report: (ErasureReport & { email: string }) | null;

  constructor() {
    super();
    this.busy = false;
    this.exportError = '';
    this.eraseError = '';
    this.confirmError = '';
    this.exported = '';
    this.report = null;
  }

  private async exportData(e: SubmitEvent) {
    e.preventDefault();
    const email = valueOf(e.target as HTMLFormElement, 'x-email').trim();
    this.exportError = EMAIL.test(email) ? '' : t(this.locale, 'invalidEmail');
    this.exported = '';
    if (this.exportError) return this.refocus('x-email');
    this.busy = true;
    try {
      const data = await this.api.exportVisitor(email);
      saveFile(this.renderRoot, new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), `visitor-${email.replace(/[^a-z0-9.@_-]/gi, '_')}.json`);
      this.exported = t(this.locale, 'exportReady', { email, n: Array.isArray(data.bookings) ? data.bookings.length : 0 });
    } catch (err) {
      this.exportError = this.problem(err);
      this.refocus('x-email');
    } finally {
      this.busy = false;
    }
  }

  private async erase(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const email = valueOf(form, 'e-email').trim();
    const again = valueOf(form, 'e-confirm').trim();
    this.report = null;
    this.eraseError = EMAIL.test(email) ? '' : t(this.locale, 'invalidEmail');
    this.confirmError = this.eraseError || again.toLowerCase() === email.toLowerCase() ? '' : t(this.locale, 'eraseMismatch');
    if (this.eraseError || this.confirmError) return this.refocus(this.eraseError ? 'e-email' : 'e-confirm');
    this.busy = true;
    try {
      this.report = { email, ...(await this.api.eraseVisitor(email)) };
      form.reset();
    } catch (err) {
      this.eraseError = this.problem(err);
      this.refocus('e-email');
    } finally {
      this.busy = false;
    }
  }

  private refocus(id: string) {
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.focus());
  }

  private field(id: string, label: string, error: string) {
    return html`<div class="field"><label for=${id}>${label}</label>
      <input id=${id} type="email" required maxlength="254" autocomplete="off" aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-error">
      <p id="${id}-error" class="error" ?hidden=${!error}>${error}</p></div>`;
  }

  override render() {
    const loc = this.locale;
    const r = this.report;
    return html`<div part="privacy">
      <div class="head"><h2 tabindex="-1">${t(loc, 'privacyTitle')}</h2></div>
      <p class="hint">${t(loc, 'privacyIntro')}</p>
      <form class="card" @submit=${this.exportData} novalidate aria-labelledby="x-title">
        <h3 id="x-title">${t(loc, 'exportTitle')}</h3>
        <p class="hint">${t(loc, 'exportHint')}</p>
        ${this.field('x-email', t(loc, 'email'), this.exportError)}
        <button class="primary" type="submit" ?disabled=${this.busy}>${t(loc, 'exportVisitor')}</button>
        ${this.exported ? html`<p class="notice good" role="status">${this.exported}</p>` : nothing}
      </form>
      <form class="card" @submit=${this.erase} novalidate aria-labelledby="e-title">
        <h3 id="e-title">${t(loc, 'eraseTitle')}</h3>
        <p class="hint">${t(loc, 'eraseHint')}</p>
        ${this.field('e-email', t(loc, 'email'), this.eraseError)}
        ${this.field('e-confirm', t(loc, 'eraseConfirmLabel'), this.confirmError)}
        <button class="danger" type="submit" ?disabled=${this.busy}>${t(loc, 'eraseVisitor')}</button>
      </form>
      ${r ? html`<section class="card" role="status" aria-labelledby="r-title">
        <h3 id="r-title">${t(loc, 'erasedTitle', { email: r.email })}</h3>
        <dl class="report">
          <dt>${t(loc, 'erasedBookings')}</dt><dd>${r.bookings}</dd>
          <dt>${t(loc, 'erasedCancelled')}</dt><dd>${r.cancelled}</dd>
          <dt>${t(loc, 'erasedCalendar')}</dt><dd>${r.calendarEvents}</dd>
          <dt>${t(loc, 'erasedRecordings')}</dt><dd>${r.recordingsDeleted}${r.recordingsPending ? ` (${t(loc, 'erasedPending', { n: r.recordingsPending })})` : ''}</dd>
        </dl>
      </section>` : nothing}
    </div>`;
  }
}
