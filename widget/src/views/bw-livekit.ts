import { BwLiveKit } from './bw-livekit.component.ts';
import { define } from '../define.ts';

define('bw-livekit', BwLiveKit);

declare global {
  interface HTMLElementTagNameMap { 'bw-livekit': BwLiveKit }
}
export { BwLiveKit };
