// Entry of console.js: defines <booking-console> (guarded against double definition) and
// exports its class and event types. Its views are lazy chunks beside it.
export { BookingConsole } from './booking-console.ts';
export type { BookingConsoleEventDetails, BookingConsoleEventName, BookingConsoleDeprecatedEventDetails } from './events.ts';
export type { Route, ConsoleView } from './route.ts';
