// After-commit notifications of booking changes, so other modules (video room sync, calendar
// writes) can react without the bookings module importing them. Listeners run after the
// transaction committed; their errors are logged and never fail the request. Listeners are
// process-wide: `app` is the emitting (encapsulated) instance, so a listener that serves one app
// tells its own events apart by `app.config` (the same object in every context of one app).
import type { FastifyInstance } from 'fastify';

export type BookingEvent = 'created' | 'confirmed' | 'declined' | 'cancelled' | 'rescheduled' | 'completed' | 'no_show' | 'expired';
export type BookingListener = (app: FastifyInstance, bookingId: string, event: BookingEvent) => void | Promise<void>;

const listeners = new Set<BookingListener>();

/** Subscribes; returns the unsubscribe function. */
export function onBookingChanged(listener: BookingListener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** Runs every listener; resolves when all settled. Callers may await it or not. */
export async function emitBookingChanged(app: FastifyInstance, bookingId: string, event: BookingEvent): Promise<void> {
  await Promise.all([...listeners].map(async (listener) => {
    try {
      await listener(app, bookingId, event);
    } catch (err) {
      app.log.error({ err, bookingId, event }, 'booking listener failed');
    }
  }));
}
