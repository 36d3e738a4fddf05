// Webhook endpoints, for the site owner: add one (its signing secret is shown this once), pause
// or remove it, send a test event, and see its recent deliveries with their status and error.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-webhooks.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import { valueOf } from '../forms.ts';
import type { CreatedWebhook, Webhook } from '../api.ts';
import type { WebhookEvent } from '../../../../shared/admin.ts';

/** Every event an endpoint can subscribe to (shared/admin.ts WEBHOOK_EVENTS, less the wildcards). */
const EVENTS = ['booking.created', 'booking.confirmed', 'booking.declined', 'booking.rescheduled', 'booking.cancelled', 'booking.completed',
  'booking.no_show', 'booking.expired', 'booking.reviewed', 'booking.hold_expired', 'booking.payment_refunded'] as const satisfies readonly WebhookEvent[];
/** Compiles only while EVENTS lists every event the server has. */
const everyEvent: [Exclude<WebhookEvent, 'booking.*' | '*' | (typeof EVENTS)[number]>] extends [never] ? true : never = true;
void everyEvent;

/**
 * @customElement bc-webhooks
 * @csspart webhooks - the panel
 */
export class BcWebhooks extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    created: { state: true }, open: { state: true }, formError: { state: true },
  };
  /** The endpoint just added: its secret is shown until dismissed. */
  declare created: CreatedWebhook | null;
  /** Whose deliveries are shown. */
  declare open: string | null;
  declare formError: string;

  constructor() {
    super();
    this.created = null;
    this.open = null;
    this.formError = '';
  }

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.webhooks(signal)).webhooks,
  });

  private deliveries = new Task(this, {
    args: () => [this.api, this.open] as const,
    task: async ([api, id], { signal }) => (id ? (await api.webhookDeliveries(id, signal)).deliveries : []),
  });

  private async add(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const events = [...form.querySelectorAll<HTMLInputElement>('input[name="event"]:checked')].map((i) => i.value);
    this.formError = '';
    try {
      this.created = await this.api.createWebhook({ url: valueOf(form, 'wh-url'), events: events.length === EVENTS.length ? [] : events as never });
      form.reset();
      this.list.run();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#secret')?.focus();
    } catch (err) {
      this.formError = this.problem(err);
      form.querySelector<HTMLInputElement>('#wh-url')?.focus();
    }
  }

  private async act(fn: () => Promise<unknown>, done: ConsoleKey) {
    this.error = null;
    try {
      await fn();
      this.message = t(this.locale, done);
      this.list.run();
      this.deliveries.run();
    } catch (err) {
      this.error = err;
    }
  }

  private async test(w: Webhook) {
    await this.act(() => this.api.testWebhook(w.id), 'testQueued');
    this.open = w.id;
    // The delivery runs in the background: look again shortly.
    setTimeout(() => this.deliveries.run(), 1500);
  }

  override render() {
    const loc = this.locale;
    return html`<div part="webhooks">
      <div class="head"><h2 tabindex="-1">${t(loc, 'webhooksTitle')}</h2></div>
      <p class="hint">${t(loc, 'webhooksIntro')}</p>
      ${this.notices()}
      ${this.created ? html`<div class="notice good" id="secret" tabindex="-1" role="status">
        <p>${t(loc, 'webhookSecretOnce', { url: this.created.url })}</p><p class="secret">${this.created.secret}</p>
        <div class="actions"><button @click=${() => navigator.clipboard?.writeText(this.created!.secret)}>${t(loc, 'copy')}</button>
        <button @click=${() => { this.created = null; }}>${t(loc, 'savedIt')}</button></div></div>` : nothing}
      <form class="card" @submit=${this.add} novalidate aria-labelledby="wh-add">
        <h3 id="wh-add">${t(loc, 'addWebhook')}</h3>
        <div class="field"><label for="wh-url">${t(loc, 'endpointUrl')}</label>
          <input id="wh-url" type="url" required placeholder="https://crm.example.com/hooks/bookings" aria-invalid=${this.formError ? 'true' : 'false'} aria-describedby="wh-url-error">
          <p id="wh-url-error" class="error" ?hidden=${!this.formError}>${this.formError}</p></div>
        <fieldset><legend>${t(loc, 'events')}</legend>
          ${EVENTS.map((e) => html`<label class="check"><input type="checkbox" name="event" value=${e} checked>${e}</label>`)}</fieldset>
        <button class="primary" type="submit">${t(loc, 'addWebhook')}</button>
      </form>
      ${this.list.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.list.run()),
        complete: (list) => list.length === 0 ? html`<p class="empty">${t(loc, 'noWebhooks')}</p>` : html`<ul class="plain">${list.map((w) => html`<li class="card">
          <div class="head"><h3 class="url">${w.url}</h3><span class="badge ${w.active ? 'active' : 'archived'}">${t(loc, w.active ? 'active' : 'paused')}</span></div>
          <p class="hint">${w.events.length ? w.events.join(', ') : t(loc, 'allEvents')}</p>
          <div class="actions">
            <button @click=${() => this.test(w)}>${t(loc, 'sendTest')}</button>
            <button aria-expanded=${this.open === w.id ? 'true' : 'false'} @click=${() => { this.open = this.open === w.id ? null : w.id; }}>${t(loc, 'recentDeliveries')}</button>
            <button @click=${() => this.act(() => this.api.updateWebhook(w.id, { active: !w.active }), w.active ? 'webhookPaused' : 'webhookResumed')}>${t(loc, w.active ? 'pause' : 'resume')}</button>
            <button class="danger" @click=${() => this.act(() => this.api.deleteWebhook(w.id), 'webhookRemoved')}>${t(loc, 'remove')}</button>
          </div>
          ${this.open === w.id ? this.deliveries.render({
            pending: () => this.loading(),
            error: (e) => this.alert(e, () => this.deliveries.run()),
            complete: (ds) => ds.length === 0 ? html`<p class="empty">${t(loc, 'noDeliveries')}</p>` : html`<table class="list">
              <thead><tr><th scope="col">${t(loc, 'event')}</th><th scope="col">${t(loc, 'status')}</th><th scope="col">${t(loc, 'when')}</th><th scope="col">${t(loc, 'error')}</th></tr></thead>
              <tbody>${ds.map((d) => html`<tr><td data-label=${t(loc, 'event')}>${d.event}</td>
                <td data-label=${t(loc, 'status')}><span class="badge ${d.status}">${t(loc, `delivery_${d.status}` as ConsoleKey)}</span> ${t(loc, 'attemptsN', { n: d.attempts })}</td>
                <td data-label=${t(loc, 'when')}>${formatDateTimeZone(d.createdAt, loc, this.zone)}</td><td data-label=${t(loc, 'error')}>${d.lastError ?? '—'}</td></tr>`)}</tbody>
            </table>`,
          }) : nothing}
        </li>`)}</ul>`,
      })}
    </div>`;
  }
}
