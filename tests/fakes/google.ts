// A local stand-in for Google's OAuth 2.0 endpoints and the Calendar API v3, following their
// documented contracts for the calls this project makes: the consent redirect; /token with the
// authorization_code and refresh_token grants (invalid_grant for used codes and revoked grants);
// /revoke; calendarList.list; freeBusy.query; events insert (client-chosen ids, 409 duplicate),
// patch, delete (410 deleted / 404 notFound), with Google's error bodies; the token info endpoint
// (POST /tokeninfo with the access token: sub, scope, expires_in); and the Meet REST API v2's
// conferenceRecords.list (filter on space.meeting_code and start_time), participants.list and
// participantSessions.list, behind meetings.space.readonly, paged by pageToken. Tests steer it
// (accounts, events, meetings held, injected 429/403 rate limits, revoked grants) and inspect what it holds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readRequest, type Listening } from './http.ts';
import { randomBytes } from 'node:crypto';

export interface FakeEvent {
  id: string;
  calendarId: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: { dateTime: string };
  end: { dateTime: string };
  attendees?: { email: string; displayName?: string }[];
  transparency?: 'opaque' | 'transparent';
  extendedProperties?: { private?: Record<string, string> };
  sendUpdates?: string;
  conferenceData?: Record<string, unknown>;
  hangoutLink?: string;
}

interface Account {
  email: string;
  /** The Google account id (tokeninfo `sub`; Meet's `users/{id}`). */
  userId: string;
  calendars: { id: string; summary: string; primary?: boolean; accessRole: 'owner' | 'writer' | 'reader' | 'freeBusyReader' }[];
  events: Map<string, FakeEvent>; // key: `${calendarId}/${eventId}`
}

interface Grant {
  email: string;
  scope: string;
  refreshToken: string;
  revoked: boolean;
}

export interface InjectedFailure {
  /** Matched against "METHOD /path" (path without query). */
  match: RegExp;
  status: number;
  reason: string;
  retryAfter?: string;
  times: number;
}

