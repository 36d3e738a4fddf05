import { BwDetailsForm } from './bw-details-form.component.ts';
import { define } from '../define.ts';

define('bw-details-form', BwDetailsForm);

declare global {
  interface HTMLElementTagNameMap { 'bw-details-form': BwDetailsForm }
}
export { BwDetailsForm };
