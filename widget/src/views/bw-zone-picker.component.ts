// Searchable time-zone picker: a text field over the browser's own list of IANA zones
// (Intl.supportedValuesOf), so no zone database ships in the bundle. A city or a common
// abbreviation finds its zone (zones.ts); several candidates are offered as buttons.
import { LitElement, html, nothing } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-zone-picker.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import { allZones, zoneLabel } from '../time.ts';
import { canonicalZone, findZone } from '../zones.ts';

/**
 * @fires bw-zone-change - detail: the chosen IANA zone
 * @csspart zone-input - the search field
 */
export class BwZonePicker extends LitElement {
  static override styles = [base, styles];
  static override properties = { value: { type: String }, locale: { type: String }, invalid: { state: true }, candidates: { state: true } };
  declare value: string;
  declare locale: string;
  declare invalid: boolean;
  declare candidates: string[];
  private zones: string[] | null = null;

  constructor() {
    super();
    this.value = 'UTC';
    this.locale = 'en';
    this.invalid = false;
    this.candidates = [];
  }

  private commit(e: Event) {
    const { zone, matches } = findZone((e.target as HTMLInputElement).value, this.zones ?? allZones());
    this.invalid = zone === null;
    this.candidates = matches;
    if (zone) this.pick(zone);
  }

  private pick(zone: string) {
    this.invalid = false;
    this.candidates = [];
    if (zone !== this.value) notify(this, 'bw-zone-change', zone);
    // The field shows the canonical name even when the value did not change ("CET" on Berlin).
    const input = this.renderRoot.querySelector('input');
    if (input) input.value = zone;
  }

  override render() {
    // The list is rendered once the field is used: 400-odd options are not needed before.
    const zones = this.zones;
    return html`
      <div class="wrap">
        <label for="zone">${t(this.locale, 'timezone')}</label>
        <input id="zone" part="zone-input" list="zones" autocomplete="off" spellcheck="false"
          .value=${this.value} aria-describedby="zone-current zone-error" aria-invalid=${this.invalid ? 'true' : 'false'}
          placeholder=${t(this.locale, 'timezoneHint')}
          @focus=${() => { if (!this.zones) { this.zones = [...new Set(allZones().map(canonicalZone))]; this.requestUpdate(); } }}
          @change=${this.commit}>
        <datalist id="zones">${(zones ?? []).map((z) => html`<option value=${z}></option>`)}</datalist>
        <span id="zone-current" class="current">${zoneLabel(canonicalZone(this.value), this.locale, Date.now())}</span>
        <span id="zone-error" class="error" role="alert" ?hidden=${!this.invalid}>${t(this.locale, 'invalidZone')}</span>
        ${this.candidates.length ? html`<div class="matches" role="group" aria-label=${t(this.locale, 'zoneMatches')}>
          <span aria-hidden="true">${t(this.locale, 'zoneMatches')}</span>
          ${this.candidates.map((z) => html`<button type="button" class="link" @click=${() => this.pick(z)}>${z.replaceAll('_', ' ')}</button>`)}</div>` : nothing}
      </div>
    `;
  }
}
