import { BwPayment } from './bw-payment.component.ts';
import { define } from '../define.ts';

define('bw-payment', BwPayment);

declare global {
  interface HTMLElementTagNameMap { 'bw-payment': BwPayment }
}
export { BwPayment };
