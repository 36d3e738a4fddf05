// Outlook / Microsoft 365 calendars through Microsoft Graph with plain fetch. Scopes:
// offline_access (a refresh token) and Calendars.ReadWrite (calendarView for busy time, events
// for bookings; the default calendar's owner gives the account address, so no User.Read). With
// VIDEO_PROVIDER=teams also OnlineMeetings.Read (find the meeting by its join URL) and
// OnlineMeetingArtifact.Read.All (its attendance reports: who attended, for how long).
// MS_GRAPH_URL / MS_LOGIN_URL point it at another server (tests' fake).
import type { Config } from '../config.ts';
import { CalendarApiError, CalendarAuthError, CalendarRateLimitError, isGone, parseRetryAfter } from './errors.ts';
import { REQUEST_TIMEOUT_MS, type BusyInterval, type CalendarClient, type CalendarProvider, type CalendarSummary, type ConnectResult, type EventDraft, type MeetingAttendee, type StoredTokens } from './types.ts';

type MicrosoftConfig = NonNullable<Config['microsoft']>;

export const OUTLOOK_SCOPES = ['offline_access', 'https://graph.microsoft.com/Calendars.ReadWrite'];
/** Reading Teams meetings' attendance (VIDEO_PROVIDER=teams only). */
export const TEAMS_SCOPES = ['https://graph.microsoft.com/OnlineMeetings.Read', 'https://graph.microsoft.com/OnlineMeetingArtifact.Read.All'];

/** Graph's showAs values that block time; free and workingElsewhere do not. */
const BUSY_SHOW_AS = new Set(['busy', 'oof', 'tentative']);

/** Refresh this long before the access token expires, so a request never races the expiry. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenUrl = (cfg: MicrosoftConfig) => `${cfg.loginUrl}/${encodeURIComponent(cfg.tenant)}/oauth2/v2.0/token`;

/** Graph returns local date-times without an offset; with `Prefer: outlook.timezone="UTC"` they are UTC. */
export function graphInstant(dt: { dateTime?: string; timeZone?: string } | undefined): number {
  const value = dt?.dateTime ?? '';
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
}

async function tokenRequest(cfg: MicrosoftConfig, form: Record<string, string>, scopes: readonly string[] = OUTLOOK_SCOPES): Promise<StoredTokens> {
  let res: Response;
  try {
    res = await fetch(tokenUrl(cfg), {
      method: 'POST',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: cfg.clientId, client_secret: cfg.clientSecret, scope: scopes.join(' '), ...form }),
    });
  } catch (err) {
    throw new CalendarApiError(0, `Microsoft token endpoint unreachable: ${(err as Error).message}`);
  }
  const body = await res.json().catch(() => ({})) as { access_token?: string; refresh_token?: string; expires_in?: number; scope?: string; token_type?: string; error?: string; error_description?: string };
  if (!res.ok) {
    if (body.error === 'invalid_grant' || body.error === 'interaction_required') throw new CalendarAuthError(`Microsoft refused the grant: ${body.error_description ?? body.error}`);
    if (res.status === 429) throw new CalendarRateLimitError(429, parseRetryAfter(res.headers.get('retry-after'), Date.now()));
    throw new CalendarApiError(res.status, `Microsoft token endpoint ${res.status}: ${body.error ?? ''}`);
  }
  return {
    access_token: body.access_token ?? null,
    // A refresh answer may omit the refresh token; the caller keeps the old one then.
    refresh_token: body.refresh_token ?? null,
    expiry_date: body.expires_in === undefined ? null : Date.now() + body.expires_in * 1000,
    scope: body.scope ?? null,
    token_type: body.token_type ?? 'Bearer',
  };
}

function eventBody(draft: EventDraft): Record<string, unknown> {
  return {
    subject: draft.title,
    body: { contentType: 'text', content: draft.description },
    start: { dateTime: new Date(draft.start).toISOString().replace('Z', ''), timeZone: 'UTC' },
    end: { dateTime: new Date(draft.end).toISOString().replace('Z', ''), timeZone: 'UTC' },
    location: draft.location ? { displayName: draft.location, locationUri: draft.location } : { displayName: '' },
    // Graph invites every attendee it is given and has no sendUpdates switch: with "none" the
    // visitor is named in the description instead of being invited.
    attendees: draft.sendUpdates === 'none' ? [] : [{ emailAddress: { address: draft.attendee.email, name: draft.attendee.name }, type: 'required' }],
    showAs: 'busy',
    // A Teams meeting on the event (work or school accounts; Graph creates it with the event).
    ...(draft.conference === 'teams' ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {}),
  };
}

