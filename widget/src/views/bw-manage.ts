import { BwManage } from './bw-manage.component.ts';
import { define } from '../define.ts';

define('bw-manage', BwManage);

declare global {
  interface HTMLElementTagNameMap { 'bw-manage': BwManage }
}
export { BwManage };
