// `import { BookingConsole } from 'booking-widget/console'`: the console's class and types, no tag defined.
export { BookingConsole } from '../../../widget/src/console/booking-console.component.ts';
export type { BookingConsoleEventDetails, BookingConsoleEventName, BookingConsoleDeprecatedEventDetails } from '../../../widget/src/console/events.ts';
export type { Route, ConsoleView } from '../../../widget/src/console/route.ts';
