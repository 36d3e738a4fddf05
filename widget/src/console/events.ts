// The console's public events: one type each, prefixed, bubbling and composed (a CMS page hears
// them on document), hyphen-only like the widget's. Its views talk to the shell with one internal
// event, bc-navigate.
import type { ConsoleRole } from '../../../shared/auth.ts';
import type { Route } from './route.ts';

export interface BookingConsoleEventDetails {
  'booking-console-signed-in': { role: ConsoleRole; name: string };
  'booking-console-signed-out': { reason: 'sign-out' | 'expired' };
  'booking-console-navigated': Route;
  'booking-console-error': { code: string; status: number; message: string };
}

export type BookingConsoleEventName = keyof BookingConsoleEventDetails;

/**
 * The colon names of 0.1 (`booking-console:signed-in`), fired after each event under its new
 * name for one more release.
 * @deprecated Listen to the hyphen names (`booking-console-signed-in`).
 */
export type BookingConsoleDeprecatedEventDetails = {
  [K in BookingConsoleEventName as K extends `booking-console-${infer E}` ? `booking-console:${E}` : never]: BookingConsoleEventDetails[K];
};

/** Fires `booking-console-<event>`, then its deprecated alias `booking-console:<event>`. */
export function emitConsole<E extends BookingConsoleEventName extends `booking-console-${infer S}` ? S : never>(
  target: EventTarget, event: E, detail: BookingConsoleEventDetails[`booking-console-${E}`]): void {
  for (const sep of '-:') target.dispatchEvent(new CustomEvent(`booking-console${sep}${event}`, { detail, bubbles: true, composed: true }));
}

type EventMapOf<D> = { [K in keyof D]: CustomEvent<D[K]> };

declare global {
  interface GlobalEventHandlersEventMap extends EventMapOf<BookingConsoleEventDetails>, EventMapOf<BookingConsoleDeprecatedEventDetails> {}
}
