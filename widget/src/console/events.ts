// The console's public events: one type each, prefixed, bubbling and composed (a CMS page hears
// them on document). Its views talk to the shell with one internal event, bc-navigate.
import type { ConsoleRole } from '../../../shared/auth.ts';
import type { Route } from './route.ts';

export interface BookingConsoleEventDetails {
  'booking-console:signed-in': { role: ConsoleRole; name: string };
  'booking-console:signed-out': { reason: 'sign-out' | 'expired' };
  'booking-console:navigated': Route;
  'booking-console:error': { code: string; status: number; message: string };
}

export type BookingConsoleEventName = keyof BookingConsoleEventDetails;

export function emitConsole<K extends BookingConsoleEventName>(target: EventTarget, name: K, detail: BookingConsoleEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

type BookingConsoleEventMap = { [K in BookingConsoleEventName]: CustomEvent<BookingConsoleEventDetails[K]> };

declare global {
  interface GlobalEventHandlersEventMap extends BookingConsoleEventMap {}
}
