import { BwSpecialistPicker } from './bw-specialist-picker.component.ts';
import { define } from '../define.ts';

define('bw-specialist-picker', BwSpecialistPicker);

declare global {
  interface HTMLElementTagNameMap { 'bw-specialist-picker': BwSpecialistPicker }
}
export { BwSpecialistPicker };
