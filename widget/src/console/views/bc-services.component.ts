// The practice's services, for the site owner: every field of a service (duration, price,
// buffers, start times, notice, horizon, daily cap, approval, cancellation policy, video and
// recording, intake questions) and who offers it. New services start every 15 minutes with 2
// hours' notice unless set otherwise; the server checks the rules and names the field it refuses.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatMoney } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-services.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import { checked, fieldOf, slugify, valueOf } from '../forms.ts';
import type { AdminService, AdminSpecialist } from '../api.ts';
import type { FileType } from '../../../../shared/schemas.ts';

type Question = AdminService['intakeQuestions'][number];
const MB = 1024 * 1024;
// shared/schemas.ts's FILE_TYPES and MAX_FILE_BYTES, repeated as plain values: importing them would ship TypeBox.
const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const satisfies readonly FileType[];
const MAX_FILE_BYTES = 10 * MB;
const FILE_TYPE_NAMES: Record<FileType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };
const QUESTION_TYPES: Question['type'][] = ['text', 'textarea', 'select', 'email', 'phone', 'checkbox', 'file'];
const POLICIES = ['flexible', 'moderate', 'strict', 'none'] as const;

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY). */
function digits(currency: string): number {
  try { return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2; } catch { return 2; }
}

/** "90" or "90.50" in major units -> minor units; NaN when unreadable. */
export function toMinor(amount: string, currency: string): number {
  const n = Number(amount.replace(',', '.'));
  return Number.isFinite(n) ? Math.round(n * 10 ** digits(currency)) : Number.NaN;
}

/**
 * @customElement bc-services
 * @csspart services - the panel
 */
