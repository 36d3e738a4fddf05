import { BcPayments } from './bc-payments.component.ts';
import { define } from '../../define.ts';

define('bc-payments', BcPayments);

declare global {
  interface HTMLElementTagNameMap { 'bc-payments': BcPayments }
}
export { BcPayments };