const teamsUrl = (event: Record<string, unknown>): string | null =>
  ((event.onlineMeeting as { joinUrl?: string } | null | undefined)?.joinUrl) ?? null;

const calendarPath = (id: string) => (id === 'primary' ? '/me/calendar' : `/me/calendars/${encodeURIComponent(id)}`);

/** Authenticated Graph requests over one token set, refreshing it as needed. */
function graphSession(cfg: MicrosoftConfig, initial: StoredTokens, onTokens: (t: StoredTokens) => Promise<void>) {
  let tokens = { ...initial };

  async function refresh(): Promise<void> {
    if (!tokens.refresh_token) throw new CalendarAuthError('Microsoft grant has no refresh token');
    const fresh = await tokenRequest(cfg, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    tokens = { ...tokens, ...fresh, refresh_token: fresh.refresh_token ?? tokens.refresh_token };
    await onTokens(tokens);
  }

  /** One Graph request: refreshes an expiring token first, and once more after a 401. */
  async function graph(method: string, pathOrUrl: string, body?: unknown, signal?: AbortSignal, retried = false): Promise<{ status: number; data: any }> {
    if (!tokens.access_token || (tokens.expiry_date && tokens.expiry_date - EXPIRY_MARGIN_MS < Date.now())) await refresh();
    let res: Response;
    try {
      res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${cfg.graphUrl}${pathOrUrl}`, {
        method,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          prefer: 'outlook.timezone="UTC"',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CalendarApiError(0, `Microsoft Graph unreachable: ${(err as Error).message}`);
    }
    if (res.status === 401 && !retried) {
      await res.body?.cancel();
      await refresh();
      return graph(method, pathOrUrl, body, signal, true);
    }
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (res.ok) return { status: res.status, data };
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    if (res.status === 429 || (res.status === 503 && retryAfter !== null)) {
      throw new CalendarRateLimitError(res.status, retryAfter, `Microsoft Graph throttled (${res.status} ${data?.error?.code ?? ''})`);
    }
    throw new CalendarApiError(res.status, `Microsoft Graph ${res.status}: ${data?.error?.code ?? ''} ${data?.error?.message ?? ''}`.trim());
  }

  /** All pages of a Graph collection. */
  async function collect(path: string, signal?: AbortSignal): Promise<any[]> {
    const items: any[] = [];
    for (let next: string | undefined = path; next;) {
      const { data } = await graph('GET', next, undefined, signal);
      items.push(...(data?.value ?? []));
      next = data?.['@odata.nextLink'];
    }
    return items;
  }

  return { graph, collect };
}

function outlookClient(cfg: MicrosoftConfig, tokens: StoredTokens, onTokens: (t: StoredTokens) => Promise<void>): CalendarClient {
  const { graph, collect } = graphSession(cfg, tokens, onTokens);
  return {
    async listCalendars() {
      const rows = await collect('/me/calendars?$select=id,name,canEdit,isDefaultCalendar,owner&$top=100');
      return rows.map((c): CalendarSummary => ({ id: c.id, name: c.name ?? c.id, primary: c.isDefaultCalendar === true, writable: c.canEdit === true }));
    },

    async busy(calendarIds, from, until, signal) {
      const range = `startDateTime=${encodeURIComponent(new Date(from).toISOString())}&endDateTime=${encodeURIComponent(new Date(until).toISOString())}`;
      const out: BusyInterval[] = [];
      for (const id of calendarIds) {
        const events = await collect(`${calendarPath(id)}/calendarView?${range}&$select=showAs,start,end,isCancelled&$top=500`, signal);
        for (const e of events) {
          if (e.isCancelled === true || !BUSY_SHOW_AS.has(e.showAs)) continue;
          out.push({ start: graphInstant(e.start), end: graphInstant(e.end) });
        }
      }
      return out;
    },

    async insertEvent(calendarId, draft) {
      // transactionId makes a retried create after a lost answer return the same event.
      const { data } = await graph('POST', `${calendarPath(calendarId)}/events`, { ...eventBody(draft), transactionId: draft.bookingId });
      return { id: data.id as string, conferenceUrl: teamsUrl(data) };
    },

    async patchEvent(_calendarId, eventId, draft) {
      const { data } = await graph('PATCH', `/me/events/${encodeURIComponent(eventId)}`, eventBody(draft));
      return { conferenceUrl: teamsUrl(data ?? {}) };
    },

    async deleteEvent(_calendarId, eventId) {
      try {
        await graph('DELETE', `/me/events/${encodeURIComponent(eventId)}`);
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    },

    // The Microsoft identity platform has no per-grant revocation endpoint for this flow
    // (revokeSignInSessions would sign the user out everywhere): the tokens are deleted instead.
    async revoke() {},

    /**
     * The Teams meeting of the join URL (GET /me/onlineMeetings?$filter=JoinWebUrl eq '…'), its
     * attendance reports (one per time the meeting ran), and each report's attendance records:
     * emailAddress, role (Organizer, Presenter, Attendee), identity and attendanceIntervals.
     * No meeting or no report yet: null.
     */
    async meetingAttendance(joinUrl, from, until) {
      const filter = encodeURIComponent(`JoinWebUrl eq '${joinUrl.replace(/'/g, "''")}'`);
      const { data } = await graph('GET', `/me/onlineMeetings?$filter=${filter}`);
      const meeting = (data?.value as { id?: string }[] | undefined)?.[0];
      if (!meeting?.id) return null;
      const base = `/me/onlineMeetings/${encodeURIComponent(meeting.id)}/attendanceReports`;
      const reports = (await collect(base)).filter((r) => {
        const start = graphInstant({ dateTime: r.meetingStartDateTime });
        return Number.isNaN(start) || (start >= from && start <= until);
      });
      if (reports.length === 0) return null;
      const attendees: MeetingAttendee[] = [];
      for (const report of reports) {
        for (const r of await collect(`${base}/${encodeURIComponent(report.id)}/attendanceRecords`)) {
          const intervals = ((r.attendanceIntervals ?? []) as { joinDateTime?: string; leaveDateTime?: string }[])
            .filter((i) => i.joinDateTime && i.leaveDateTime)
            .map((i) => ({ start: graphInstant({ dateTime: i.joinDateTime }), end: graphInstant({ dateTime: i.leaveDateTime }) }));
          attendees.push({
            key: `${report.id}/${r.id ?? r.identity?.id ?? r.emailAddress}`,
            email: typeof r.emailAddress === 'string' && r.emailAddress !== '' ? r.emailAddress : null,
            userId: r.identity?.id ?? null,
            organizer: r.role === 'Organizer',
            intervals,
          });
        }
      }
      return { attendees, selfUserId: null };
    },
  };
}

