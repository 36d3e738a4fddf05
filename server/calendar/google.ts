// Google Calendar through `@googleapis/calendar` (the per-API package of googleapis: the same
// generated client and auth library, without the 240 MB of every other Google API). Scopes (least that do the job):
// - calendar.freebusy: busy/free blocks only, never event titles or attendees of private events;
// - calendar.events: create, patch and delete the booking events (no calendar sharing or deletion);
// - calendar.calendarlist.readonly: list the calendars so the specialist can pick busy and write ones
//   (the primary entry's id is the account's address, so no profile scope is needed).
// With VIDEO_PROVIDER=google_meet, also meetings.space.readonly: the Meet REST API's conference
// records and participant sessions of the meetings this app created (who attended, for how long).
// GOOGLE_API_URL / GOOGLE_OAUTH_URL point the real client code at another server (tests' fake).
import { auth as googleAuth, calendar, type calendar_v3 } from '@googleapis/calendar';
import type { Config } from '../config.ts';
import { CalendarApiError, CalendarAuthError, CalendarRateLimitError, isGone, parseRetryAfter } from './errors.ts';
import { googleEventId } from './event.ts';
import { REQUEST_TIMEOUT_MS, type BusyInterval, type CalendarClient, type CalendarProvider, type CalendarSummary, type ConnectResult, type EventDraft, type MeetingAttendee, type StoredTokens } from './types.ts';

export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/calendar.freebusy',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
];

/** Reading the attendance of Meet meetings (VIDEO_PROVIDER=google_meet only). */
export const MEET_SCOPES = ['https://www.googleapis.com/auth/meetings.space.readonly'];

type GoogleConfig = NonNullable<Config['google']>;

/** What we read of the Meet REST API v2's resources (conferenceRecords, participants, participantSessions). */
interface MeetRecord { name: string; startTime?: string; endTime?: string }
interface MeetParticipant { name: string; signedinUser?: { user?: string } }
interface MeetSession { startTime?: string; endTime?: string }

/** The meeting code of a Meet link (https://meet.google.com/abc-defg-hij), or null. */
export function meetingCode(joinUrl: string): string | null {
  try {
    const code = new URL(joinUrl).pathname.replace(/^\/+/, '').split('/')[0] ?? '';
    return /^[a-z]{3,4}-[a-z]{4}-[a-z]{3,4}$/i.test(code) ? code : null;
  } catch {
    return null;
  }
}

/** Every page of a Google list call. */
async function allPages<T>(page: (pageToken: string | undefined) => Promise<{ items: T[] | null | undefined; next: string | null | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    out.push(...(items ?? []));
    token = next ?? undefined;
  } while (token);
  return out;
}

/** freeBusy answers at most this many calendars per query. */
const FREEBUSY_MAX_CALENDARS = 50;
/** ...and refuses longer ranges than about 90 days ("The requested time range is too long"). */
const FREEBUSY_MAX_SPAN_MS = 89 * 86_400_000;


function oauthClient(cfg: GoogleConfig, redirectUri?: string) {
  return new googleAuth.OAuth2({
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    redirectUri,
    transporterOptions: { timeout: REQUEST_TIMEOUT_MS },
    endpoints: cfg.oauthUrl === null ? undefined : {
      tokenInfoUrl: `${cfg.oauthUrl}/tokeninfo`,
      oauth2AuthBaseUrl: `${cfg.oauthUrl}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${cfg.oauthUrl}/token`,
      oauth2RevokeUrl: `${cfg.oauthUrl}/revoke`,
    },
  });
}

function headerOf(headers: unknown, name: string): string | null {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const value = (headers as Record<string, string | undefined> | undefined)?.[name];
  return value ?? null;
}

