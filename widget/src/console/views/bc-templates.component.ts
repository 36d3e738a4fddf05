// The site owner's message texts: every message kind, to visitors and to specialists, with the
// languages in which the owner has replaced the built-in subject or opening paragraph; an
// editor for one kind and language with the variables it may use (inserted where the cursor
// is), a live preview the server renders with sample data (escaped there; shown here as text and
// in a sandboxed frame), saving, and going back to the built-in text. The API's errors (an
// unknown {{variable}}, a text too long) are shown beside the field they name.
import { html, nothing } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-templates.styles.ts';
import { t, type ConsoleKey } from '../i18n.ts';
import { fieldOf } from '../forms.ts';
import type { ConsoleApi, RenderedMessage, TemplateLocale, TemplateOverride, TemplateTexts } from '../api.ts';

/** Each language in its own name. */
const LANGUAGES: Record<TemplateLocale, string> = { en: 'English', de: 'Deutsch', ru: 'Русский' };
const LOCALES = Object.keys(LANGUAGES) as TemplateLocale[];
/** How long typing pauses before the preview is asked for. */
const PREVIEW_DELAY_MS = 300;

type Field = 'subject' | 'body';
interface Draft { subject: string; body: string }

/** What the API stores for a draft: an empty field is the built-in text. */
const texts = (d: Draft): TemplateTexts => ({ subject: d.subject.trim() || null, body: d.body.trim() || null });

/**
 * @customElement bc-templates
 * @csspart templates - the panel
 */
