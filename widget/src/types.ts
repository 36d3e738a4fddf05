// The shapes the widget reads and sends, from the server's own schemas (types only: nothing
// from shared/ ships in the bundle).
import type { PublicService, PublicSpecialist } from '../../shared/schemas.ts';
import type { BookingView, CreateBookingBody } from '../../shared/bookings.ts';

export type { PublicService, PublicSpecialist, BookingView };
export type { Slot, SlotsResponse } from '../../shared/schemas.ts';
export type { BookingStatus, CreatedBooking } from '../../shared/bookings.ts';

export type CreateBookingInput = CreateBookingBody;

/** POST /api/bookings/:id/join (issue 7). */
export interface JoinInfo {
  roomUrl: string;
  token: string;
  startsAt: string;
  endsAt: string;
  role: string;
  /** Which client opens the room: Daily Prebuilt or our LiveKit view. */
  provider: 'daily' | 'livekit' | 'google_meet' | 'teams';
  /** The host may start and stop a recording from the call (the service records and the visitor agreed). */
  recording?: boolean;
  recordingState?: { offered: boolean; consent: boolean | null; status: 'none' | 'recording' | 'processing' | 'ready' };
}

/** What the visitor has typed into the details form; kept by the widget across errors. */
export interface DetailsValues {
  name: string;
  email: string;
  phone: string;
  answers: Record<string, string | boolean>;
}
