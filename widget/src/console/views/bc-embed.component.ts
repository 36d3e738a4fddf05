// Putting the widget on a website, for the site owner: the origins allowed to embed it (CORS),
// and an embed-code builder (specialist, service, theme, language, accent colour) with the
// snippet to copy and a live preview of the real widget.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-embed.styles.ts';
import { t } from '../i18n.ts';
import { valueOf } from '../forms.ts';

export interface EmbedChoice { specialist: string; service: string; theme: '' | 'light' | 'dark'; locale: '' | 'en' | 'de' | 'ru'; accent: string }

const DEFAULT_ACCENT = '#1f5fbf';
const attr = (name: string, value: string) => (value ? ` ${name}="${value.replace(/"/g, '&quot;')}"` : '');

/** The snippet a site owner pastes: one script tag and the element, nothing else. */
export function embedSnippet(api: string, c: EmbedChoice): string {
  const style = c.accent && c.accent.toLowerCase() !== DEFAULT_ACCENT ? attr('style', `--bw-color-accent: ${c.accent}`) : '';
  return `<script type="module" src="${api}/widget.js"></script>\n`
    + `<booking-widget${attr('specialist', c.specialist)}${attr('service', c.service)}${attr('theme', c.theme)}${attr('locale', c.locale)}${style}></booking-widget>`;
}

/**
 * @customElement bc-embed
 * @csspart embed - the panel
 * @csspart preview - the live preview's box
 */
