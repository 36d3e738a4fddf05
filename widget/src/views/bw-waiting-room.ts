import { BwWaitingRoom } from './bw-waiting-room.component.ts';
import { define } from '../define.ts';

define('bw-waiting-room', BwWaitingRoom);

declare global {
  interface HTMLElementTagNameMap { 'bw-waiting-room': BwWaitingRoom }
}
export { BwWaitingRoom };
