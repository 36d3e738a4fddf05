import { BwSlotList } from './bw-slot-list.component.ts';
import { define } from '../define.ts';

define('bw-slot-list', BwSlotList);

declare global {
  interface HTMLElementTagNameMap { 'bw-slot-list': BwSlotList }
}
export { BwSlotList };
