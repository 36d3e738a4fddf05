import { BcSpecialists } from './bc-specialists.component.ts';
import { define } from '../../define.ts';

define('bc-specialists', BcSpecialists);

declare global {
  interface HTMLElementTagNameMap { 'bc-specialists': BcSpecialists }
}
export { BcSpecialists };
