import { BcAgenda } from './bc-agenda.component.ts';
import { define } from '../../define.ts';

define('bc-agenda', BcAgenda);

declare global {
  interface HTMLElementTagNameMap { 'bc-agenda': BcAgenda }
}
export { BcAgenda };
