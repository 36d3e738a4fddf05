// Bookings across the practice, for the site owner: filters (dates, specialist, service, status,
// the visitor's name or email), pages that keep their order while bookings come in, and the
// same selection as a CSV file.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone, zonedInstant, addDays, browserZone } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-bookings.styles.ts';
import { t, statusLabel, STATUSES } from '../i18n.ts';
import type { BookingStatus } from '../api.ts';
import { saveFile } from '../download.ts';

export interface BookingFilters {
  from: string;
  to: string;
  specialist: string;
  service: string;
  status: BookingStatus | '';
  q: string;
}

const PAGE = 25;

/**
 * @customElement bc-bookings
 * @csspart bookings - the panel
 */
export class BcBookings extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    filters: { state: true }, cursors: { state: true }, exporting: { state: true }, exportError: { state: true },
  };
  declare filters: BookingFilters;
  /** Cursors of the pages before the current one ('' for the first), and the current page's. */
  declare cursors: string[];
  declare exporting: boolean;
  declare exportError: unknown;

  constructor() {
    super();
    this.filters = { from: '', to: '', specialist: '', service: '', status: '', q: '' };
    this.cursors = [''];
    this.exporting = false;
    this.exportError = null;
  }

  /** Dates as the owner reads them: their browser's zone. */
  private get ownerZone(): string {
    return browserZone();
  }

  private query() {
    const f = this.filters;
    return {
      ...(f.from ? { from: new Date(zonedInstant(f.from, this.ownerZone)).toISOString() } : {}),
      ...(f.to ? { to: new Date(zonedInstant(addDays(f.to, 1), this.ownerZone)).toISOString() } : {}),
      ...(f.specialist ? { specialist: f.specialist } : {}),
      ...(f.service ? { service: f.service } : {}),
      ...(f.status ? { status: [f.status] } : {}),
      ...(f.q.trim() ? { q: f.q.trim() } : {}),
    };
  }

  private catalogue = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      const [sp, sv] = await Promise.all([api.specialists(signal), api.adminServices(signal)]);
      return { specialists: sp.specialists, services: sv.services };
    },
  });

  private page = new Task(this, {
    args: () => [this.api, this.filters, this.cursors.at(-1)] as const,
    task: ([api, , cursor], { signal }) => api.practiceBookings({ ...this.query(), limit: PAGE, ...(cursor ? { cursor } : {}) }, signal),
  });

  private apply(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value;
    this.filters = { from: v('f-from'), to: v('f-to'), specialist: v('f-specialist'), service: v('f-service'), status: v('f-status') as BookingStatus | '', q: v('f-q') };
    this.cursors = [''];
  }

  private async exportCsv() {
    this.exporting = true;
    this.exportError = null;
    try {
      saveFile(this.renderRoot, await this.api.practiceBookingsCsv(this.query()), `bookings-${new Date(this.now()).toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      this.exportError = err;
    } finally {
      this.exporting = false;
    }
  }

  override render() {
    const loc = this.locale;
    const c = this.catalogue.value;
    const f = this.filters;
    return html`<div part="bookings">
      <div class="head">
        <h2 tabindex="-1">${t(loc, 'bookingsTitle')}</h2>
        <button ?disabled=${this.exporting} @click=${this.exportCsv}>${t(loc, this.exporting ? 'exporting' : 'exportCsv')}</button>
      </div>
      ${this.exportError ? this.alert(this.exportError) : nothing}
      <form class="card filters" @submit=${this.apply} aria-label=${t(loc, 'filters')}>
        <div class="grid">
          <div class="field"><label for="f-from">${t(loc, 'fromDate')}</label><input id="f-from" type="date" .value=${f.from}></div>
          <div class="field"><label for="f-to">${t(loc, 'toDate')}</label><input id="f-to" type="date" .value=${f.to}></div>
          <div class="field"><label for="f-specialist">${t(loc, 'specialist')}</label>
            <select id="f-specialist"><option value="">${t(loc, 'all')}</option>
              ${(c?.specialists ?? []).map((s) => html`<option value=${s.slug} ?selected=${f.specialist === s.slug}>${s.name}</option>`)}</select></div>
          <div class="field"><label for="f-service">${t(loc, 'service')}</label>
            <select id="f-service"><option value="">${t(loc, 'all')}</option>
              ${(c?.services ?? []).map((s) => html`<option value=${s.slug} ?selected=${f.service === s.slug}>${s.name}</option>`)}</select></div>
          <div class="field"><label for="f-status">${t(loc, 'status')}</label>
            <select id="f-status"><option value="">${t(loc, 'all')}</option>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${statusLabel(loc, s)}</option>`)}</select></div>
          <div class="field"><label for="f-q">${t(loc, 'searchVisitor')}</label><input id="f-q" type="search" .value=${f.q} maxlength="200"></div>
        </div>
        <div class="actions"><button class="primary" type="submit">${t(loc, 'applyFilters')}</button>
          <button type="button" @click=${() => { this.filters = { from: '', to: '', specialist: '', service: '', status: '', q: '' }; this.cursors = ['']; }}>${t(loc, 'resetFilters')}</button></div>
      </form>
      ${this.page.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.page.run()),
        complete: (p) => {
          const first = (this.cursors.length - 1) * PAGE + 1;
          return html`
            <p class="muted" role="status">${p.total === 0 ? t(loc, 'noBookingsFound') : t(loc, 'showingRange', { from: first, to: first + p.bookings.length - 1, total: p.total })}</p>
            ${p.bookings.length ? html`<table class="list">
              <thead><tr><th scope="col">${t(loc, 'when')}</th><th scope="col">${t(loc, 'visitor')}</th><th scope="col">${t(loc, 'specialist')}</th>
                <th scope="col">${t(loc, 'service')}</th><th scope="col">${t(loc, 'status')}</th><th scope="col"><span class="sr-only">${t(loc, 'open')}</span></th></tr></thead>
              <tbody>${p.bookings.map((b) => html`<tr>
                <td data-label=${t(loc, 'when')}>${formatDateTimeZone(b.start, loc, this.ownerZone)}</td>
                <td data-label=${t(loc, 'visitor')}>${b.visitor.name}<br><span class="muted">${b.visitor.email}</span></td>
                <td data-label=${t(loc, 'specialist')}>${b.specialist.name}</td>
                <td data-label=${t(loc, 'service')}>${b.service.name}</td>
                <td data-label=${t(loc, 'status')}><span class="badge ${b.status}">${statusLabel(loc, b.status)}</span></td>
                <td><button class="open" aria-label=${t(loc, 'openBookingOf', { name: b.visitor.name })} @click=${() => this.go({ view: 'booking', id: b.id })}>${t(loc, 'open')}</button></td>
              </tr>`)}</tbody>
            </table>` : nothing}
            <div class="actions pager">
              <button ?disabled=${this.cursors.length === 1} @click=${() => { this.cursors = this.cursors.slice(0, -1); }}>${t(loc, 'previousPage')}</button>
              <button ?disabled=${p.nextCursor === null} @click=${() => { this.cursors = [...this.cursors, p.nextCursor!]; }}>${t(loc, 'nextPage')}</button>
            </div>`;
        },
      })}
    </div>`;
  }
}
