import { BcCalendars } from './bc-calendars.component.ts';
import { define } from '../../define.ts';

define('bc-calendars', BcCalendars);

declare global {
  interface HTMLElementTagNameMap { 'bc-calendars': BcCalendars }
}
export { BcCalendars };