export class BcEmbed extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    choice: { state: true }, copied: { state: true }, previewing: { state: true }, originError: { state: true },
  };
  declare choice: EmbedChoice;
  declare copied: boolean;
  declare previewing: boolean;
  declare originError: string;

  constructor() {
    super();
    this.choice = { specialist: '', service: '', theme: '', locale: '', accent: DEFAULT_ACCENT };
    this.copied = false;
    this.previewing = false;
    this.originError = '';
  }

  private catalogue = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      const [sp, sv] = await Promise.all([api.specialists(signal), api.adminServices(signal)]);
      return { specialists: sp.specialists.filter((s) => !s.archivedAt), services: sv.services.filter((s) => !s.archivedAt) };
    },
  });

  private origins = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.origins(signal)).origins,
  });

  private pick(patch: Partial<EmbedChoice>) {
    this.choice = { ...this.choice, ...patch };
    this.copied = false;
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(embedSnippet(this.api.base, this.choice));
      this.copied = true;
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      this.renderRoot.querySelector<HTMLTextAreaElement>('#snippet')?.select();
    }
  }

  private async preview() {
    this.error = null;
    try {
      // The real widget, from this server, exactly as a visitor's browser loads it.
      if (!customElements.get('booking-widget')) await import(/* @vite-ignore */ `${this.api.base}/widget.js`);
      this.previewing = true;
    } catch (err) {
      this.error = err;
    }
  }

  private async addOrigin(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    this.originError = '';
    try {
      const added = await this.api.addOrigin(valueOf(form, 'origin'));
      this.message = t(this.locale, 'originAdded', { origin: added.origin });
      form.reset();
      this.origins.run();
    } catch (err) {
      this.originError = this.problem(err);
      form.querySelector<HTMLInputElement>('#origin')?.focus();
    }
  }

  private async removeOrigin(origin: string) {
    this.error = null;
    try {
      await this.api.removeOrigin(origin);
      this.message = t(this.locale, 'originRemoved', { origin });
      this.origins.run();
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const loc = this.locale;
    const c = this.choice;
    const cat = this.catalogue.value;
    const services = (cat?.services ?? []).filter((s) => !c.specialist || s.specialists.includes(cat!.specialists.find((x) => x.slug === c.specialist)?.id ?? ''));
    return html`<div part="embed">
      <div class="head"><h2 tabindex="-1">${t(loc, 'embedTitle')}</h2></div>
      ${this.notices()}
      <section class="card" aria-labelledby="builder-title">
        <h3 id="builder-title">${t(loc, 'embedBuilder')}</h3>
        ${this.catalogue.render({ pending: () => this.loading(), error: (e) => this.alert(e, () => this.catalogue.run()) })}
        <div class="grid">
          <div class="field"><label for="e-specialist">${t(loc, 'specialist')}</label>
            <select id="e-specialist" @change=${(e: Event) => this.pick({ specialist: (e.target as HTMLSelectElement).value, service: '' })}>
              <option value="">${t(loc, 'chooseOne')}</option>
              ${(cat?.specialists ?? []).map((s) => html`<option value=${s.slug} ?selected=${c.specialist === s.slug}>${s.name}</option>`)}
              <option value="any" ?selected=${c.specialist === 'any'}>${t(loc, 'anySpecialist')}</option>
            </select></div>
          <div class="field"><label for="e-service">${t(loc, 'service')}</label>
            <select id="e-service" @change=${(e: Event) => this.pick({ service: (e.target as HTMLSelectElement).value })}>
              <option value="">${t(loc, 'visitorChooses')}</option>
              ${services.map((s) => html`<option value=${s.slug} ?selected=${c.service === s.slug}>${s.name}</option>`)}
            </select></div>
          <div class="field"><label for="e-theme">${t(loc, 'theme')}</label>
            <select id="e-theme" @change=${(e: Event) => this.pick({ theme: (e.target as HTMLSelectElement).value as EmbedChoice['theme'] })}>
              <option value="">${t(loc, 'themeAuto')}</option><option value="light">${t(loc, 'themeLight')}</option><option value="dark">${t(loc, 'themeDark')}</option>
            </select></div>
          <div class="field"><label for="e-locale">${t(loc, 'language')}</label>
            <select id="e-locale" @change=${(e: Event) => this.pick({ locale: (e.target as HTMLSelectElement).value as EmbedChoice['locale'] })}>
              <option value="">${t(loc, 'languageAuto')}</option><option value="en">English</option><option value="de">Deutsch</option><option value="ru">Русский</option>
            </select></div>
          <div class="field"><label for="e-accent">${t(loc, 'accentColour')}</label>
            <input id="e-accent" type="color" .value=${c.accent} @input=${(e: Event) => this.pick({ accent: (e.target as HTMLInputElement).value })}></div>
        </div>
        ${c.specialist ? html`
          <div class="field"><label for="snippet">${t(loc, 'snippet')}</label>
            <textarea id="snippet" rows="3" readonly spellcheck="false" .value=${embedSnippet(this.api.base, c)}></textarea></div>
          <p class="hint" id="cms-hint">${t(loc, 'embedCmsHint', { loader: `<script src="${this.api.base}/widget-loader.js" async></script>` })}</p>
          <div class="actions">
            <button class="primary" id="copy" @click=${this.copy}>${t(loc, 'copySnippet')}</button>
            <span role="status">${this.copied ? t(loc, 'copied') : ''}</span>
            <button @click=${this.preview}>${t(loc, 'showPreview')}</button>
          </div>
          ${this.previewing ? html`<div class="preview" part="preview" aria-label=${t(loc, 'previewLabel')} role="region">
            <booking-widget api=${this.api.base} specialist=${c.specialist} service=${c.service || nothing} theme=${c.theme || nothing}
              locale=${c.locale || nothing} style=${`--bw-color-accent: ${c.accent}`}></booking-widget></div>` : nothing}` : html`<p class="hint">${t(loc, 'chooseSpecialistFirst')}</p>`}
        <p class="hint">${t(loc, 'embedOriginHint')}</p>
      </section>
      <section class="card" aria-labelledby="origins-title">
        <h3 id="origins-title">${t(loc, 'originsTitle')}</h3>
        ${this.origins.render({
          pending: () => this.loading(),
          error: (e) => this.alert(e, () => this.origins.run()),
          complete: (list) => html`<ul class="plain">${list.map((o) => html`<li><code>${o.origin}</code>
            ${o.source === 'config' ? html`<span class="hint">${t(loc, 'fromEnvironment')}</span>`
              : html`<button class="link" aria-label=${t(loc, 'removeOrigin', { origin: o.origin })} @click=${() => this.removeOrigin(o.origin)}>${t(loc, 'remove')}</button>`}</li>`)}</ul>`,
        })}
        <form class="toolbar" @submit=${this.addOrigin} novalidate>
          <div class="field"><label for="origin">${t(loc, 'websiteAddress')}</label>
            <input id="origin" type="url" placeholder="https://www.example.com" aria-invalid=${this.originError ? 'true' : 'false'} aria-describedby="origin-error">
            <p id="origin-error" class="error" ?hidden=${!this.originError}>${this.originError}</p></div>
          <button type="submit">${t(loc, 'allowOrigin')}</button>
        </form>
      </section>
    </div>`;
  }
}
