import { BwConfirmation } from './bw-confirmation.component.ts';
import { define } from '../define.ts';

define('bw-confirmation', BwConfirmation);

declare global {
  interface HTMLElementTagNameMap { 'bw-confirmation': BwConfirmation }
}
export { BwConfirmation };