export interface RequestLog {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A Meet participant as the conference record lists it, with its sessions. */
export interface FakeMeetParticipant {
  /** A signed-in Google account (users/{id}) or an anonymous guest with a display name. */
  signedinUser?: { user: string; displayName: string };
  anonymousUser?: { displayName: string };
  sessions: { start: number; end: number }[];
}

interface FakeConferenceRecord {
  name: string;
  meetingCode: string;
  startTime: number;
  endTime: number | null;
  participants: FakeMeetParticipant[];
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

/** Google's error body: { error: { errors: [{ domain, reason, message }], code, message } }. */
const apiError = (res: ServerResponse, status: number, reason: string, message: string, domain = 'global', headers: Record<string, string> = {}) =>
  json(res, status, { error: { errors: [{ domain, reason, message }], code: status, message } }, headers);

export class FakeGoogle {
  /** Meet links handed out, in order. */
  readonly meetLinks: string[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  /** Lifetime of issued access tokens, seconds. */
  accessTokenTtl = 3600;
  /** Added before every freeBusy answer (a slow or hanging provider). */
  freeBusyDelayMs = 0;
  /** Who consents on the next consent redirect. */
  consentAccount = 'specialist@gmail.test';
  readonly requests: RequestLog[] = [];
  readonly failures: InjectedFailure[] = [];
  private server: Listening | null = null;
  private accounts = new Map<string, Account>();
  private codes = new Map<string, { email: string; redirectUri: string; scope: string }>();
  private grants = new Map<string, Grant>(); // by refresh token
  private accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  private conferenceRecords: FakeConferenceRecord[] = [];
  /** Page size of the Meet lists (small values exercise pageToken). */
  meetPageSize = 100;
  url = '';

  constructor(clientId = 'google-client-id', clientSecret = 'google-client-secret') {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  async start(): Promise<this> {
    this.server = await listen((req, res) => {
      this.handle(req, res).catch((err) => json(res, 500, { error: { code: 500, message: String(err) } }));
    });
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** Environment for the app: the real googleapis client pointed here. */
  env(): Record<string, string> {
    return { GOOGLE_CLIENT_ID: this.clientId, GOOGLE_CLIENT_SECRET: this.clientSecret, GOOGLE_API_URL: this.url, GOOGLE_OAUTH_URL: this.url };
  }

  addAccount(email: string, extraCalendars: Account['calendars'] = []): Account {
    const account: Account = {
      email,
      userId: String(100_000_000_000 + Math.floor(Math.random() * 1e11)),
      calendars: [{ id: email, summary: email, primary: true, accessRole: 'owner' }, ...extraCalendars],
      events: new Map(),
    };
    this.accounts.set(email, account);
    return account;
  }

  account(email: string): Account {
    const a = this.accounts.get(email) ?? this.addAccount(email);
    return a;
  }

  /** An event the specialist made themselves (busy time). */
  addEvent(email: string, calendarId: string, start: string | number, end: string | number, extra: Partial<FakeEvent> = {}): FakeEvent {
    const account = this.account(email);
    const event: FakeEvent = {
      id: randomBytes(8).toString('hex'), calendarId, status: 'confirmed', summary: 'Private',
      start: { dateTime: new Date(start).toISOString() }, end: { dateTime: new Date(end).toISOString() }, ...extra,
    };
    account.events.set(`${calendarId}/${event.id}`, event);
    return event;
  }

  event(email: string, calendarId: string, eventId: string): FakeEvent | undefined {
    return this.account(email).events.get(`${calendarId}/${eventId}`);
  }

  /**
   * A Meet call that took place in the meeting of `joinUrl` (a conference record); endTime null
   * while it still runs. Participants carry their sessions (join to leave).
   */
  holdMeeting(joinUrl: string, startTime: number, endTime: number | null, participants: FakeMeetParticipant[]): string {
    const name = `conferenceRecords/${randomBytes(8).toString('hex')}`;
    this.conferenceRecords.push({ name, meetingCode: new URL(joinUrl).pathname.slice(1), startTime, endTime, participants });
    return name;
  }

  /** The signed-in Meet identity of an account (users/{id}). */
  meetUser(email: string): string {
    return `users/${this.account(email).userId}`;
  }

  /** The account's event with our booking id in its private extended properties. */
  bookingEvents(email: string): FakeEvent[] {
    return [...this.account(email).events.values()].filter((e) => e.extendedProperties?.private?.bookingId);
  }

  /** The user removed the app's access in their Google account (or it expired). */
  revokeAll(email: string) {
    for (const g of this.grants.values()) if (g.email === email) g.revoked = true;
  }

  /** Google stops accepting the account's current access tokens before their stated expiry. */
  expireAccessTokens(email: string) {
    for (const a of this.accessTokens.values()) if (a.grant.email === email) a.expiresAt = 0;
  }

  refreshGrants(email: string): Grant[] {
    return [...this.grants.values()].filter((g) => g.email === email);
  }

  /** The next `times` requests matching `match` fail with a rate-limit answer. */
  failNext(match: RegExp, status: 429 | 403, reason = 'rateLimitExceeded', times = 1, retryAfter?: string) {
    this.failures.push({ match, status, reason, retryAfter, times });
  }

  /** The consent step, as if the user clicked "Allow": a code for the redirect URI. */
  issueCode(redirectUri: string, scope: string, email = this.consentAccount): string {
    this.account(email);
    const code = `4/${randomBytes(12).toString('base64url')}`;
    this.codes.set(code, { email, redirectUri, scope });
    return code;
  }

  private issueAccess(grant: Grant) {
    const token = `ya29.${randomBytes(16).toString('base64url')}`;
    this.accessTokens.set(token, { grant, expiresAt: Date.now() + this.accessTokenTtl * 1000 });
    return token;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const { url, body } = await readRequest(req, this.url);
    const form = body instanceof URLSearchParams ? body : null;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body });

    const key = `${req.method} ${url.pathname}`;
    const failure = this.failures.find((f) => f.times > 0 && f.match.test(key));
    if (failure) {
      failure.times -= 1;
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      const message = failure.reason === 'userRateLimitExceeded' ? 'User Rate Limit Exceeded' : 'Rate Limit Exceeded';
      return apiError(res, failure.status, failure.reason, message, 'usageLimits', headers);
    }

    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return this.consent(url, res);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(form ?? new URLSearchParams(), res);
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const token = url.searchParams.get('token') ?? form?.get('token') ?? '';
      const grant = this.grants.get(token) ?? this.accessTokens.get(token)?.grant;
      if (!grant) return json(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      grant.revoked = true;
      return json(res, 200, {});
    }
    if (url.pathname.startsWith('/calendar/v3/')) return this.calendarApi(req.method ?? 'GET', url, body, req, res);
    if (req.method === 'POST' && url.pathname === '/tokeninfo') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (form?.get('access_token') ?? '');
      const access = this.accessTokens.get(token);
      if (!access || access.grant.revoked || access.expiresAt < Date.now()) return json(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
      const account = this.account(access.grant.email);
      return json(res, 200, {
        azp: this.clientId, aud: this.clientId, sub: account.userId, scope: access.grant.scope,
        exp: String(Math.floor(access.expiresAt / 1000)), expires_in: String(Math.floor((access.expiresAt - Date.now()) / 1000)), access_type: 'offline',
      });
    }
    if (url.pathname.startsWith('/v2/conferenceRecords')) return this.meetApi(req.method ?? 'GET', url, req, res);
    return apiError(res, 404, 'notFound', 'Not Found');
  }

  private consent(url: URL, res: ServerResponse) {
    const redirect = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== this.clientId || !redirect) return json(res, 400, { error: 'invalid_request' });
    const code = this.issueCode(redirect, url.searchParams.get('scope') ?? '');
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    back.searchParams.set('scope', url.searchParams.get('scope') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private token(form: URLSearchParams, res: ServerResponse) {
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
      this.codes.delete(form.get('code') ?? ''); // one use only
      const grant: Grant = { email: code.email, scope: code.scope, refreshToken: `1//${randomBytes(16).toString('base64url')}`, revoked: false };
      this.grants.set(grant.refreshToken, grant);
      return json(res, 200, {
        access_token: this.issueAccess(grant), expires_in: this.accessTokenTtl, refresh_token: grant.refreshToken,
        scope: grant.scope, token_type: 'Bearer',
      });
    }
    if (grantType === 'refresh_token') {
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      // Google's refresh answers carry no new refresh token.
      return json(res, 200, { access_token: this.issueAccess(grant), expires_in: this.accessTokenTtl, scope: grant.scope, token_type: 'Bearer' });
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType}` });
  }

  private authorize(req: IncomingMessage): Grant | null {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const access = this.accessTokens.get(token);
    if (!access || access.grant.revoked || access.expiresAt < Date.now()) return null;
    return access.grant;
  }

  /** A page of a Meet list: `pageToken` is the offset, `nextPageToken` while more remain. */
  private meetPage<T>(url: URL, items: T[]): { items: T[]; nextPageToken?: string } {
    const size = Math.min(Number(url.searchParams.get('pageSize') ?? this.meetPageSize) || this.meetPageSize, this.meetPageSize);
    const offset = Number(url.searchParams.get('pageToken') ?? 0) || 0;
    return { items: items.slice(offset, offset + size), ...(offset + size < items.length ? { nextPageToken: String(offset + size) } : {}) };
  }

  /**
   * Meet REST API v2 (https://developers.google.com/meet/api/reference/rest/v2): conference records
   * of the meetings, their participants (signedinUser / anonymousUser, earliestStartTime,
   * latestEndTime) and participant sessions (startTime, endTime). The filter understands
   * `space.meeting_code = "..."` and `start_time >= / <= "..."` joined by AND, as documented.
   */
  private meetApi(method: string, url: URL, req: IncomingMessage, res: ServerResponse) {
    const grant = this.authorize(req);
    if (!grant) return apiError(res, 401, 'authError', 'Request had invalid authentication credentials.');
    if (!grant.scope.split(' ').some((s) => s.endsWith('/auth/meetings.space.readonly') || s.endsWith('/auth/meetings.space.created'))) {
      return json(res, 403, { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } });
    }
    if (method !== 'GET') return apiError(res, 404, 'notFound', 'Not Found');
    const iso = (ms: number) => new Date(ms).toISOString();
    const path = url.pathname.slice('/v2/'.length).split('/');
    const record = path.length >= 2 ? this.conferenceRecords.find((r) => r.name === `conferenceRecords/${path[1]}`) : undefined;
    if (path.length === 1) {
      const filter = url.searchParams.get('filter') ?? '';
      const clauses = filter.split(/\s+AND\s+/i).map((c) => c.trim()).filter(Boolean);
      const matches = (r: FakeConferenceRecord) => clauses.every((c) => {
        const m = /^(space\.meeting_code|start_time)\s*(=|>=|<=|>|<)\s*"([^"]*)"$/.exec(c);
        if (!m) throw new Error(`filter clause not understood: ${c}`);
        if (m[1] === 'space.meeting_code') return m[2] === '=' && r.meetingCode === m[3];
        const v = Date.parse(m[3]!);
        return m[2] === '>=' ? r.startTime >= v : m[2] === '<=' ? r.startTime <= v : m[2] === '>' ? r.startTime > v : m[2] === '<' ? r.startTime < v : r.startTime === v;
      });
      let list: FakeConferenceRecord[];
      try { list = this.conferenceRecords.filter(matches).sort((a, b) => b.startTime - a.startTime); } catch (err) { return json(res, 400, { error: { code: 400, message: String(err), status: 'INVALID_ARGUMENT' } }); }
      const page = this.meetPage(url, list);
      return json(res, 200, {
        conferenceRecords: page.items.map((r) => ({ name: r.name, startTime: iso(r.startTime), ...(r.endTime === null ? {} : { endTime: iso(r.endTime) }), expireTime: iso(r.startTime + 30 * 86_400_000), space: `spaces/${r.meetingCode}` })),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      });
    }
    if (!record) return json(res, 404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    const participantName = (i: number) => `${record.name}/participants/${i}`;
    if (path.length === 3 && path[2] === 'participants') {
      const page = this.meetPage(url, record.participants.map((p, i) => ({ p, i })));
      return json(res, 200, {
        participants: page.items.map(({ p, i }) => ({
          name: participantName(i),
          ...(p.signedinUser ? { signedinUser: p.signedinUser } : { anonymousUser: p.anonymousUser ?? { displayName: 'Guest' } }),
          earliestStartTime: iso(Math.min(...p.sessions.map((s) => s.start))),
          latestEndTime: iso(Math.max(...p.sessions.map((s) => s.end))),
        })),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        totalSize: record.participants.length,
      });
    }
    if (path.length === 5 && path[2] === 'participants' && path[4] === 'participantSessions') {
      const p = record.participants[Number(path[3])];
      if (!p) return json(res, 404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
      const page = this.meetPage(url, p.sessions.map((x, j) => ({ x, j })));
      return json(res, 200, {
        participantSessions: page.items.map(({ x, j }) => ({ name: `${participantName(Number(path[3]))}/participantSessions/${j}`, startTime: iso(x.start), endTime: iso(x.end) })),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      });
    }
    return apiError(res, 404, 'notFound', 'Not Found');
  }

  private async calendarApi(method: string, url: URL, body: any, req: IncomingMessage, res: ServerResponse) {
    const grant = this.authorize(req);
    if (!grant) return apiError(res, 401, 'authError', 'Invalid Credentials');
    const account = this.account(grant.email);
    const path = url.pathname.slice('/calendar/v3'.length);
    const resolve = (id: string) => (id === 'primary' ? account.email : id);
    const has = (scope: string) => grant.scope.split(' ').some((s) => s.endsWith(`/auth/${scope}`));

    if (method === 'GET' && path === '/users/me/calendarList') {
      if (!has('calendar.calendarlist.readonly') && !has('calendar.readonly') && !has('calendar')) return apiError(res, 403, 'insufficientPermissions', 'Insufficient Permission');
      return json(res, 200, {
        kind: 'calendar#calendarList',
        items: account.calendars.map((c) => ({ kind: 'calendar#calendarListEntry', id: c.id, summary: c.summary, primary: c.primary, accessRole: c.accessRole })),
      });
    }

    if (method === 'POST' && path === '/freeBusy') {
      if (this.freeBusyDelayMs > 0) await new Promise((r) => setTimeout(r, this.freeBusyDelayMs));
      if (!has('calendar.freebusy') && !has('calendar.events.freebusy') && !has('calendar.readonly') && !has('calendar')) return apiError(res, 403, 'insufficientPermissions', 'Insufficient Permission');
      const min = Date.parse(body.timeMin);
      const max = Date.parse(body.timeMax);
      if (!(min < max)) return apiError(res, 400, 'timeRangeEmpty', 'The specified time range is empty.', 'calendar');
      if (max - min > 90 * 86_400_000) return apiError(res, 400, 'timeRangeTooLong', 'The requested time range is too long.', 'calendar');
      const calendars: Record<string, unknown> = {};
      for (const item of body.items ?? []) {
        const id = resolve(item.id);
        if (!account.calendars.some((c) => c.id === id)) {
          calendars[item.id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
          continue;
        }
        const busy = [...account.events.values()]
          .filter((e) => e.calendarId === id && e.status !== 'cancelled' && e.transparency !== 'transparent')
          .map((e) => ({ start: Math.max(min, Date.parse(e.start.dateTime)), end: Math.min(max, Date.parse(e.end.dateTime)) }))
          .filter((b) => b.start < b.end)
          .sort((a, b) => a.start - b.start)
          .map((b) => ({ start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() }));
        calendars[item.id] = { busy };
      }
      return json(res, 200, { kind: 'calendar#freeBusy', timeMin: body.timeMin, timeMax: body.timeMax, calendars });
    }

    const m = /^\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(path);
    if (m) {
      if (!has('calendar.events') && !has('calendar')) return apiError(res, 403, 'insufficientPermissions', 'Insufficient Permission');
      const calendarId = resolve(decodeURIComponent(m[1]));
      const cal = account.calendars.find((c) => c.id === calendarId);
      if (!cal) return apiError(res, 404, 'notFound', 'Not Found');
      if (method !== 'GET' && cal.accessRole !== 'owner' && cal.accessRole !== 'writer') return apiError(res, 403, 'requiredAccessLevel', 'You need to have writer access to this calendar.');
      const eventId = m[2] ? decodeURIComponent(m[2]) : null;
      const sendUpdates = url.searchParams.get('sendUpdates') ?? undefined;

      // Conferences (https://developers.google.com/calendar/api/guides/create-events#conferencing):
      // honoured only with conferenceDataVersion=1; a createRequest becomes a Meet conference
      // (entry points, hangoutLink); the same requestId again keeps the same conference.
      const conferencing = url.searchParams.get('conferenceDataVersion') === '1';
      const withConference = (event: FakeEvent, previous?: FakeEvent): FakeEvent => {
        const request = (body.conferenceData as { createRequest?: { requestId?: string; conferenceSolutionKey?: { type?: string } } } | undefined)?.createRequest;
        if (!conferencing) return { ...event, conferenceData: previous?.conferenceData, hangoutLink: previous?.hangoutLink } as FakeEvent;
        const kept = previous?.conferenceData as { createRequest?: { requestId?: string } } | undefined;
        if (!request || (kept && kept.createRequest?.requestId === request.requestId)) return { ...event, conferenceData: previous?.conferenceData, hangoutLink: previous?.hangoutLink } as FakeEvent;
        if (request.conferenceSolutionKey?.type !== 'hangoutsMeet') return event;
        const code = [3, 4, 3].map((n) => randomBytes(n).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]).slice(0, n)).join('-');
        const uri = `https://meet.google.com/${code}`;
        this.meetLinks.push(uri);
        return { ...event, hangoutLink: uri, conferenceData: {
          createRequest: { ...request, status: { statusCode: 'success' } },
          entryPoints: [{ entryPointType: 'video', uri, label: uri.replace('https://', '') }],
          conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' }, conferenceId: code,
        } } as FakeEvent;
      };

      if (method === 'POST' && eventId === null) {
        const id = body.id ?? randomBytes(10).toString('hex');
        if (!/^[a-v0-9]{5,1024}$/.test(id)) return apiError(res, 400, 'invalid', 'Invalid resource id value.');
        if (account.events.has(`${calendarId}/${id}`)) return apiError(res, 409, 'duplicate', 'The requested identifier already exists.');
        const event: FakeEvent = withConference({ ...body, id, calendarId, status: body.status ?? 'confirmed', sendUpdates });
        account.events.set(`${calendarId}/${id}`, event);
        return json(res, 200, { kind: 'calendar#event', ...event });
      }
      if (eventId === null) return apiError(res, 404, 'notFound', 'Not Found');
      const existing = account.events.get(`${calendarId}/${eventId}`);
      if (method === 'PATCH') {
        if (!existing) return apiError(res, 404, 'notFound', 'Not Found');
        const event = withConference({ ...existing, ...body, id: eventId, calendarId, sendUpdates }, existing);
        account.events.set(`${calendarId}/${eventId}`, event);
        return json(res, 200, { kind: 'calendar#event', ...event });
      }
      if (method === 'DELETE') {
        if (!existing) return apiError(res, 404, 'notFound', 'Not Found');
        if (existing.status === 'cancelled') return apiError(res, 410, 'deleted', 'Resource has been deleted');
        existing.status = 'cancelled'; // deleted events keep their id (a re-insert is a 409)
        existing.sendUpdates = sendUpdates;
        res.writeHead(204);
        return res.end();
      }
      if (method === 'GET') {
        if (!existing) return apiError(res, 404, 'notFound', 'Not Found');
        return json(res, 200, { kind: 'calendar#event', ...existing });
      }
    }
    return apiError(res, 404, 'notFound', 'Not Found');
  }
}
