import { BcNotifications } from './bc-notifications.component.ts';
import { define } from '../../define.ts';

define('bc-notifications', BcNotifications);

declare global {
  interface HTMLElementTagNameMap { 'bc-notifications': BcNotifications }
}
export { BcNotifications };
