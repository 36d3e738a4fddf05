// Registers <booking-console> once; importing the component class alone defines nothing.
import { BookingConsole } from './booking-console.component.ts';
import { define } from '../define.ts';

define('booking-console', BookingConsole);

declare global {
  interface HTMLElementTagNameMap { 'booking-console': BookingConsole }
}
export { BookingConsole };