export class BcTemplates extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    editing: { state: true }, draft: { state: true }, previewed: { state: true },
    formError: { state: true }, field: { state: true }, busy: { state: true },
  };
  /** The kind and language being edited. */
  declare editing: { kind: string; lang: TemplateLocale } | null;
  declare draft: Draft;
  /** The draft the preview shows (the draft after typing paused). */
  declare previewed: Draft | null;
  declare formError: string;
  declare field: Field | null;
  declare busy: boolean;
  /** The field a variable is inserted into: the one last focused. */
  private target: Field = 'body';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.editing = null;
    this.draft = { subject: '', body: '' };
    this.previewed = null;
    this.formError = '';
    this.field = null;
    this.busy = false;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => api.templates(signal),
  });

  /** The built-in texts of the kind being edited (for the subject's placeholder). */
  private builtIn = new Task(this, {
    args: () => [this.api, this.editing] as const,
    task: async ([api, editing], { signal }) => (editing ? api.previewTemplate(editing.kind, editing.lang, { subject: null, body: null }, signal) : null),
  });

  private preview: Task<readonly [ConsoleApi, BcTemplates['editing'], Draft | null], RenderedMessage | null> = new Task(this, {
    args: () => [this.api, this.editing, this.previewed] as const,
    task: async ([api, editing, draft], { signal }): Promise<RenderedMessage | null> => {
      if (!editing || !draft) return null;
      try {
        const out = await api.previewTemplate(editing.kind, editing.lang, texts(draft), signal);
        if (this.field !== null && !this.busy) { this.field = null; this.formError = ''; }
        return out;
      } catch (err) {
        // An unknown variable belongs beside its field; the preview keeps its last good state.
        const f = fieldOf(err);
        if (f === 'subject' || f === 'body') { this.field = f; this.formError = this.problem(err); return this.preview.value ?? null; }
        throw err;
      }
    },
  });

  private overrideOf(overrides: TemplateOverride[], kind: string, lang: TemplateLocale) {
    return overrides.find((o) => o.kind === kind && o.locale === lang) ?? null;
  }

  private async open(kind: string, lang: TemplateLocale, saved: TemplateOverride | null) {
    this.editing = { kind, lang };
    this.draft = { subject: saved?.subject ?? '', body: saved?.body ?? '' };
    this.previewed = { ...this.draft };
    this.message = '';
    this.error = null;
    this.formError = '';
    this.field = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#tpl-editor-title')?.focus();
  }

  private edit(field: Field, value: string) {
    this.draft = { ...this.draft, [field]: value };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.previewed = { ...this.draft }; }, PREVIEW_DELAY_MS);
  }

  /** Puts {{name}} where the cursor is in the field last focused, and returns focus there. */
  private insert(name: string) {
    const el = this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#tpl-${this.target}`);
    if (!el) return;
    const token = `{{${name}}}`;
    const at = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? at;
    el.value = el.value.slice(0, at) + token + el.value.slice(end);
    el.focus();
    el.setSelectionRange(at + token.length, at + token.length);
    this.edit(this.target, el.value);
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const editing = this.editing!;
    const body = texts(this.draft);
    await this.write(async () => {
      // Both fields empty: nothing of the owner's is left, which is the built-in text.
      if (body.subject === null && body.body === null) await this.api.resetTemplate(editing.kind, editing.lang);
      else await this.api.saveTemplate(editing.kind, editing.lang, body);
    }, 'templateSaved');
  }

  private async reset() {
    const editing = this.editing!;
    await this.write(() => this.api.resetTemplate(editing.kind, editing.lang), 'templateReset');
    this.draft = { subject: '', body: '' };
    this.previewed = { ...this.draft };
  }

  private async write(fn: () => Promise<unknown>, done: ConsoleKey) {
    const editing = this.editing!;
    this.busy = true;
    this.formError = '';
    this.field = null;
    this.error = null;
    this.message = '';
    try {
      await fn();
      this.message = t(this.locale, done, { kind: this.kindName(editing.kind), language: LANGUAGES[editing.lang] });
      this.list.run();
    } catch (err) {
      const f = fieldOf(err);
      if (f === 'subject' || f === 'body') {
        this.field = f;
        this.formError = this.problem(err);
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>(`#tpl-${f}`)?.focus();
      } else {
        this.error = err;
      }
    } finally {
      this.busy = false;
    }
  }

  private kindName(kind: string): string {
    return this.label(`kind_${kind}`, kind);
  }

  /** A string of the console's catalogue, or `fallback` for a kind or variable this console does not know yet. */
  private label(key: string, fallback: string): string {
    try { return t(this.locale, key as ConsoleKey); } catch { return fallback; }
  }

  override render() {
    const loc = this.locale;
    return html`<div part="templates">
      <div class="head"><h2 tabindex="-1">${t(loc, 'templatesTitle')}</h2></div>
      <p class="hint">${t(loc, 'templatesIntro')}</p>
      ${this.notices()}
      ${this.list.render({
        pending: () => (this.list.value ? this.body(this.list.value.kinds, this.list.value.variables, this.list.value.overrides) : this.loading()),
        error: (e) => this.alert(e, () => this.list.run()),
        complete: (o) => this.body(o.kinds, o.variables, o.overrides),
      })}
    </div>`;
  }

  private body(kinds: string[], variables: string[], overrides: TemplateOverride[]) {
    const group = (prefix: string) => kinds.filter((k) => k.startsWith(prefix));
    return html`
      ${this.editing ? this.editor(variables, this.overrideOf(overrides, this.editing.kind, this.editing.lang)) : nothing}
      ${this.table('toVisitors', group('visitor.'), overrides)}
      ${this.table('toSpecialists', group('specialist.'), overrides)}`;
  }

  private table(caption: ConsoleKey, kinds: string[], overrides: TemplateOverride[]) {
    const loc = this.locale;
    if (kinds.length === 0) return nothing;
    return html`<table class="list kinds">
      <caption>${t(loc, caption)}</caption>
      <thead><tr><th scope="col">${t(loc, 'templateMessage')}</th>${LOCALES.map((l) => html`<th scope="col" lang=${l}>${LANGUAGES[l]}</th>`)}</tr></thead>
      <tbody>${kinds.map((kind) => html`<tr>
        <th scope="row"><span>${this.kindName(kind)}</span> <code>${kind}</code></th>
        ${LOCALES.map((l) => {
          const saved = this.overrideOf(overrides, kind, l);
          const current = this.editing?.kind === kind && this.editing.lang === l;
          // The visible word first, so the button's name starts with what is seen.
          return html`<td data-label=${LANGUAGES[l]}><button class="state ${saved ? 'custom' : ''}" data-kind=${kind} data-lang=${l}
            aria-current=${current ? 'true' : 'false'} @click=${() => this.open(kind, l, saved)}><span class="word">${t(loc, saved ? 'templateCustom' : 'templateBuiltIn')}</span><span
            class="sr-only">: ${t(loc, 'editTemplateOf', { kind: this.kindName(kind), language: LANGUAGES[l] })}</span></button></td>`;
        })}
      </tr>`)}</tbody>
    </table>`;
  }

  private editor(variables: string[], saved: TemplateOverride | null) {
    const loc = this.locale;
    const { kind, lang } = this.editing!;
    const err = (f: Field) => (this.field === f ? this.formError : '');
    const field = (f: Field, label: ConsoleKey, control: unknown) => html`<div class="field">
      <label for="tpl-${f}">${t(loc, label)}</label>${control}
      <p id="tpl-${f}-error" class="error" ?hidden=${!err(f)}>${err(f)}</p></div>`;
    return html`<section class="card editor" aria-labelledby="tpl-editor-title">
      <div class="head">
        <h3 id="tpl-editor-title" tabindex="-1">${t(loc, 'editingTemplate', { kind: this.kindName(kind), language: LANGUAGES[lang] })}</h3>
        <button class="link" @click=${() => { this.editing = null; }}>${t(loc, 'closeEditor')}</button>
      </div>
      <form @submit=${this.save} novalidate>
        <p class="hint" id="tpl-hint">${t(loc, 'templateEmptyHint')}</p>
        ${field('subject', 'templateSubject', html`<input id="tpl-subject" lang=${lang} maxlength="300" .value=${this.draft.subject}
          placeholder=${this.builtIn.value?.subject ?? ''} aria-invalid=${err('subject') ? 'true' : 'false'} aria-describedby="tpl-subject-error tpl-hint"
          @focus=${() => { this.target = 'subject'; }} @input=${(e: Event) => this.edit('subject', (e.target as HTMLInputElement).value)}>`)}
        ${field('body', 'templateBody', html`<textarea id="tpl-body" lang=${lang} rows="4" maxlength="5000" .value=${this.draft.body}
          aria-invalid=${err('body') ? 'true' : 'false'} aria-describedby="tpl-body-error tpl-hint"
          @focus=${() => { this.target = 'body'; }} @input=${(e: Event) => this.edit('body', (e.target as HTMLTextAreaElement).value)}></textarea>`)}
        <fieldset class="variables"><legend>${t(loc, 'templateVariables')}</legend>
          <ul class="plain">${variables.map((v) => html`<li>
            <button type="button" class="link" aria-label=${t(loc, 'insertVariable', { name: `{{${v}}}` })} @click=${() => this.insert(v)}><code>{{${v}}}</code></button>
            <span class="hint">${this.label(`var_${v}`, '')}</span></li>`)}</ul>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${t(loc, 'saveTemplate')}</button>
          ${saved ? html`<button type="button" class="danger" id="tpl-reset" ?disabled=${this.busy} @click=${this.reset}>${t(loc, 'resetTemplate')}</button>` : nothing}
        </div>
      </form>
      <section class="preview" aria-labelledby="tpl-preview-title" aria-busy=${this.preview.status === TaskStatus.PENDING ? 'true' : 'false'}>
        <h4 id="tpl-preview-title">${t(loc, 'templatePreview')}</h4>
        ${this.preview.render({
          initial: () => this.loading(),
          pending: () => (this.preview.value ? this.rendered(this.preview.value) : this.loading()),
          error: (e) => this.alert(e, () => this.preview.run()),
          complete: (r) => (r ? this.rendered(r) : nothing),
        })}
      </section>
    </section>`;
  }

  private rendered(r: RenderedMessage) {
    const loc = this.locale;
    const lang = this.editing?.lang ?? 'en';
    return html`<dl class="facts" lang=${lang}>
        <dt>${t(loc, 'templateSubject')}</dt><dd id="pv-subject">${r.subject}</dd>
        <dt>${t(loc, 'previewSms')}</dt><dd id="pv-sms">${r.sms}</dd>
      </dl>
      <h5>${t(loc, 'previewEmail')}</h5>
      <iframe id="pv-html" sandbox="" title=${t(loc, 'previewFrameTitle')} .srcdoc=${r.html}></iframe>
      <details><summary>${t(loc, 'previewText')}</summary><pre id="pv-text" lang=${lang}>${r.text}</pre></details>`;
  }
}
