// `import { BookingWidget } from 'booking-widget'`: the class and the public types, no tag
// defined (the app chooses when and under which name; `booking-widget/define` does it for you).
export { BookingWidget } from '../../../widget/src/booking-widget.component.ts';
export type { View } from '../../../widget/src/booking-widget.component.ts';
export type { BookingWidgetEventDetails, BookingWidgetEventName, BookingWidgetDeprecatedEventDetails } from '../../../widget/src/events.ts';
export type { BookingView, DetailsValues, JoinInfo, PublicService, PublicSpecialist, Slot } from '../../../widget/src/types.ts';
