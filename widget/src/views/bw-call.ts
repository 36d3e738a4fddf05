import { BwCall } from './bw-call.component.ts';
import { define } from '../define.ts';

define('bw-call', BwCall);

declare global {
  interface HTMLElementTagNameMap { 'bw-call': BwCall }
}
export { BwCall };
