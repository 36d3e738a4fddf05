// Placeholder shell of the element; the full visitor journey is built in its own issue.
import { LitElement, html, css } from 'lit';

export class BookingWidget extends LitElement {
  static override styles = css`:host { display: block; font: 16px/1.5 system-ui, sans-serif; }`;
  static override properties = { specialist: { type: String }, service: { type: String } };
  declare specialist: string;
  declare service: string;

  override render() {
    return html`<p part="message">Booking for ${this.specialist ?? 'any specialist'}.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-widget': BookingWidget;
  }
}
