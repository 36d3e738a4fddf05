import { BcReviews } from './bc-reviews.component.ts';
import { define } from '../../define.ts';

define('bc-reviews', BcReviews);

declare global {
  interface HTMLElementTagNameMap { 'bc-reviews': BcReviews }
}
export { BcReviews };