/** A gaxios error as one of ours: dead grant, rate limit (429, or 403 with a rate-limit reason), or other. */
export function googleError(err: unknown, now = Date.now()): Error {
  const e = err as { response?: { status?: number; data?: unknown; headers?: unknown }; message?: string; name?: string };
  const status = e.response?.status ?? 0;
  const data = e.response?.data as { error?: unknown; error_description?: string } | undefined;
  if (data?.error === 'invalid_grant') return new CalendarAuthError(`Google refused the grant: ${data.error_description ?? 'invalid_grant'}`);
  const apiError = typeof data?.error === 'object' && data.error !== null
    ? data.error as { message?: string; errors?: { reason?: string }[] } : undefined;
  const reasons = apiError?.errors?.map((x) => x.reason) ?? [];
  if (status === 429 || (status === 403 && reasons.some((r) => r === 'rateLimitExceeded' || r === 'userRateLimitExceeded'))) {
    return new CalendarRateLimitError(status, parseRetryAfter(headerOf(e.response?.headers, 'retry-after'), now),
      `Google rate limit (${status} ${reasons.join(',') || 'rateLimitExceeded'})`);
  }
  if (e.name === 'AbortError') return new CalendarApiError(0, 'Google request aborted (timeout)');
  return new CalendarApiError(status, `Google Calendar ${status || 'network error'}: ${apiError?.message ?? e.message ?? 'request failed'}`);
}

function eventBody(draft: EventDraft): calendar_v3.Schema$Event {
  return {
    summary: draft.title,
    description: draft.description,
    location: draft.location ?? undefined,
    start: { dateTime: new Date(draft.start).toISOString() },
    end: { dateTime: new Date(draft.end).toISOString() },
    attendees: [{ email: draft.attendee.email, displayName: draft.attendee.name }],
    // Shown again if it had been deleted by hand: the booking still stands.
    status: 'confirmed',
    extendedProperties: { private: { bookingId: draft.bookingId } },
    reminders: { useDefault: true },
    // A Meet conference, created once per booking (the requestId makes a repeat the same request).
    ...(draft.conference === 'google_meet' ? { conferenceData: { createRequest: { requestId: draft.bookingId, conferenceSolutionKey: { type: 'hangoutsMeet' } } } } : {}),
  };
}

/** The Meet join URL of an event (its video entry point), or null. */
function meetUrl(event: calendar_v3.Schema$Event | undefined): string | null {
  const video = event?.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  return video ?? event?.hangoutLink ?? null;
}

