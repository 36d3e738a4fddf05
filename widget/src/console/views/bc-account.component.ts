// The signed-in person's own account: who they are, this browser's session and the others still
// signed in, each of which they can sign out; for a specialist, push notifications on this
// browser and the times they are reminded of their sessions.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-account.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import { fieldOf } from '../forms.ts';
import { readReminders, reminderFields } from '../reminders.ts';

/**
 * Resolves once `reg` has an active worker (`navigator.serviceWorker.ready` would not do: it
 * waits for a worker controlling this page, and the console's page may lie outside /console/).
 */
function activeWorker(reg: ServiceWorkerRegistration): Promise<void> {
  if (reg.active) return Promise.resolve();
  const coming = reg.installing ?? reg.waiting;
  if (!coming) return Promise.reject(new Error('The console\'s service worker did not install.'));
  return new Promise((resolve, reject) => {
    coming.addEventListener('statechange', () => {
      if (coming.state === 'activated') resolve();
      else if (coming.state === 'redundant') reject(new Error('The console\'s service worker did not install.'));
    });
  });
}

/**
 * @customElement bc-account
 * @csspart account - the panel
 */
export class BcAccount extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = { remindersDefault: { state: true }, remindersError: { state: true } };
  /** The reminder form follows the practice's default (null until the profile has loaded). */
  declare remindersDefault: boolean | null;
  declare remindersError: string;

  constructor() {
    super();
    this.remindersDefault = null;
    this.remindersError = '';
  }

  // The specialist's own profile, for their reminder times.
  private me = new Task(this, {
    args: () => [this.api, this.session.role] as const,
    task: async ([api, role], { signal }) => (role === 'specialist' ? api.me(signal) : null),
  });

  private async saveReminders(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const minutes = readReminders(form, 'me');
    this.remindersError = '';
    this.message = '';
    try {
      if (minutes === 'invalid') throw new RangeError(t(this.locale, 'remindersNotNumbers'));
      const me = await this.api.updateMe({ hostReminderMinutes: minutes });
      if (this.me.value) Object.assign(this.me.value, me);
      this.remindersDefault = me.hostReminderMinutes === null;
      this.message = t(this.locale, 'remindersSaved');
    } catch (err) {
      if (!(err instanceof RangeError) && fieldOf(err) === null) { this.error = err; return; }
      this.remindersError = err instanceof RangeError ? err.message : this.problem(err);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#me-hostReminderMinutes')?.focus();
    }
  }

  private renderReminders() {
    const loc = this.locale;
    return this.me.render({
      pending: () => nothing,
      error: (e) => this.alert(e, () => this.me.run()),
      complete: (me) => me === null ? nothing : html`<section class="card" aria-labelledby="reminders-title">
        <h3 id="reminders-title">${t(loc, 'remindersTitle')}</h3>
        <p class="hint">${t(loc, 'remindersIntro')}</p>
        <form @submit=${this.saveReminders} novalidate aria-labelledby="reminders-title">
          ${reminderFields(loc, 'me', me.hostReminderMinutes, this.remindersDefault ?? me.hostReminderMinutes === null, this.remindersError, (v) => { this.remindersDefault = v; })}
          <button class="primary" type="submit">${t(loc, 'saveReminders')}</button>
        </form>
      </section>`,
    });
  }

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.sessions(signal)).sessions,
  });

  // Web Push (specialists): this browser subscribes through the console's service worker.
  private push = new Task(this, {
    args: () => [this.api, this.session.role] as const,
    task: async ([api, role], { signal }) => (role === 'specialist' ? api.push(signal) : null),
  });

  private async enablePush(publicKey: string) {
    this.error = null;
    try {
      const reg = await navigator.serviceWorker.register('/console/sw.js', { scope: '/console/' });
      // subscribe() needs an active worker; register() settles before a new one has activated.
      await activeWorker(reg);
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
      const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      await this.api.addPushSubscription({ endpoint: json.endpoint, keys: json.keys, label: navigator.userAgent.slice(0, 200) });
      this.message = t(this.locale, 'pushOn');
      this.push.run();
    } catch (err) {
      this.error = err;
    }
  }

  private async removePush(id: string) {
    this.error = null;
    try {
      await this.api.removePushSubscription(id);
      this.message = t(this.locale, 'pushOff');
      this.push.run();
    } catch (err) {
      this.error = err;
    }
  }

  private renderPush() {
    const loc = this.locale;
    const supported = typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined';
    return this.push.render({
      pending: () => nothing,
      error: () => nothing,
      complete: (info) => info === null || info.publicKey === null ? nothing : html`<section class="card" aria-labelledby="push-title">
        <h3 id="push-title">${t(loc, 'pushTitle')}</h3>
        <p class="hint">${t(loc, 'pushIntro')}</p>
        ${info.subscriptions.length > 0 ? html`<ul class="plain push">${info.subscriptions.map((x) => html`<li>
          <span><strong>${x.host}</strong></span><span class="hint">${x.label || '—'}</span>
          <button class="link" @click=${() => this.removePush(x.id)}>${t(loc, 'pushRemove')}</button></li>`)}</ul>` : nothing}
        ${supported ? html`<button @click=${() => this.enablePush(info.publicKey!)}>${t(loc, 'pushEnable')}</button>` : html`<p class="hint">${t(loc, 'pushUnsupported')}</p>`}
      </section>`,
    });
  }

  private async revoke(id: string) {
    this.error = null;
    try {
      await this.api.revokeSession(id);
      this.message = t(this.locale, 'sessionEnded');
      this.list.run();
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const loc = this.locale;
    const s = this.session;
    const who = s.specialist ? `${s.specialist.name} · ${s.specialist.email}` : s.owner?.email ? `${s.owner.name || s.owner.email} · ${s.owner.email}` : t(loc, 'siteOwner');
    return html`<div part="account">
      <div class="head"><h2 tabindex="-1">${t(loc, 'accountTitle')}</h2></div>
      <section class="card"><dl class="facts">
        <dt>${t(loc, 'signedInAs')}</dt><dd>${who}</dd>
        <dt>${t(loc, 'role')}</dt><dd>${t(loc, s.role === 'owner' ? 'roleOwner' : 'roleSpecialist')}</dd>
        <dt>${t(loc, 'sessionEnds')}</dt><dd>${formatDateTimeZone(s.expiresAt, loc, this.zone)}</dd>
      </dl></section>
      ${this.notices()}
      ${this.renderPush()}
      ${this.renderReminders()}
      <section class="card" aria-labelledby="sessions-title">
        <h3 id="sessions-title">${t(loc, 'sessionsTitle')}</h3>
        ${this.list.render({
          pending: () => this.loading(),
          error: (e) => this.alert(e, () => this.list.run()),
          complete: (list) => html`<ul class="plain">${list.map((x) => html`<li>
            <span><strong>${x.current ? t(loc, 'thisBrowser') : t(loc, 'otherBrowser')}</strong> · ${t(loc, `method_${x.method}` as ConsoleKey)}</span>
            <span class="hint">${x.label || '—'}</span>
            <span class="hint">${t(loc, 'signedInAt', { at: formatDateTimeZone(x.createdAt, loc, this.zone) })}</span>
            ${x.current ? nothing : html`<button class="link" @click=${() => this.revoke(x.id)}>${t(loc, 'signOutThere')}</button>`}
          </li>`)}</ul>`,
        })}
      </section>
    </div>`;
  }
}
