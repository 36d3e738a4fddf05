// The widget's public events: one type each, prefixed, bubbling and composed so a listener on
// the document (or a React/Vue wrapper) hears them from inside any shadow root. Names are
// hyphen-only: Angular templates, Babel's JSX and Svelte reject or warn about a colon.
import type { BookingView, Slot } from './types.ts';

export interface BookingWidgetEventDetails {
  'booking-widget-slot-selected': { slot: Slot; timezone: string; specialist: string; service: string };
  'booking-widget-booked': { booking: BookingView; manageUrl: string };
  'booking-widget-cancelled': { booking: BookingView };
  'booking-widget-rescheduled': { booking: BookingView; previousStart: string };
  'booking-widget-call-joined': { bookingId: string };
  'booking-widget-call-left': { bookingId: string; seconds: number };
  'booking-widget-error': { code: string; status: number; message: string };
}

export type BookingWidgetEventName = keyof BookingWidgetEventDetails;

/**
 * The colon names of 0.1 (`booking-widget:booked`), fired after each event under its new name
 * for one more release.
 * @deprecated Listen to the hyphen names (`booking-widget-booked`).
 */
export type BookingWidgetDeprecatedEventDetails = {
  [K in BookingWidgetEventName as K extends `booking-widget-${infer E}` ? `booking-widget:${E}` : never]: BookingWidgetEventDetails[K];
};

/** Fires `booking-widget-<event>`, then its deprecated alias `booking-widget:<event>`. */
export function emit<E extends BookingWidgetEventName extends `booking-widget-${infer S}` ? S : never>(
  target: EventTarget, event: E, detail: BookingWidgetEventDetails[`booking-widget-${E}`]): void {
  for (const sep of '-:') target.dispatchEvent(new CustomEvent(`booking-widget${sep}${event}`, { detail, bubbles: true, composed: true }));
}

/** Internal events between the widget and its parts (not composed: they stay inside the widget). */
export function notify<T>(target: EventTarget, name: string, detail: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
}

/** The events as addEventListener sees them, derived from the details above. */
type EventMapOf<D> = { [K in keyof D]: CustomEvent<D[K]> };

declare global {
  // An interface may extend a mapped type whose keys are known, so the list is written once.
  interface GlobalEventHandlersEventMap extends EventMapOf<BookingWidgetEventDetails>, EventMapOf<BookingWidgetDeprecatedEventDetails> {}
}
