// Searchable time-zone picker: a text field over the browser's own list of IANA zones
// (Intl.supportedValuesOf), so no zone database ships in the bundle.
import { LitElement, html } from 'lit';
import { base } from '../shared.styles.ts';
import { styles } from './bw-zone-picker.styles.ts';
import { t } from '../i18n.ts';
import { notify } from '../events.ts';
import { allZones, isValidZone, zoneLabel } from '../time.ts';

/**
 * @fires bw-zone-change - detail: the chosen IANA zone
 * @csspart zone-input - the search field
 */
export class BwZonePicker extends LitElement {
  static override styles = [base, styles];
  static override properties = { value: { type: String }, locale: { type: String }, invalid: { state: true } };
  declare value: string;
  declare locale: string;
  declare invalid: boolean;
  private zones: string[] | null = null;

  constructor() {
    super();
    this.value = 'UTC';
    this.locale = 'en';
    this.invalid = false;
  }

  private commit(e: Event) {
    const input = e.target as HTMLInputElement;
    const typed = input.value.trim().replaceAll(' ', '_');
    // Accept the zone as typed or by a case-insensitive match of the list.
    const match = (this.zones ?? allZones()).find((z) => z.toLowerCase() === typed.toLowerCase())
      ?? (isValidZone(typed) ? new Intl.DateTimeFormat('en', { timeZone: typed }).resolvedOptions().timeZone : null);
    this.invalid = match === null;
    if (match && match !== this.value) notify(this, 'bw-zone-change', match);
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
          @focus=${() => { if (!this.zones) { this.zones = allZones(); this.requestUpdate(); } }}
          @change=${this.commit}>
        <datalist id="zones">${(zones ?? []).map((z) => html`<option value=${z}></option>`)}</datalist>
        <span id="zone-current" class="current">${zoneLabel(this.value, this.locale, Date.now())}</span>
        <span id="zone-error" class="error" ?hidden=${!this.invalid}>${t(this.locale, 'invalidZone')}</span>
      </div>
    `;
  }
}
