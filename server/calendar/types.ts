// The one interface both providers (Google, Microsoft Graph) implement, so busy time, event
// sync and the connect flow are written once.

export type ProviderName = 'google' | 'outlook';

/**
 * No provider call may hang: a sync job holds its outbox row while it runs, and a booking
 * change waiting for that row must not wait on a provider for long.
 */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface BusyInterval {
  start: number;
  end: number;
}

/** OAuth tokens as stored (sealed) in calendar_connections.tokens_encrypted. */
export interface StoredTokens {
  access_token?: string | null;
  refresh_token?: string | null;
  /** Epoch ms at which the access token expires. */
  expiry_date?: number | null;
  scope?: string | null;
  token_type?: string | null;
}

export interface CalendarSummary {
  id: string;
  name: string;
  primary: boolean;
  /** The account may create events in it. */
  writable: boolean;
}

/** What a booking looks like in the specialist's calendar. */
export interface EventDraft {
  title: string;
  description: string;
  start: number;
  end: number;
  /** Where the session happens: our join link (the waiting room) for video sessions; null in person. */
  location: string | null;
  /** The provider's own meeting to attach (VIDEO_PROVIDER google_meet / teams), for video sessions. */
  conference: 'google_meet' | 'teams' | null;
  attendee: { name: string; email: string };
  /** Our booking id, stored on the event so it can be traced back. */
  bookingId: string;
  /** Google's `sendUpdates`: whether the provider emails the attendee. */
  sendUpdates: 'all' | 'externalOnly' | 'none';
}

export interface ConnectResult {
  tokens: StoredTokens;
  accountEmail: string | null;
  scopes: string;
}

/** One person's connections to a meeting, as the provider's attendance data gives them. */
export interface MeetingAttendee {
  /** Stable within the meeting (the provider's participant or attendance record id). */
  key: string;
  /** Their address where the provider names it (Teams attendance records); Meet names none. */
  email: string | null;
  /** The provider's user id (Meet `users/{id}`, Teams identity id), where signed in. */
  userId: string | null;
  /** The provider marks them as the meeting's organizer (Teams role "Organizer"). */
  organizer: boolean;
  intervals: BusyInterval[];
}

export interface MeetingAttendance {
  attendees: MeetingAttendee[];
  /** The connected account's own user id at the provider (Meet `users/{id}`): the host, found without an address. */
  selfUserId: string | null;
}

/** A provider bound to one connection's tokens. */
export interface CalendarClient {
  listCalendars(): Promise<CalendarSummary[]>;
  busy(calendarIds: string[], from: number, until: number, signal?: AbortSignal): Promise<BusyInterval[]>;
  /** Creates the event; `conferenceUrl` is the attached Meet/Teams meeting's join URL, when asked for. */
  insertEvent(calendarId: string, event: EventDraft): Promise<{ id: string; conferenceUrl: string | null }>;
  /** Throws CalendarApiError with status 404/410 when the event no longer exists. */
  patchEvent(calendarId: string, eventId: string, event: EventDraft): Promise<{ conferenceUrl: string | null }>;
  /** Resolves when the event is gone, including when it was already gone (404/410). */
  deleteEvent(calendarId: string, eventId: string, sendUpdates: EventDraft['sendUpdates']): Promise<void>;
  /** The event id a provider derives from the booking id, when it lets clients choose ids. */
  derivedEventId?(bookingId: string): string;
  /** Best effort: the grant is revoked at the provider (where it has such an endpoint). */
  revoke(): Promise<void>;
  /**
   * Who attended the meeting behind `joinUrl` (Google Meet conference records and participant
   * sessions; Teams attendance reports), for meetings that started between `from` and `until`;
   * null while the provider has no finished record of it (nobody joined, or it is still running).
   */
  meetingAttendance(joinUrl: string, from: number, until: number): Promise<MeetingAttendance | null>;
}

export interface CalendarProvider {
  readonly name: ProviderName;
  authUrl(state: string, redirectUri: string): string;
  exchangeCode(code: string, redirectUri: string): Promise<ConnectResult>;
  /** Scopes we need that a grant lacks (a user may untick some on the consent screen). */
  missingScopes(granted: string): string[];
  /** Whether a grant may read meeting attendance (asked for at connect time when VIDEO_PROVIDER is google_meet / teams). */
  readsAttendance(granted: string): boolean;
  /** `onTokens` is called with every refreshed token set so it can be persisted at once. */
  client(tokens: StoredTokens, onTokens: (tokens: StoredTokens) => Promise<void>): CalendarClient;
}
