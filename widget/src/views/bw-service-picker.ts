import { BwServicePicker } from './bw-service-picker.component.ts';
import { define } from '../define.ts';

define('bw-service-picker', BwServicePicker);

declare global {
  interface HTMLElementTagNameMap { 'bw-service-picker': BwServicePicker }
}
export { BwServicePicker };
