import { BcWebhooks } from './bc-webhooks.component.ts';
import { define } from '../../define.ts';

define('bc-webhooks', BcWebhooks);

declare global {
  interface HTMLElementTagNameMap { 'bc-webhooks': BcWebhooks }
}
export { BcWebhooks };
