import { BcTemplates } from './bc-templates.component.ts';
import { define } from '../../define.ts';

define('bc-templates', BcTemplates);

declare global {
  interface HTMLElementTagNameMap { 'bc-templates': BcTemplates }
}
export { BcTemplates };
