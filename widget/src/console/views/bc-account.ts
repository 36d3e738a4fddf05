import { BcAccount } from './bc-account.component.ts';
import { define } from '../../define.ts';

define('bc-account', BcAccount);

declare global {
  interface HTMLElementTagNameMap { 'bc-account': BcAccount }
}
export { BcAccount };
