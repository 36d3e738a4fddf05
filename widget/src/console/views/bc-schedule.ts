import { BcSchedule } from './bc-schedule.component.ts';
import { define } from '../../define.ts';

define('bc-schedule', BcSchedule);

declare global {
  interface HTMLElementTagNameMap { 'bc-schedule': BcSchedule }
}
export { BcSchedule };
