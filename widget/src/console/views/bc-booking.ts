import { BcBooking } from './bc-booking.component.ts';
import { define } from '../../define.ts';

define('bc-booking', BcBooking);

declare global {
  interface HTMLElementTagNameMap { 'bc-booking': BcBooking }
}
export { BcBooking };
