// The practice's specialists, for the site owner: add one (they start with Monday to Friday
// 09:00-17:00 in their zone and may be invited by email at once), edit the profile, open their
// hours, invite them again, issue and revoke credentials (a token is shown once), sign them out
// everywhere, archive and restore.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { language } from '../../catalog.ts';
import '../../views/bw-zone-picker.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-specialists.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import { checked, fieldOf, slugify, valueOf } from '../forms.ts';
import { readReminders, reminderFields, remindersText } from '../reminders.ts';
import type { AdminSpecialist, Credential, IssuedCredential } from '../api.ts';

/** Each language in its own name, as a picker of languages shows them. */
const LANGUAGE_NAMES = { en: 'English', de: 'Deutsch', ru: 'Русский' } as const;

/**
 * @customElement bc-specialists
 * @csspart specialists - the panel
 */
export class BcSpecialists extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    editing: { state: true }, formZone: { state: true }, slugTouched: { state: true }, formError: { state: true }, field: { state: true },
    busy: { state: true }, keysOf: { state: true }, issued: { state: true },
    remindersDefault: { state: true },
  };
  /** The form's reminder times follow the practice's default. */
  declare remindersDefault: boolean;
  /** The specialist being edited, 'new' for the add form, or null. */
  declare editing: string | 'new' | null;
  /** The zone chosen in the form. */
  declare formZone: string;
  declare slugTouched: boolean;
  declare formError: string;
  declare field: string | null;
  declare busy: boolean;
  /** Whose credentials are open. */
  declare keysOf: string | null;
  /** A credential just issued: its token is shown this once. */
  declare issued: IssuedCredential | null;

  constructor() {
    super();
    this.editing = null;
    this.formZone = 'UTC';
    this.slugTouched = false;
    this.formError = '';
    this.field = null;
    this.busy = false;
    this.keysOf = null;
    this.issued = null;
    this.remindersDefault = true;
  }

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.specialists(signal)).specialists,
  });

  private keys = new Task(this, {
    args: () => [this.api, this.keysOf] as const,
    task: async ([api, id], { signal }): Promise<Credential[]> => (id ? (await api.credentials(id, signal)).credentials : []),
  });

  private async act(fn: () => Promise<unknown>, done: ConsoleKey, vars: Record<string, string> = {}) {
    this.busy = true;
    this.error = null;
    this.message = '';
    try {
      await fn();
      this.message = t(this.locale, done, vars);
      this.list.run();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async open(editing: string | 'new' | null) {
    this.editing = editing;
    this.formError = '';
    this.field = null;
    this.slugTouched = editing !== 'new';
    this.remindersDefault = editing === 'new' || (this.list.value?.find((s) => s.id === editing)?.hostReminderMinutes ?? null) === null;
    this.formZone = editing === 'new' ? Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
      : this.list.value?.find((s) => s.id === editing)?.timezone ?? 'UTC';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#sp-name')?.focus();
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const root = e.target as HTMLFormElement;
    const reminders = readReminders(root, 'sp');
    if (reminders === 'invalid') {
      this.formError = t(this.locale, 'remindersNotNumbers');
      this.field = 'hostReminderMinutes';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#sp-hostReminderMinutes')?.focus();
      return;
    }
    const body = {
      name: valueOf(root, 'sp-name'), slug: valueOf(root, 'sp-slug'), email: valueOf(root, 'sp-email'), timezone: this.formZone,
      specialty: valueOf(root, 'sp-specialty'), bio: valueOf(root, 'sp-bio'),
      photoUrl: valueOf(root, 'sp-photoUrl') || null, locale: (valueOf(root, 'sp-locale') || 'en') as 'en' | 'de' | 'ru',
      hostReminderMinutes: reminders,
    };
    this.busy = true;
    this.formError = '';
    this.field = null;
    try {
      if (this.editing === 'new') {
        const invite = checked(root, 'sp-invite');
        const created = await this.api.createSpecialist({ ...body, invite });
        this.message = t(this.locale, invite ? 'specialistInvited' : 'specialistAdded', { name: created.name, email: created.email });
      } else {
        const updated = await this.api.updateSpecialist(this.editing!, body);
        this.message = t(this.locale, 'specialistSaved', { name: updated.name });
      }
      this.editing = null;
      this.list.run();
    } catch (err) {
      this.formError = this.problem(err);
      // "hostReminderMinutes[2]": the list's field.
      this.field = fieldOf(err)?.replace(/\[\d+\]$/, '') ?? null;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(this.field ? `#sp-${this.field}` : '#sp-name')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private async issue(s: AdminSpecialist) {
    const label = valueOf(this.renderRoot, 'key-label');
    this.busy = true;
    this.error = null;
    try {
      this.issued = await this.api.issueCredential(s.id, label);
      this.keys.run();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#issued')?.focus();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const loc = this.locale;
    return html`<div part="specialists">
      <div class="head">
        <h2 tabindex="-1">${t(loc, 'specialistsTitle')}</h2>
        ${this.editing === 'new' ? nothing : html`<button class="primary" id="add-specialist" @click=${() => this.open('new')}>${t(loc, 'addSpecialist')}</button>`}
      </div>
      ${this.notices()}
      ${this.editing === 'new' ? this.form(null) : nothing}
      ${this.list.render({
        pending: () => (this.list.value ? this.rows(this.list.value) : this.loading()),
        complete: (list) => this.rows(list),
        error: (e) => this.alert(e, () => this.list.run()),
      })}
    </div>`;
  }

  private rows(list: AdminSpecialist[]) {
    const loc = this.locale;
    if (list.length === 0) return html`<p class="empty">${t(loc, 'noSpecialists')}</p>`;
    return html`<ul class="people">${list.map((s) => html`<li class="card">
      ${this.editing === s.id ? this.form(s) : html`
        <div class="head">
          <h3>${s.name}</h3>
          ${s.archivedAt ? html`<span class="badge archived">${t(loc, 'archived')}</span>` : nothing}
        </div>
        <p class="muted">${[s.specialty, s.email, s.timezone.replaceAll('_', ' ')].filter(Boolean).join(' · ')}</p>
        <p class="hint">${t(loc, 'offersServices', { n: s.services.length })} · ${t(loc, 'remindersOf', { list: remindersText(loc, s.hostReminderMinutes) })}</p>
        <div class="actions">
          <button @click=${() => this.open(s.id)}>${t(loc, 'edit')}</button>
          ${s.archivedAt ? nothing : html`
            <button @click=${() => this.go({ view: 'schedule', id: s.id })}>${t(loc, 'hoursButton')}</button>
            <button @click=${() => this.act(() => this.api.inviteSpecialist(s.id, language(loc)), 'inviteSent', { email: s.email })}>${t(loc, 'sendInvite')}</button>
            <button aria-expanded=${this.keysOf === s.id ? 'true' : 'false'} @click=${() => { this.keysOf = this.keysOf === s.id ? null : s.id; this.issued = null; }}>${t(loc, 'credentials')}</button>
            <button @click=${() => this.act(async () => { await this.api.signOutSpecialist(s.id); }, 'signedOutEverywhere', { name: s.name })}>${t(loc, 'signOutEverywhere')}</button>`}
          <button class=${s.archivedAt ? '' : 'danger'} @click=${() => this.act(() => this.api.archiveSpecialist(s.id, !s.archivedAt), s.archivedAt ? 'restored' : 'archivedDone', { name: s.name })}>
            ${t(loc, s.archivedAt ? 'restore' : 'archive')}</button>
        </div>
        ${this.keysOf === s.id ? this.credentials(s) : nothing}`}
    </li>`)}</ul>`;
  }

  private credentials(s: AdminSpecialist) {
    const loc = this.locale;
    return html`<section class="keys" aria-labelledby="keys-${s.id}">
      <h4 id="keys-${s.id}">${t(loc, 'credentialsOf', { name: s.name })}</h4>
      <p class="hint">${t(loc, 'credentialsHint')}</p>
      ${this.issued && this.issued.specialistId === s.id ? html`<div class="notice good" id="issued" tabindex="-1" role="status">
        <p>${t(loc, 'credentialIssued')}</p><p class="secret">${this.issued.token}</p>
        <button @click=${() => navigator.clipboard?.writeText(this.issued!.token)}>${t(loc, 'copy')}</button></div>` : nothing}
      ${this.keys.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.keys.run()),
        complete: (keys) => keys.length === 0 ? html`<p class="empty">${t(loc, 'noCredentials')}</p>` : html`<ul class="plain">${keys.map((k) => html`<li>
          <strong>${k.label || t(loc, 'unlabelled')}</strong>
          <span class="hint">${t(loc, 'issuedOn', { at: formatDateTimeZone(k.createdAt, loc, this.zone) })}${k.lastUsedAt ? ` · ${t(loc, 'lastUsed', { at: formatDateTimeZone(k.lastUsedAt, loc, this.zone) })}` : ''}</span>
          ${k.revokedAt ? html`<span class="badge cancelled">${t(loc, 'revoked')}</span>` : html`<button class="link" @click=${() => this.act(async () => { await this.api.revokeCredential(s.id, k.id); this.keys.run(); }, 'credentialRevoked')}>${t(loc, 'revoke')}</button>`}
        </li>`)}</ul>`,
      })}
      <div class="toolbar">
        <div class="field"><label for="key-label">${t(loc, 'credentialLabel')}</label><input id="key-label" maxlength="100" placeholder=${t(loc, 'credentialLabelHint')}></div>
        <button ?disabled=${this.busy} @click=${() => this.issue(s)}>${t(loc, 'issueCredential')}</button>
      </div>
    </section>`;
  }

  private form(s: AdminSpecialist | null) {
    const loc = this.locale;
    const err = (f: string) => (this.field === f ? this.formError : '');
    const input = (id: string, label: string, value: string, o: { type?: string; required?: boolean; hint?: string; onInput?: (e: Event) => void } = {}) => html`
      <div class="field"><label for="sp-${id}">${label}</label>
        ${o.hint ? html`<p class="hint" id="sp-${id}-hint">${o.hint}</p>` : nothing}
        <input id="sp-${id}" type=${o.type ?? 'text'} ?required=${o.required ?? false} .value=${value} aria-invalid=${err(id) ? 'true' : 'false'}
          aria-describedby="sp-${id}-error ${o.hint ? `sp-${id}-hint` : ''}" @input=${o.onInput ?? (() => {})}>
        <p id="sp-${id}-error" class="error" ?hidden=${!err(id)}>${err(id)}</p></div>`;
    return html`<form class="card editor" @submit=${this.submit} novalidate aria-labelledby="sp-form-title">
      <h3 id="sp-form-title">${s ? t(loc, 'editSpecialist', { name: s.name }) : t(loc, 'addSpecialist')}</h3>
      ${this.formError && !this.field ? html`<p class="notice bad" role="alert">${this.formError}</p>` : nothing}
      <div class="grid">
        ${input('name', t(loc, 'name'), s?.name ?? '', { required: true, onInput: (e) => {
          if (this.slugTouched) return;
          const slug = this.renderRoot.querySelector<HTMLInputElement>('#sp-slug');
          if (slug) slug.value = slugify((e.target as HTMLInputElement).value);
        } })}
        ${input('slug', t(loc, 'slug'), s?.slug ?? '', { required: true, hint: t(loc, 'slugHint'), onInput: () => { this.slugTouched = true; } })}
        ${input('email', t(loc, 'email'), s?.email ?? '', { type: 'email', required: true })}
        ${input('specialty', t(loc, 'specialty'), s?.specialty ?? '', { hint: t(loc, 'specialtyHint') })}
        ${input('photoUrl', t(loc, 'photoUrl'), s?.photoUrl ?? '', { type: 'url', hint: t(loc, 'photoUrlHint') })}
        <div class="field"><label for="sp-locale">${t(loc, 'emailLanguage')}</label>
          <select id="sp-locale">${(['en', 'de', 'ru'] as const).map((l) => html`<option value=${l} ?selected=${(s?.locale ?? 'en') === l}>${LANGUAGE_NAMES[l]}</option>`)}</select></div>
        <bw-zone-picker value=${this.formZone} locale=${loc} @bw-zone-change=${(e: CustomEvent<string>) => { this.formZone = e.detail; }}></bw-zone-picker>
      </div>
      ${err('timezone') ? html`<p class="error" role="alert">${err('timezone')}</p>` : nothing}
      <div class="field"><label for="sp-bio">${t(loc, 'bio')}</label><textarea id="sp-bio" rows="3" maxlength="5000" .value=${s?.bio ?? ''}></textarea></div>
      ${reminderFields(loc, 'sp', s?.hostReminderMinutes ?? null, this.remindersDefault, err('hostReminderMinutes'), (v) => { this.remindersDefault = v; })}
      ${s ? nothing : html`<p class="hint">${t(loc, 'defaultHoursHint')}</p>
        <label class="check"><input type="checkbox" id="sp-invite" checked>${t(loc, 'inviteNow')}</label>`}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t(loc, s ? 'save' : 'addSpecialist')}</button>
        <button type="button" @click=${() => { this.editing = null; }}>${t(loc, 'cancel')}</button>
      </div>
    </form>`;
  }
}
