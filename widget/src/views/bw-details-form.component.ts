// Name, email, optional phone and the service's intake questions, validated inline (on leaving a
// field and on submit; the first invalid field takes focus). The values live in the parent
// widget (every keystroke is reported), so nothing typed is lost on a 409, an error or a retry.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-details-form.styles.ts';
import { t, type MessageKey } from '../i18n.ts';
import { notify } from '../events.ts';
import type { DetailsValues, PublicService } from '../types.ts';

type Question = PublicService['intakeQuestions'][number];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The API's own rule (shared/bookings.ts VisitorInput.phone).
const PHONE = /^\+?[0-9 ()./-]{5,30}$/;

/** The message key for a field's current value, or null when it is valid. */
export function validateField(type: string, required: boolean, value: string | boolean | undefined): MessageKey | null {
  if (type === 'checkbox') return required && value !== true ? 'required' : null;
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return required ? 'required' : null;
  if (type === 'email' && !EMAIL.test(v)) return 'invalidEmail';
  if (type === 'phone' && !PHONE.test(v)) return 'invalidPhone';
  return null;
}

/**
 * @fires bw-details-change - detail: DetailsValues (after every edit)
 * @fires bw-details-submit - detail: DetailsValues (valid, on submit)
 * @csspart form - the form
 * @csspart submit - the Book button
 */
