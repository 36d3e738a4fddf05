// Entry of widget.js: defines <booking-widget> (guarded against double definition).
import { BookingWidget } from './booking-widget.component.ts';

if (!customElements.get('booking-widget')) customElements.define('booking-widget', BookingWidget);

export { BookingWidget };
