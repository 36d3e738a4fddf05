// The first view when no `service` is given: the specialist's services as a list of choices.
import { LitElement, html } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-service-picker.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import { formatMoney } from '../time.ts';
import type { PublicService } from '../types.ts';

/**
 * @fires bw-service-select - detail: the chosen PublicService
 * @csspart service - each service's button
 */
export class BwServicePicker extends LitElement {
  static override styles = [base, styles];
  static override properties = { services: { attribute: false }, locale: { type: String } };
  declare services: PublicService[];
  declare locale: string;

  constructor() {
    super();
    this.services = [];
    this.locale = 'en';
  }

  override render() {
    const loc = this.locale;
    return html`
      <h2 tabindex="-1">${t(loc, 'chooseService')}</h2>
      <ul>
        ${this.services.map((s) => html`<li>
          <button class="service" part="service" @click=${() => notify(this, 'bw-service-select', s)}>
            <span class="name">${s.name}</span>
            <span class="meta">${t(loc, 'minutes', { n: s.durationMin })} ·
              ${s.priceCents != null && s.currency ? formatMoney(s.priceCents, s.currency, loc) : t(loc, 'free')}</span>
            ${s.description ? html`<span class="meta">${s.description}</span>` : ''}
          </button>
        </li>`)}
      </ul>
    `;
  }
}
