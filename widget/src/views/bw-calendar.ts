import { BwCalendar } from './bw-calendar.component.ts';
import { define } from '../define.ts';

define('bw-calendar', BwCalendar);

declare global {
  interface HTMLElementTagNameMap { 'bw-calendar': BwCalendar }
}
export { BwCalendar };
