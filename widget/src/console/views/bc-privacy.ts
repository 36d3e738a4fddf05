import { BcPrivacy } from './bc-privacy.component.ts';
import { define } from '../../define.ts';

define('bc-privacy', BcPrivacy);

declare global {
  interface HTMLElementTagNameMap { 'bc-privacy': BcPrivacy }
}
export { BcPrivacy };
