import { BwFileField } from './bw-file-field.component.ts';
import { define } from '../define.ts';

define('bw-file-field', BwFileField);

declare global {
  interface HTMLElementTagNameMap { 'bw-file-field': BwFileField }
}
export { BwFileField };
