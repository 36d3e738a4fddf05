// How a booking looks in the specialist's calendar: pure, so it is tested without a provider.
import type { Booking } from '../db/schema.ts';
import type { EventDraft } from './types.ts';

export type SendUpdates = EventDraft['sendUpdates'];

export interface EventLinks {
  /** The specialist's page for the booking: the event may be seen by others, so never the visitor's token link. */
  manageUrl: string | null;
  /** Where the session happens online. */
  joinUrl: string | null;
}

export function eventDraft(booking: Pick<Booking, 'id' | 'starts_at' | 'ends_at' | 'visitor_name' | 'visitor_email' | 'visitor_phone' | 'service_terms'>,
  links: EventLinks, sendUpdates: SendUpdates, conference: EventDraft['conference'] = null): EventDraft {
  const lines = [
    `${booking.service_terms.name} with ${booking.visitor_name} <${booking.visitor_email}>`,
    booking.visitor_phone ? `Phone: ${booking.visitor_phone}` : null,
    links.joinUrl ? `Join: ${links.joinUrl}` : null,
    links.manageUrl ? `Manage this booking: ${links.manageUrl}` : null,
    `Booking ${booking.id}`,
  ];
  return {
    title: `${booking.service_terms.name}: ${booking.visitor_name}`,
    description: lines.filter((l) => l !== null).join('\n'),
    start: booking.starts_at.getTime(),
    end: booking.ends_at.getTime(),
    location: links.joinUrl,
    conference: booking.service_terms.videoEnabled ? conference : null,
    attendee: { name: booking.visitor_name, email: booking.visitor_email },
    bookingId: booking.id,
    sendUpdates,
  };
}

/**
 * Google lets the client choose an event id (base32hex: a-v and 0-9, 5 to 1024 characters).
 * Deriving it from the booking id makes a retried insert after a lost answer a 409 instead of a
 * duplicate event, and lets a delete find an event whose id was never stored.
 */
export function googleEventId(bookingId: string): string {
  return `bk${bookingId.toLowerCase().replace(/-/g, '')}`;
}
