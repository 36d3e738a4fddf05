import { BwZonePicker } from './bw-zone-picker.component.ts';
import { define } from '../define.ts';

define('bw-zone-picker', BwZonePicker);

declare global {
  interface HTMLElementTagNameMap { 'bw-zone-picker': BwZonePicker }
}
export { BwZonePicker };
