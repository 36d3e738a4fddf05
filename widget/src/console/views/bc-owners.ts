import { BcOwners } from './bc-owners.component.ts';
import { define } from '../../define.ts';

define('bc-owners', BcOwners);

declare global {
  interface HTMLElementTagNameMap { 'bc-owners': BcOwners }
}
export { BcOwners };
