// Registers <booking-widget> (and its parts) once; importing the component class alone defines nothing.
import { BookingWidget } from './booking-widget.component.ts';
import { define } from './define.ts';

define('booking-widget', BookingWidget);

declare global {
  interface HTMLElementTagNameMap { 'booking-widget': BookingWidget }
}
export { BookingWidget };
