import { BcSignIn } from './bc-sign-in.component.ts';
import { define } from '../../define.ts';

define('bc-sign-in', BcSignIn);

declare global {
  interface HTMLElementTagNameMap { 'bc-sign-in': BcSignIn }
}
export { BcSignIn };
