import { BwMyData } from './bw-my-data.component.ts';
import { define } from '../define.ts';

define('bw-my-data', BwMyData);

declare global {
  interface HTMLElementTagNameMap { 'bw-my-data': BwMyData }
}
export { BwMyData };
