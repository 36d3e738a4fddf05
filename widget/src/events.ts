// The widget's public events: one type each, prefixed, bubbling and composed so a listener on
// the document (or a React/Vue wrapper) hears them from inside any shadow root.
import type { BookingView, Slot } from './types.ts';

export interface BookingWidgetEventDetails {
  'booking-widget:slot-selected': { slot: Slot; timezone: string; specialist: string; service: string };
  'booking-widget:booked': { booking: BookingView; manageUrl: string };
  'booking-widget:cancelled': { booking: BookingView };
  'booking-widget:rescheduled': { booking: BookingView; previousStart: string };
  'booking-widget:call-joined': { bookingId: string };
  'booking-widget:call-left': { bookingId: string; seconds: number };
  'booking-widget:error': { code: string; status: number; message: string };
}

export type BookingWidgetEventName = keyof BookingWidgetEventDetails;

export function emit<K extends BookingWidgetEventName>(target: EventTarget, name: K, detail: BookingWidgetEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Internal events between the widget and its parts (not composed: they stay inside the widget). */
export function notify<T>(target: EventTarget, name: string, detail: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
}

/** The events as addEventListener sees them, derived from the details above. */
type BookingWidgetEventMap = { [K in BookingWidgetEventName]: CustomEvent<BookingWidgetEventDetails[K]> };

declare global {
  // An interface may extend a mapped type whose keys are known, so the list is written once.
  interface GlobalEventHandlersEventMap extends BookingWidgetEventMap {}
}