export class BwDetailsForm extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    service: { attribute: false },
    values: { attribute: false },
    locale: { type: String },
    busy: { type: Boolean },
    serverErrors: { attribute: false },
    api: { type: String },
    touched: { state: true },
    edited: { state: true },
  };
  declare service: PublicService | null;
  declare values: DetailsValues;
  declare locale: string;
  declare busy: boolean;
  /** Messages the API gave for fields (key: "name", "email", "phone", "q-<id>"), shown until edited. */
  declare serverErrors: Record<string, string>;
  /** API origin, for file questions' uploads. */
  declare api: string;
  declare touched: Set<string>;
  /** Fields edited since the server's errors came: their server message no longer applies. */
  declare edited: Set<string>;

  constructor() {
    super();
    this.service = null;
    this.values = { name: '', email: '', phone: '', answers: {} };
    this.locale = 'en';
    this.busy = false;
    this.serverErrors = {};
    this.api = '';
    this.touched = new Set();
    this.edited = new Set();
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('serverErrors')) this.edited = new Set();
    // Document questions bring their own element, a chunk only such services load.
    if (this.service?.intakeQuestions.some((q) => q.type === 'file') && !customElements.get('bw-file-field')) {
      import('./bw-file-field.ts').then(() => this.requestUpdate(), () => {});
    }
  }

  protected override updated(changed: Map<string, unknown>) {
    // A field the server refused takes focus, as a client-side error would.
    const first = Object.keys(this.serverErrors)[0];
    if (changed.has('serverErrors') && first) this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(first)}`)?.focus();
  }

  /** Every field as [key, type, required, value], the fixed ones first. */
  private fields(): [string, string, boolean, string | boolean | undefined, Question | null][] {
    const v = this.values;
    return [
      ['name', 'text', true, v.name, null],
      ['email', 'email', true, v.email, null],
      ['phone', 'phone', false, v.phone, null],
      ...(this.service?.intakeQuestions ?? []).map((q) => [`q-${q.id}`, q.type, q.required, v.answers[q.id], q] as [string, string, boolean, string | boolean | undefined, Question]),
    ];
  }

  private set(key: string, value: string | boolean) {
    const v = this.values;
    const next: DetailsValues = key.startsWith('q-')
      ? { ...v, answers: { ...v.answers, [key.slice(2)]: value } }
      : { ...v, [key]: value };
    this.values = next;
    if (key in this.serverErrors) this.edited = new Set(this.edited).add(key);
    notify(this, 'bw-details-change', next);
  }

  private touch(key: string) {
    this.touched = new Set(this.touched).add(key);
  }

  private submit(e: Event) {
    e.preventDefault();
    const fields = this.fields();
    this.touched = new Set(fields.map(([k]) => k));
    const bad = fields.find(([, type, req, value]) => validateField(type, req, value));
    if (bad) {
      this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${bad[0]}`)?.focus());
      return;
    }
    notify(this, 'bw-details-submit', this.values);
  }

  override render() {
    const loc = this.locale;
    return html`
      <form part="form" novalidate @submit=${this.submit}>
        ${this.fields().map(([key, type, required, value, q]) => {
          const label = q ? q.label : t(loc, key === 'name' ? 'name' : key === 'email' ? 'email' : 'phone');
          const error = this.touched.has(key) ? validateField(type, required, value) : null;
          return this.field(key, type, required, value, label, error ? t(loc, error) : (this.edited.has(key) ? null : this.serverErrors[key] ?? null), q);
        })}
        <div><button class="primary" part="submit" type="submit" ?disabled=${this.busy} aria-disabled=${this.busy ? 'true' : 'false'}>
          ${t(loc, this.busy ? 'booking' : this.service?.payment === 'prepay' ? 'payAndBook' : 'book')}</button></div>
      </form>
    `;
  }

  private field(key: string, type: string, required: boolean, value: string | boolean | undefined, label: string, error: string | null, q: Question | null) {
    const loc = this.locale;
    const errId = `${key}-error`;
    const common = {
      invalid: error ? 'true' : 'false',
      describedby: error ? errId : undefined,
    };
    const onInput = (e: Event) => this.set(key, (e.target as HTMLInputElement).value);
    const blur = () => this.touch(key);
    const mark = required && key.startsWith('q-') ? html` <span class="req" aria-hidden="true">*</span>` : nothing;
    const msg = error ? html`<p class="error" id=${errId}>${error}</p>` : nothing;
    const autocomplete = key === 'name' ? 'name' : key === 'email' ? 'email' : key === 'phone' ? 'tel' : 'off';
    if (type === 'file' && q) {
      return html`<div><bw-file-field id=${key} .question=${q} value=${String(value ?? '')} api=${this.api} service=${this.service?.id ?? ''}
        locale=${loc} error=${error ?? ''} @bw-file-change=${(e: CustomEvent<string>) => { e.stopPropagation(); this.set(key, e.detail); this.touch(key); }}></bw-file-field></div>`;
    }
    if (type === 'checkbox') {
      return html`<div>
        <label class="check"><input id=${key} type="checkbox" .checked=${value === true} ?required=${required}
          aria-invalid=${common.invalid} aria-describedby=${common.describedby ?? nothing}
          @change=${(e: Event) => { this.set(key, (e.target as HTMLInputElement).checked); this.touch(key); }}>${label}${mark}</label>${msg}
      </div>`;
    }
    let control;
    if (type === 'textarea') {
      control = html`<textarea id=${key} .value=${String(value ?? '')} ?required=${required} aria-invalid=${common.invalid}
        aria-describedby=${common.describedby ?? nothing} @input=${onInput} @blur=${blur}></textarea>`;
    } else if (type === 'select') {
      control = html`<select id=${key} ?required=${required} aria-invalid=${common.invalid} aria-describedby=${common.describedby ?? nothing}
        @change=${(e: Event) => { onInput(e); this.touch(key); }}>
        <option value="" ?selected=${!value}>${t(loc, 'selectPlaceholder')}</option>
        ${(q?.options ?? []).map((o) => html`<option value=${o} ?selected=${value === o}>${o}</option>`)}
      </select>`;
    } else {
      const inputType = type === 'phone' ? 'tel' : type === 'email' ? 'email' : 'text';
      control = html`<input id=${key} type=${inputType} .value=${String(value ?? '')} ?required=${required} autocomplete=${autocomplete}
        aria-invalid=${common.invalid} aria-describedby=${common.describedby ?? nothing} @input=${onInput} @blur=${blur}>`;
    }
    return html`<div><label for=${key}>${label}${mark}</label>${control}${msg}</div>`;
  }
}
