// Entry of widget.js and of the package for bundlers: defines <booking-widget> (guarded against
// double definition) and exports its class and event types.
export { BookingWidget } from './booking-widget.ts';
export type { View } from './booking-widget.component.ts';
export type { BookingWidgetEventDetails, BookingWidgetEventName, BookingWidgetDeprecatedEventDetails } from './events.ts';
export type { BookingView, DetailsValues, JoinInfo } from './types.ts';