function googleClient(cfg: GoogleConfig, tokens: StoredTokens, onTokens: (t: StoredTokens) => Promise<void>): CalendarClient {
  const auth = oauthClient(cfg);
  auth.setCredentials({ ...tokens, scope: tokens.scope ?? undefined });
  // Persist refreshed tokens as they arrive; operations wait for the write before they resolve.
  let saving: Promise<void> = Promise.resolve();
  auth.on('tokens', (fresh) => {
    saving = saving.then(() => onTokens({ ...fresh, scope: fresh.scope ?? null })).catch(() => {});
  });
  // The queue owns retries (with backoff and Retry-After); the client library must not add its own.
  const api = calendar({ version: 'v3', auth, rootUrl: cfg.apiUrl === null ? undefined : `${cfg.apiUrl}/`, retry: false, timeout: REQUEST_TIMEOUT_MS });
  // The Meet REST API's three list calls go through the same OAuth client (its token refresh,
  // gaxios and error shape) rather than a second generated package: @googleapis/meet pins an
  // older auth library, a second copy of the whole stack for three GETs.
  const meetRoot = cfg.apiUrl === null ? 'https://meet.googleapis.com/' : `${cfg.apiUrl}/`;
  const meetGet = async <T>(path: string, params: Record<string, string | number | undefined>): Promise<T> =>
    (await auth.request<T>({
      url: `${meetRoot}${path}`, retry: false, timeout: REQUEST_TIMEOUT_MS,
      params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
    })).data;

  /**
   * Runs an API call with our error mapping. The library refreshes tokens it knows to be
   * expiring, but not one Google stopped accepting early (401): that gets one refresh and retry.
   */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      try {
        return await fn();
      } catch (err) {
        if ((err as { response?: { status?: number } }).response?.status !== 401) throw err;
        auth.setCredentials({ ...auth.credentials, access_token: null, expiry_date: null });
        return await fn();
      }
    } catch (err) {
      throw googleError(err);
    } finally {
      await saving;
    }
  }

  return {
    listCalendars: () => call(async () => {
      const out: CalendarSummary[] = [];
      let pageToken: string | undefined;
      do {
        const res = await api.calendarList.list({ pageToken, maxResults: 250 });
        for (const c of res.data.items ?? []) {
          if (!c.id) continue;
          out.push({ id: c.id, name: c.summaryOverride ?? c.summary ?? c.id, primary: c.primary === true, writable: c.accessRole === 'owner' || c.accessRole === 'writer' });
        }
        pageToken = res.data.nextPageToken ?? undefined;
      } while (pageToken);
      return out;
    }),

    busy: (calendarIds, from, until, signal) => call(async () => {
      const out: BusyInterval[] = [];
      for (let start = from; start < until; start += FREEBUSY_MAX_SPAN_MS) {
        const end = Math.min(until, start + FREEBUSY_MAX_SPAN_MS);
        for (let i = 0; i < calendarIds.length; i += FREEBUSY_MAX_CALENDARS) {
          const res = await api.freebusy.query({
            requestBody: {
              timeMin: new Date(start).toISOString(),
              timeMax: new Date(end).toISOString(),
              items: calendarIds.slice(i, i + FREEBUSY_MAX_CALENDARS).map((id) => ({ id })),
            },
          }, { signal });
          for (const [id, cal] of Object.entries(res.data.calendars ?? {})) {
            // A calendar that cannot be read is an error, not a free calendar.
            if (cal.errors?.length) throw new CalendarApiError(502, `Google freeBusy could not read ${id}: ${cal.errors.map((e) => e.reason).join(',')}`);
            for (const b of cal.busy ?? []) {
              if (b.start && b.end) out.push({ start: Date.parse(b.start), end: Date.parse(b.end) });
            }
          }
        }
      }
      return out; // merged by the caller: chunks may split one event in two
    }),

    insertEvent: (calendarId, draft) => call(async () => {
      const id = googleEventId(draft.bookingId);
      // conferenceDataVersion 1: without it Google ignores conferenceData.
      const conferenceDataVersion = draft.conference === 'google_meet' ? 1 : undefined;
      try {
        const res = await api.events.insert({ calendarId, sendUpdates: draft.sendUpdates, conferenceDataVersion, requestBody: { id, ...eventBody(draft) } });
        return { id, conferenceUrl: meetUrl(res.data) };
      } catch (err) {
        // 409 duplicate: an earlier attempt created it (its answer was lost) or it was deleted
        // by hand (ids stay taken); a patch makes it current and visible again.
        if ((err as { response?: { status?: number } }).response?.status !== 409) throw err;
        const res = await api.events.patch({ calendarId, eventId: id, sendUpdates: draft.sendUpdates, conferenceDataVersion, requestBody: eventBody(draft) });
        return { id, conferenceUrl: meetUrl(res.data) };
      }
    }),

    patchEvent: (calendarId, eventId, draft) => call(async () => {
      const conferenceDataVersion = draft.conference === 'google_meet' ? 1 : undefined;
      const res = await api.events.patch({ calendarId, eventId, sendUpdates: draft.sendUpdates, conferenceDataVersion, requestBody: eventBody(draft) });
      return { conferenceUrl: meetUrl(res.data) };
    }),

    deleteEvent: async (calendarId, eventId, sendUpdates) => {
      try {
        await call(() => api.events.delete({ calendarId, eventId, sendUpdates }));
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    },

    derivedEventId: googleEventId,

    revoke: () => call(async () => {
      const token = tokens.refresh_token ?? tokens.access_token;
      if (token) await auth.revokeToken(token);
    }),

    /**
     * Meet REST API v2: the conference records of the meeting code that started in the window
     * (conferenceRecords.list, filter on space.meeting_code and start_time), their participants,
     * and each participant's sessions (join to leave). A record without an end is a call still
     * running: null, asked again later. The host is found by the account's own user id (tokeninfo
     * `sub`; Meet's `users/{id}` is the same Google account id), as Meet names no addresses.
     */
    meetingAttendance: (joinUrl, from, until) => call(async () => {
      const code = meetingCode(joinUrl);
      if (code === null) return null;
      const filter = `space.meeting_code = "${code}" AND start_time >= "${new Date(from).toISOString()}" AND start_time <= "${new Date(until).toISOString()}"`;
      const records = await allPages(async (pageToken) => {
        const data = await meetGet<{ conferenceRecords?: MeetRecord[]; nextPageToken?: string }>('v2/conferenceRecords', { filter, pageToken, pageSize: 25 });
        return { items: data.conferenceRecords, next: data.nextPageToken };
      });
      if (records.length === 0 || records.some((r) => !r.endTime)) return null;
      const attendees: MeetingAttendee[] = [];
      for (const record of records) {
        const participants = await allPages(async (pageToken) => {
          const data = await meetGet<{ participants?: MeetParticipant[]; nextPageToken?: string }>(`v2/${record.name}/participants`, { pageToken, pageSize: 100 });
          return { items: data.participants, next: data.nextPageToken };
        });
        for (const p of participants) {
          const sessions = await allPages(async (pageToken) => {
            const data = await meetGet<{ participantSessions?: MeetSession[]; nextPageToken?: string }>(`v2/${p.name}/participantSessions`, { pageToken, pageSize: 100 });
            return { items: data.participantSessions, next: data.nextPageToken };
          });
          const intervals = sessions.filter((x) => x.startTime && x.endTime).map((x) => ({ start: Date.parse(x.startTime!), end: Date.parse(x.endTime!) }));
          attendees.push({ key: p.name, email: null, userId: p.signedinUser?.user ?? null, organizer: false, intervals });
        }
      }
      const { token } = await auth.getAccessToken();
      const info = token ? await auth.getTokenInfo(token) : null;
      return { attendees, selfUserId: info?.sub ? `users/${info.sub}` : null };
    }),
  };
}

