// `import 'booking-widget/console/define'`: defines <booking-console> once and re-exports the class.
export { BookingConsole } from '../../../widget/src/console/booking-console.ts';
export type * from './console.ts';
