// Messages that could not be delivered, for the site owner: what, to whom, how often it was
// tried and the error; a retry sends it again now.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { t } from '../i18n.ts';
import { styles } from './bc-notifications.styles.ts';

/**
 * @customElement bc-notifications
 * @csspart notifications - the panel
 */
export class BcNotifications extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.failedNotifications(signal)).notifications,
  });

  private async retry(id: string) {
    this.error = null;
    try {
      await this.api.retryNotification(id);
      this.message = t(this.locale, 'retryQueued');
      this.list.run();
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const loc = this.locale;
    return html`<div part="notifications">
      <div class="head"><h2 tabindex="-1">${t(loc, 'notificationsTitle')}</h2>
        <button @click=${() => this.list.run()}>${t(loc, 'refresh')}</button></div>
      <p class="hint">${t(loc, 'notificationsIntro')}</p>
      ${this.notices()}
      ${this.list.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.list.run()),
        complete: (list) => list.length === 0 ? html`<p class="empty">${t(loc, 'noFailures')}</p>` : html`<table class="list">
          <thead><tr><th scope="col">${t(loc, 'message')}</th><th scope="col">${t(loc, 'recipient')}</th><th scope="col">${t(loc, 'error')}</th><th scope="col"><span class="sr-only">${t(loc, 'retrySend')}</span></th></tr></thead>
          <tbody>${list.map((n) => html`<tr>
            <td data-label=${t(loc, 'message')}>${n.kind} · ${n.channel}<br><span class="hint">${formatDateTimeZone(n.sendAt, loc, this.zone)} · ${t(loc, 'attemptsN', { n: n.attempts })}</span>
              ${n.bookingId ? html`<br><button class="link" @click=${() => this.go({ view: 'booking', id: n.bookingId! })}>${t(loc, 'openBooking')}</button>` : nothing}</td>
            <td data-label=${t(loc, 'recipient')} class="wrap">${n.recipient}</td>
            <td data-label=${t(loc, 'error')} class="wrap">${n.lastError ?? '—'}</td>
            <td><button @click=${() => this.retry(n.id)}>${t(loc, 'retrySend')}</button></td>
          </tr>`)}</tbody></table>`,
      })}
    </div>`;
  }
}
