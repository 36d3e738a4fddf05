import { BwEnded } from './bw-ended.component.ts';
import { define } from '../define.ts';

define('bw-ended', BwEnded);

declare global {
  interface HTMLElementTagNameMap { 'bw-ended': BwEnded }
}
export { BwEnded };
