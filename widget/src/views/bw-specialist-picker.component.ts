// The choice of specialist for a service when the widget names none: each one's photo (or
// initials), specialty and bio, plus "whoever is free" when several offer it (the API's
// round-robin, specialist "any"). A lazy chunk: widgets set up for one specialist never load it.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-specialist-picker.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import type { PublicSpecialist } from '../types.ts';

const initials = (name: string) => name.split(/\s+/).filter((w) => /^\p{L}/u.test(w)).slice(-2).map((w) => w[0]).join('').toUpperCase();

/**
 * @fires bw-specialist-select - detail: the chosen PublicSpecialist, or 'any'
 * @csspart specialist - each specialist's button
 */
export class BwSpecialistPicker extends LitElement {
  static override styles = [base, styles];
  static override properties = { specialists: { attribute: false }, locale: { type: String }, serviceName: { type: String } };
  declare specialists: PublicSpecialist[];
  declare locale: string;
  declare serviceName: string;

  constructor() {
    super();
    this.specialists = [];
    this.locale = 'en';
    this.serviceName = '';
  }

  override render() {
    const loc = this.locale;
    const many = this.specialists.length > 1;
    return html`
      <h2 tabindex="-1">${t(loc, 'chooseSpecialist')}</h2>
      ${this.serviceName ? html`<p class="muted">${this.serviceName}</p>` : nothing}
      ${this.specialists.length === 0 ? html`<p role="status">${t(loc, 'noSpecialists')}</p>` : html`<ul>
        ${many ? html`<li><button class="person" part="specialist" @click=${() => notify(this, 'bw-specialist-select', 'any')}>
          <span class="photo any" aria-hidden="true">✱</span>
          <span class="text"><span class="name">${t(loc, 'anySpecialist')}</span><span class="meta">${t(loc, 'anySpecialistHint')}</span></span>
        </button></li>` : nothing}
        ${this.specialists.map((s) => html`<li>
          <button class="person" part="specialist" @click=${() => notify(this, 'bw-specialist-select', s)}>
            ${s.photoUrl ? html`<img class="photo" src=${s.photoUrl} alt="" loading="lazy" referrerpolicy="no-referrer">` : html`<span class="photo" aria-hidden="true">${initials(s.name)}</span>`}
            <span class="text">
              <span class="name">${s.name}</span>
              ${s.specialty ? html`<span class="meta">${s.specialty}</span>` : nothing}
              ${s.bio ? html`<span class="bio">${s.bio}</span>` : nothing}
            </span>
          </button>
        </li>`)}
      </ul>`}
    `;
  }
}
