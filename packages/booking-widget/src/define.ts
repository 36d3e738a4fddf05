// `import 'booking-widget/define'`: defines <booking-widget> once (a second copy on the page, a
// script tag plus a bundle, is harmless) and re-exports the class.
export { BookingWidget } from '../../../widget/src/booking-widget.ts';
export type * from './index.ts';
