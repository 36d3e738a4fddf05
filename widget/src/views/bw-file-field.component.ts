// A file question of the details form: the visitor picks a document, it is checked here for type
// and size (the server checks the content again), uploaded at once with visible progress, and
// its upload id becomes the answer. A lazy chunk with its own strings: only services that ask for
// documents load it. Progress and the outcome are announced (role=status); errors are alerts.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-file-field.styles.ts';
import { notify } from '../events.ts';
import { language } from '../catalog.ts';
import { ApiError, NetworkError } from '../api.ts';
import type { PublicService } from '../types.ts';

type Question = PublicService['intakeQuestions'][number];
export interface Uploaded { id: string; name: string; size: number }
/** Sends one file; `progress` gets 0..1. Replaceable in tests. */
export type Uploader = (url: string, file: File, progress: (fraction: number) => void) => Promise<Uploaded>;

const TYPES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' } as const;
const MAX = 10 * 1024 * 1024;

const S = {
  en: { hint: '{types}, up to {size}', uploading: 'Uploading {name}: {percent}%', attached: 'Attached: {name} ({size})', remove: 'Remove file',
    tooLarge: 'This file is larger than {size}.', wrongType: 'This file type is not accepted here. Choose {types}.', failed: 'The upload failed: {message}',
    offline: 'The upload failed: check your connection and choose the file again.', progress: 'Upload progress' },
  de: { hint: '{types}, bis {size}', uploading: '{name} wird hochgeladen: {percent} %', attached: 'Angehängt: {name} ({size})', remove: 'Datei entfernen',
    tooLarge: 'Diese Datei ist größer als {size}.', wrongType: 'Dieser Dateityp wird hier nicht angenommen. Wählen Sie {types}.', failed: 'Das Hochladen ist fehlgeschlagen: {message}',
    offline: 'Das Hochladen ist fehlgeschlagen: Prüfen Sie Ihre Verbindung und wählen Sie die Datei erneut.', progress: 'Fortschritt des Hochladens' },
  ru: { hint: '{types}, до {size}', uploading: 'Загрузка {name}: {percent}%', attached: 'Прикреплено: {name} ({size})', remove: 'Удалить файл',
    tooLarge: 'Файл больше {size}.', wrongType: 'Такой тип файла здесь не принимается. Выберите {types}.', failed: 'Не удалось загрузить: {message}',
    offline: 'Не удалось загрузить: проверьте соединение и выберите файл снова.', progress: 'Ход загрузки' },
};
type Key = keyof typeof S.en;
const ft = (locale: string, key: Key, vars: Record<string, string> = {}) => S[language(locale)][key].replace(/\{(\w+)\}/g, (_, n: string) => vars[n] ?? '');

const size = (bytes: number, locale: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: bytes >= 1024 * 1024 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 })
  .format(bytes >= 1024 * 1024 ? bytes / 1024 / 1024 : Math.max(1, Math.round(bytes / 1024)));

/** Names of this page's uploads, so a form drawn again (after a conflict) still says what is attached. */
const names = new Map<string, Uploaded>();

/** XMLHttpRequest, not fetch: only it reports upload progress. */
export const xhrUpload: Uploader = (url, file, progress) => new Promise((resolve, reject) => {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
  xhr.setRequestHeader('accept', 'application/json');
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
  xhr.onload = () => {
    let body: { error?: string; message?: string } & Partial<Uploaded> = {};
    try { body = JSON.parse(xhr.responseText); } catch { /* a proxy's page */ }
    if (xhr.status === 201 && body.id) resolve(body as Uploaded);
    else reject(new ApiError(xhr.status, { error: body.error ?? `http_${xhr.status}`, message: body.message ?? xhr.statusText }));
  };
  xhr.onerror = () => reject(new NetworkError(new TypeError('upload failed')));
  xhr.send(file);
});

/**
 * @fires bw-file-change - detail: the upload id, or '' when removed
 */