export function googleProvider(cfg: GoogleConfig, meetAttendance = false): CalendarProvider {
  const scopes = meetAttendance ? [...GOOGLE_SCOPES, ...MEET_SCOPES] : GOOGLE_SCOPES;
  return {
    name: 'google',
    authUrl(state, redirectUri) {
      return oauthClient(cfg, redirectUri).generateAuthUrl({
        access_type: 'offline', // a refresh token, so busy time can be read while the specialist is away
        prompt: 'consent', // Google only returns a refresh token on consent; reconnecting must get a new one
        include_granted_scopes: false,
        scope: scopes,
        state,
      });
    },
    async exchangeCode(code, redirectUri): Promise<ConnectResult> {
      const auth = oauthClient(cfg, redirectUri);
      let tokens: StoredTokens;
      try {
        tokens = (await auth.getToken({ code, redirect_uri: redirectUri })).tokens as StoredTokens;
      } catch (err) {
        throw googleError(err);
      }
      // A refresh during this first call must not be lost: keep whatever is newest.
      let latest = tokens;
      const client = googleClient(cfg, tokens, async (fresh) => { latest = { ...latest, ...fresh, refresh_token: fresh.refresh_token ?? latest.refresh_token }; });
      const calendars = await client.listCalendars().catch(() => [] as CalendarSummary[]);
      return { tokens: latest, accountEmail: calendars.find((c) => c.primary)?.id ?? null, scopes: latest.scope ?? scopes.join(' ') };
    },
    missingScopes: (granted) => GOOGLE_SCOPES.filter((s) => !granted.split(/\s+/).includes(s)),
    readsAttendance: (granted) => MEET_SCOPES.every((s) => granted.split(/\s+/).includes(s)),
    client: (tokens, onTokens) => googleClient(cfg, tokens, onTokens),
  };
}
