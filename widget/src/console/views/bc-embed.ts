import { BcEmbed } from './bc-embed.component.ts';
import { define } from '../../define.ts';

define('bc-embed', BcEmbed);

declare global {
  interface HTMLElementTagNameMap { 'bc-embed': BcEmbed }
}
export { BcEmbed };