export function outlookProvider(cfg: MicrosoftConfig, teamsAttendance = false): CalendarProvider {
  const scopes = teamsAttendance ? [...OUTLOOK_SCOPES, ...TEAMS_SCOPES] : OUTLOOK_SCOPES;
  return {
    name: 'outlook',
    authUrl(state, redirectUri) {
      const url = new URL(`${cfg.loginUrl}/${encodeURIComponent(cfg.tenant)}/oauth2/v2.0/authorize`);
      url.search = new URLSearchParams({
        client_id: cfg.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        response_mode: 'query',
        scope: scopes.join(' '),
        prompt: 'consent',
        state,
      }).toString();
      return url.toString();
    },
    async exchangeCode(code, redirectUri): Promise<ConnectResult> {
      const tokens = await tokenRequest(cfg, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, scopes);
      // A refresh during this first call rotates the refresh token: keep whatever is newest.
      let latest = tokens;
      const owner = await graphSession(cfg, tokens, async (fresh) => { latest = fresh; }).graph('GET', '/me/calendar?$select=owner')
        .then(({ data }) => (data?.owner?.address as string | undefined) ?? null, () => null);
      return { tokens: latest, accountEmail: owner, scopes: latest.scope ?? scopes.join(' ') };
    },
    // The token answer lists resource scopes only (never offline_access), sometimes unprefixed.
    missingScopes: (granted) => (/(^|[\s/])Calendars\.ReadWrite(\s|$)/i.test(granted) ? [] : ['Calendars.ReadWrite']),
    readsAttendance: (granted) => /(^|[\s/])OnlineMeetingArtifact\.Read\.All(\s|$)/i.test(granted) && /(^|[\s/])OnlineMeetings\.Read(Write)?(\s|$)/i.test(granted),
    client: (tokens, onTokens) => outlookClient(cfg, tokens, onTokens),
  };
}