export class BwFileField extends LitElement {
  static override styles = [base, styles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    question: { attribute: false }, value: { type: String }, api: { type: String }, service: { type: String }, locale: { type: String },
    error: { type: String }, uploader: { attribute: false }, percent: { state: true }, problem: { state: true }, sending: { state: true },
  };
  declare question: Question;
  /** The upload id answering the question ('' before one). */
  declare value: string;
  declare api: string;
  /** The service id the upload is for. */
  declare service: string;
  declare locale: string;
  /** The form's message for this field (required, the server's). */
  declare error: string;
  declare uploader: Uploader;
  declare percent: number | null;
  declare problem: string;
  /** The name of the file being uploaded. */
  declare sending: string;

  constructor() {
    super();
    this.value = '';
    this.api = '';
    this.service = '';
    this.locale = 'en';
    this.error = '';
    this.uploader = xhrUpload;
    this.percent = null;
    this.problem = '';
    this.sending = '';
  }

  private get accepted(): (keyof typeof TYPES)[] {
    return (this.question.accept as (keyof typeof TYPES)[] | undefined) ?? (Object.keys(TYPES) as (keyof typeof TYPES)[]);
  }

  private get limit(): number {
    return Math.min(this.question.maxBytes ?? MAX, MAX);
  }

  private async pick(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const loc = this.locale;
    const types = this.accepted.map((t) => TYPES[t]).join(', ');
    this.problem = '';
    // Early answers for the common mistakes; the server reads the content itself.
    if (file.size > this.limit) this.problem = ft(loc, 'tooLarge', { size: size(this.limit, loc) });
    else if (file.type && !(this.accepted as string[]).includes(file.type)) this.problem = ft(loc, 'wrongType', { types });
    if (this.problem) { input.value = ''; return; }
    this.percent = 0;
    this.sending = file.name;
    const q = new URLSearchParams({ service: this.service, question: this.question.id, name: file.name });
    try {
      const up = await this.uploader(`${this.api.replace(/\/+$/, '')}/api/uploads?${q}`, file, (f) => { this.percent = Math.round(f * 100); });
      names.set(up.id, up);
      notify(this, 'bw-file-change', up.id);
    } catch (err) {
      this.problem = err instanceof ApiError ? ft(loc, 'failed', { message: err.message }) : ft(loc, 'offline');
      input.value = '';
    } finally {
      this.percent = null;
    }
  }

  private clear() {
    notify(this, 'bw-file-change', '');
    const input = this.renderRoot.querySelector('input');
    if (input) { input.value = ''; input.focus(); }
  }

  override render() {
    const loc = this.locale;
    const q = this.question;
    const up = this.value ? names.get(this.value) : undefined;
    const message = this.problem || this.error;
    const hint = ft(loc, 'hint', { types: this.accepted.map((t) => TYPES[t]).join(', '), size: size(this.limit, loc) });
    return html`
      <label for="file">${q.label}${q.required ? html` <span class="req" aria-hidden="true">*</span>` : nothing}</label>
      <input id="file" type="file" accept=${this.accepted.join(',')} ?required=${q.required} ?disabled=${this.percent !== null}
        aria-invalid=${message ? 'true' : 'false'} aria-describedby="hint ${message ? 'error' : ''}" @change=${this.pick}>
      <p id="hint" class="hint">${hint}</p>
      <div role="status" class="status">
        ${this.percent !== null ? html`<span>${ft(loc, 'uploading', { name: this.sending, percent: String(this.percent) })}</span>
          <progress max="100" value=${this.percent} aria-label=${ft(loc, 'progress')}></progress>` : nothing}
        ${this.percent === null && this.value ? html`<span>${ft(loc, 'attached', { name: up?.name ?? '', size: up ? size(up.size, loc) : '' })}</span>` : nothing}
      </div>
      ${this.percent === null && this.value ? html`<button type="button" class="link" @click=${this.clear}>${ft(loc, 'remove')}</button>` : nothing}
      ${message ? html`<p class="error" id="error" role=${this.problem ? 'alert' : nothing}>${message}</p>` : nothing}
    `;
  }
}
