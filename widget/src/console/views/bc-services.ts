import { BcServices } from './bc-services.component.ts';
import { define } from '../../define.ts';

define('bc-services', BcServices);

declare global {
  interface HTMLElementTagNameMap { 'bc-services': BcServices }
}
export { BcServices };