export class BcServices extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    editing: { state: true }, questions: { state: true }, slugTouched: { state: true }, formError: { state: true }, field: { state: true },
    busy: { state: true },
  };
  declare editing: string | 'new' | null;
  declare questions: Question[];
  declare slugTouched: boolean;
  declare formError: string;
  declare field: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.editing = null;
    this.questions = [];
    this.slugTouched = false;
    this.formError = '';
    this.field = null;
    this.busy = false;
  }

  private data = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      const [sv, sp] = await Promise.all([api.adminServices(signal), api.specialists(signal)]);
      return { services: sv.services, specialists: sp.specialists.filter((s) => !s.archivedAt) };
    },
  });

  private async open(editing: string | 'new' | null) {
    this.editing = editing;
    this.formError = '';
    this.field = null;
    this.slugTouched = editing !== 'new';
    const s = this.data.value?.services.find((x) => x.id === editing);
    this.questions = s ? s.intakeQuestions.map((q) => ({ ...q })) : [];
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#sv-name')?.focus();
  }

  private body(root: HTMLFormElement, existing: AdminService | undefined) {
    const num = (id: string) => Number(valueOf(root, id));
    const optional = (id: string) => (valueOf(root, id) === '' ? null : num(id));
    const currency = valueOf(root, 'sv-currency').toUpperCase();
    const price = valueOf(root, 'sv-price');
    const step = valueOf(root, 'sv-step');
    return {
      ...(existing ? {} : { slug: valueOf(root, 'sv-slug') }),
      ...(existing && valueOf(root, 'sv-slug') !== existing.slug ? { slug: valueOf(root, 'sv-slug') } : {}),
      name: valueOf(root, 'sv-name'),
      description: valueOf(root, 'sv-description'),
      durationMin: num('sv-duration'),
      priceCents: price === '' ? null : toMinor(price, currency || 'EUR'),
      currency: price === '' ? null : currency || null,
      bufferBeforeMin: num('sv-buffer-before'),
      bufferAfterMin: num('sv-buffer-after'),
      slotStepMin: step === 'duration' ? null : Number(step),
      minNoticeMin: Math.round(num('sv-notice') * 60),
      horizonDays: num('sv-horizon'),
      maxPerDay: optional('sv-max'),
      requiresApproval: checked(root, 'sv-approval'),
      cancellationPolicy: valueOf(root, 'sv-policy') as AdminService['cancellationPolicy'],
      videoEnabled: checked(root, 'sv-video'),
      recordingEnabled: checked(root, 'sv-recording'),
      // A document question takes PDF, JPEG, PNG and WebP up to 10 MiB unless the API set narrower limits.
      intakeQuestions: this.questions.map((q) => ({
        ...q, options: q.type === 'select' ? (q.options ?? []) : undefined,
        accept: q.type === 'file' ? q.accept : undefined, maxBytes: q.type === 'file' ? q.maxBytes : undefined,
      })),
    };
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const root = e.target as HTMLFormElement;
    const existing = this.data.value?.services.find((x) => x.id === this.editing);
    const offeredBy = [...root.querySelectorAll<HTMLInputElement>('input[name="offered"]:checked')].map((i) => i.value);
    this.busy = true;
    this.formError = '';
    this.field = null;
    try {
      const body = this.body(root, existing);
      const saved = existing ? await this.api.updateService(existing.id, body) : await this.api.createService(body as Parameters<typeof this.api.createService>[0]);
      if (offeredBy.join() !== saved.specialists.join() || !existing) await this.api.offerService(saved.id, offeredBy);
      this.message = t(this.locale, existing ? 'serviceSaved' : 'serviceAdded', { name: saved.name });
      this.editing = null;
      this.data.run();
    } catch (err) {
      this.formError = this.problem(err);
      this.field = fieldOf(err);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.editor [aria-invalid="true"], .editor [role="alert"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private async act(fn: () => Promise<unknown>, done: ConsoleKey, name: string) {
    this.error = null;
    try {
      await fn();
      this.message = t(this.locale, done, { name });
      this.data.run();
    } catch (err) {
      this.error = err;
    }
  }

  private setQuestion(i: number, patch: Partial<Question>) {
    this.questions = this.questions.map((q, k) => (k === i ? { ...q, ...patch } : q));
  }

  override render() {
    const loc = this.locale;
    return html`<div part="services">
      <div class="head">
        <h2 tabindex="-1">${t(loc, 'servicesTitle')}</h2>
        ${this.editing === 'new' ? nothing : html`<button class="primary" id="add-service" @click=${() => this.open('new')}>${t(loc, 'addService')}</button>`}
      </div>
      ${this.notices()}
      ${this.data.render({
        pending: () => (this.data.value ? this.content() : this.loading()),
        complete: () => this.content(),
        error: (e) => this.alert(e, () => this.data.run()),
      })}
    </div>`;
  }

  private content() {
    const loc = this.locale;
    const { services, specialists } = this.data.value!;
    const names = new Map(specialists.map((s) => [s.id, s.name]));
    return html`
      ${this.editing === 'new' ? this.form(undefined, specialists) : nothing}
      ${services.length === 0 && this.editing !== 'new' ? html`<p class="empty">${t(loc, 'noServices')}</p>` : nothing}
      <ul class="plain">${services.map((s) => html`<li class="card">
        ${this.editing === s.id ? this.form(s, specialists) : html`
          <div class="head"><h3>${s.name}</h3>${s.archivedAt ? html`<span class="badge archived">${t(loc, 'archived')}</span>` : nothing}</div>
          <p class="muted">${t(loc, 'serviceLine', {
            min: s.durationMin, price: s.priceCents !== null && s.currency ? formatMoney(s.priceCents, s.currency, loc) : t(loc, 'free'),
            step: s.slotStepMin ?? s.durationMin, notice: Math.round(s.minNoticeMin / 6) / 10,
          })}${s.requiresApproval ? ` · ${t(loc, 'needsApproval')}` : ''}</p>
          <p class="hint">${s.specialists.length ? t(loc, 'offeredBy', { names: s.specialists.map((id) => names.get(id) ?? '—').join(', ') }) : t(loc, 'offeredByNobody')}</p>
          <div class="actions">
            <button @click=${() => this.open(s.id)}>${t(loc, 'edit')}</button>
            <button class=${s.archivedAt ? '' : 'danger'} @click=${() => this.act(() => this.api.archiveService(s.id, !s.archivedAt), s.archivedAt ? 'restored' : 'archivedDone', s.name)}>${t(loc, s.archivedAt ? 'restore' : 'archive')}</button>
          </div>`}
      </li>`)}</ul>`;
  }

  /** A document question's limits: which of the accepted formats, and the largest size (MB). */
  private fileLimits(q: Question, i: number) {
    const loc = this.locale;
    const accept = new Set(q.accept ?? FILE_TYPES);
    const toggle = (type: FileType, on: boolean) => {
      const next = FILE_TYPES.filter((ty) => (ty === type ? on : accept.has(ty)));
      this.setQuestion(i, { accept: next.length === FILE_TYPES.length ? undefined : next });
    };
    return html`<fieldset class="file-limits"><legend>${t(loc, 'fileTypes')}</legend>
      ${FILE_TYPES.map((ty) => html`<label class="check"><input type="checkbox" .checked=${accept.has(ty)} ?disabled=${accept.size === 1 && accept.has(ty)}
        @change=${(e: Event) => toggle(ty, (e.target as HTMLInputElement).checked)}>${FILE_TYPE_NAMES[ty]}</label>`)}
      <div class="field"><label for="q-${i}-max">${t(loc, 'fileMaxMb')}</label>
        <input id="q-${i}-max" type="number" min="1" max=${MAX_FILE_BYTES / MB} step="1" inputmode="numeric" .value=${String(Math.round((q.maxBytes ?? MAX_FILE_BYTES) / MB))}
          @change=${(e: Event) => {
            const mb = Math.min(MAX_FILE_BYTES / MB, Math.max(1, Math.round(Number((e.target as HTMLInputElement).value) || 10)));
            this.setQuestion(i, { maxBytes: mb * MB >= MAX_FILE_BYTES ? undefined : mb * MB });
          }}></div>
    </fieldset>`;
  }

  private form(s: AdminService | undefined, specialists: AdminSpecialist[]) {
    const loc = this.locale;
    const err = (f: string) => (this.field !== null && (this.field === f || this.field.startsWith(`${f}[`)) ? this.formError : '');
    const described = (id: string, hint?: boolean) => `${id}-error${hint ? ` ${id}-hint` : ''}`;
    const num = (id: string, field: string, label: string, value: number | string, o: { min?: number; max?: number; step?: string; hint?: string } = {}) => html`
      <div class="field"><label for=${id}>${label}</label>
        ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing}
        <input id=${id} type="number" inputmode="numeric" min=${o.min ?? 0} max=${o.max ?? nothing} step=${o.step ?? '1'} .value=${String(value)}
          aria-invalid=${err(field) ? 'true' : 'false'} aria-describedby=${described(id, !!o.hint)}>
        <p id="${id}-error" class="error" ?hidden=${!err(field)}>${err(field)}</p></div>`;
    const price = s && s.priceCents !== null && s.currency ? (s.priceCents / 10 ** digits(s.currency)).toFixed(digits(s.currency)) : '';
    const stepValue = s ? (s.slotStepMin === null ? 'duration' : String(s.slotStepMin)) : '15';
    const steps = [...new Set([5, 10, 15, 20, 30, 45, 60, 90, 120, ...(s?.slotStepMin ? [s.slotStepMin] : [])])].sort((a, b) => a - b);
    const offered = new Set(s?.specialists ?? specialists.map((x) => x.id));
    return html`<form class="card editor" @submit=${this.submit} novalidate aria-labelledby="sv-form-title">
      <h3 id="sv-form-title">${s ? t(loc, 'editService', { name: s.name }) : t(loc, 'addService')}</h3>
      ${this.formError && !this.field ? html`<p class="notice bad" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
      ${this.field?.startsWith('intakeQuestions') ? html`<p class="notice bad" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
      <div class="grid">
        <div class="field"><label for="sv-name">${t(loc, 'name')}</label>
          <input id="sv-name" required .value=${s?.name ?? ''} aria-invalid=${err('name') ? 'true' : 'false'} aria-describedby="sv-name-error"
            @input=${(e: Event) => { if (!this.slugTouched) { const slug = this.renderRoot.querySelector<HTMLInputElement>('#sv-slug'); if (slug) slug.value = slugify((e.target as HTMLInputElement).value); } }}>
          <p id="sv-name-error" class="error" ?hidden=${!err('name')}>${err('name')}</p></div>
        <div class="field"><label for="sv-slug">${t(loc, 'slug')}</label><p class="hint" id="sv-slug-hint">${t(loc, 'slugHint')}</p>
          <input id="sv-slug" required .value=${s?.slug ?? ''} aria-invalid=${err('slug') ? 'true' : 'false'} aria-describedby="sv-slug-error sv-slug-hint"
            @input=${() => { this.slugTouched = true; }}>
          <p id="sv-slug-error" class="error" ?hidden=${!err('slug')}>${err('slug')}</p></div>
        ${num('sv-duration', 'durationMin', t(loc, 'durationMin'), s?.durationMin ?? 50, { min: 5, max: 1440, step: '5' })}
        <div class="field"><label for="sv-step">${t(loc, 'startsEvery')}</label>
          <select id="sv-step" aria-invalid=${err('slotStepMin') ? 'true' : 'false'} aria-describedby="sv-step-error">
            <option value="duration" ?selected=${stepValue === 'duration'}>${t(loc, 'stepDuration')}</option>
            ${steps.map((m) => html`<option value=${m} ?selected=${stepValue === String(m)}>${t(loc, 'everyMin', { n: m })}</option>`)}
          </select><p id="sv-step-error" class="error" ?hidden=${!err('slotStepMin')}>${err('slotStepMin')}</p></div>
        <div class="field"><label for="sv-price">${t(loc, 'price')}</label><p class="hint" id="sv-price-hint">${t(loc, 'priceHint')}</p>
          <input id="sv-price" inputmode="decimal" .value=${price} aria-invalid=${err('priceCents') ? 'true' : 'false'} aria-describedby="sv-price-error sv-price-hint">
          <p id="sv-price-error" class="error" ?hidden=${!err('priceCents')}>${err('priceCents')}</p></div>
        <div class="field"><label for="sv-currency">${t(loc, 'currency')}</label>
          <input id="sv-currency" maxlength="3" .value=${s?.currency ?? 'EUR'} autocapitalize="characters" aria-invalid=${err('currency') ? 'true' : 'false'} aria-describedby="sv-currency-error">
          <p id="sv-currency-error" class="error" ?hidden=${!err('currency')}>${err('currency')}</p></div>
        ${num('sv-buffer-before', 'bufferBeforeMin', t(loc, 'bufferBefore'), s?.bufferBeforeMin ?? 0, { max: 1440, step: '5' })}
        ${num('sv-buffer-after', 'bufferAfterMin', t(loc, 'bufferAfter'), s?.bufferAfterMin ?? 0, { max: 1440, step: '5' })}
        ${num('sv-notice', 'minNoticeMin', t(loc, 'noticeHours'), s ? s.minNoticeMin / 60 : 2, { step: '0.25' })}
        ${num('sv-horizon', 'horizonDays', t(loc, 'horizonDays'), s?.horizonDays ?? 60, { min: 1, max: 730 })}
        ${num('sv-max', 'maxPerDay', t(loc, 'maxPerDay'), s?.maxPerDay ?? '', { min: 1, hint: t(loc, 'maxPerDayHint') })}
        <div class="field"><label for="sv-policy">${t(loc, 'cancellationPolicy')}</label>
          <select id="sv-policy">${POLICIES.map((p) => html`<option value=${p} ?selected=${(s?.cancellationPolicy ?? 'flexible') === p}>${t(loc, `policy_${p}` as ConsoleKey)}</option>`)}</select></div>
      </div>
      <div class="field"><label for="sv-description">${t(loc, 'description')}</label><textarea id="sv-description" rows="2" maxlength="5000" .value=${s?.description ?? ''}></textarea></div>
      <fieldset><legend>${t(loc, 'options')}</legend>
        <label class="check"><input type="checkbox" id="sv-approval" ?checked=${s?.requiresApproval ?? false}>${t(loc, 'requiresApproval')}</label>
        <label class="check"><input type="checkbox" id="sv-video" ?checked=${s?.videoEnabled ?? true}>${t(loc, 'videoEnabled')}</label>
        <label class="check"><input type="checkbox" id="sv-recording" ?checked=${s?.recordingEnabled ?? false}>${t(loc, 'recordingEnabled')}</label>
        ${err('recordingEnabled') ? html`<p class="error" role="alert">${err('recordingEnabled')}</p>` : nothing}
      </fieldset>
      <fieldset><legend>${t(loc, 'intakeQuestions')}</legend>
        ${this.questions.length === 0 ? html`<p class="hint">${t(loc, 'noQuestions')}</p>` : nothing}
        ${this.questions.map((q, i) => html`<div class="question" role="group" aria-label=${t(loc, 'questionN', { n: i + 1 })}>
          <div class="field"><label for="q-${i}-label">${t(loc, 'questionLabel')}</label>
            <input id="q-${i}-label" .value=${q.label} @change=${(e: Event) => this.setQuestion(i, { label: (e.target as HTMLInputElement).value, ...(q.id ? {} : { id: slugify((e.target as HTMLInputElement).value).replace(/-/g, '_').slice(0, 40) || `q${i + 1}` }) })}></div>
          <div class="field"><label for="q-${i}-type">${t(loc, 'questionType')}</label>
            <select id="q-${i}-type" @change=${(e: Event) => this.setQuestion(i, { type: (e.target as HTMLSelectElement).value as Question['type'] })}>
              ${QUESTION_TYPES.map((ty) => html`<option value=${ty} ?selected=${q.type === ty}>${t(loc, `qtype_${ty}` as ConsoleKey)}</option>`)}</select></div>
          ${q.type === 'select' ? html`<div class="field"><label for="q-${i}-options">${t(loc, 'questionOptions')}</label>
            <p class="hint" id="q-${i}-options-hint">${t(loc, 'questionOptionsHint')}</p>
            <textarea id="q-${i}-options" rows="2" aria-describedby="q-${i}-options-hint" .value=${(q.options ?? []).join('\n')}
              @change=${(e: Event) => this.setQuestion(i, { options: (e.target as HTMLTextAreaElement).value.split('\n').map((o) => o.trim()).filter(Boolean) })}></textarea></div>` : nothing}
          ${q.type === 'file' ? this.fileLimits(q, i) : nothing}
          <label class="check"><input type="checkbox" .checked=${q.required} @change=${(e: Event) => this.setQuestion(i, { required: (e.target as HTMLInputElement).checked })}>${t(loc, 'required')}</label>
          <button type="button" class="link remove" @click=${() => { this.questions = this.questions.filter((_, k) => k !== i); }}>${t(loc, 'removeQuestion')}</button>
        </div>`)}
        <button type="button" class="link" @click=${() => { this.questions = [...this.questions, { id: '', label: '', type: 'text', required: false }]; }}>+ ${t(loc, 'addQuestion')}</button>
      </fieldset>
      <fieldset><legend>${t(loc, 'whoOffers')}</legend>
        ${specialists.length === 0 ? html`<p class="hint">${t(loc, 'noSpecialistsYet')}</p>` : specialists.map((sp) => html`<label class="check">
          <input type="checkbox" name="offered" value=${sp.id} ?checked=${offered.has(sp.id)}>${sp.name}</label>`)}
      </fieldset>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t(loc, s ? 'save' : 'addService')}</button>
        <button type="button" @click=${() => { this.editing = null; }}>${t(loc, 'cancel')}</button>
      </div>
    </form>`;
  }
}
