// The first view when no `service` is given: the specialist's services as a list of choices.
import { LitElement, html, css } from 'lit';
import { base } from '../shared.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import { formatMoney } from '../time.ts';
import type { PublicService } from '../types.ts';

/**
 * @fires bw-service-select - detail: the chosen PublicService
 * @csspart service - each service's button
 */
export class BwServicePicker extends LitElement {
  static override styles = [base, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--bw-gap); }
    button.service {
      width: 100%; text-align: start; display: grid; gap: 4px; justify-items: start; padding: 14px 16px;
      background: var(--bw-color-bg);
    }
    .name { font-weight: 700; font-size: 1.05rem; }
    .meta { color: var(--bw-color-muted); font-size: 0.95rem; }
  `];
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
