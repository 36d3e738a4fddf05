import { BcBookings } from './bc-bookings.component.ts';
import { define } from '../../define.ts';

define('bc-bookings', BcBookings);

declare global {
  interface HTMLElementTagNameMap { 'bc-bookings': BcBookings }
}
export { BcBookings };
