// A local stand-in for the Microsoft identity platform (v2.0 authorize/token) and the Microsoft
// Graph calendar endpoints this project calls, following their documented contracts:
// authorization_code and refresh_token grants (a new refresh token on every refresh,
// invalid_grant with AADSTS codes when revoked), /me/calendars, /me/calendar,
// calendarView (overlapping events with showAs, paged by @odata.nextLink, times in the zone of
// UTC as asked for with `Prefer: outlook.timezone="UTC"`), events create (transactionId de-duplication), patch, delete
// (404 ErrorItemNotFound), 401 InvalidAuthenticationToken, 429 TooManyRequests with Retry-After;
// Teams meetings: GET /me/onlineMeetings?$filter=JoinWebUrl eq '…' (OnlineMeetings.Read), and
// their attendance reports and attendance records (OnlineMeetingArtifact.Read.All; 403 Forbidden
// without it), in the documented shapes (meetingAttendanceReport, attendanceRecord with
// emailAddress, role, identity, totalAttendanceInSeconds and attendanceIntervals).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readRequest, type Listening } from './http.ts';
import { randomBytes } from 'node:crypto';

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface GraphEvent {
  id: string;
  calendarId: string;
  subject?: string;
  body?: { contentType: string; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  showAs: ShowAs;
  isCancelled?: boolean;
  location?: { displayName?: string };
  attendees?: { emailAddress: { address: string; name?: string }; type: string }[];
  transactionId?: string;
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: string;
  onlineMeeting?: { joinUrl: string } | null;
}

interface Mailbox {
  address: string;
  calendars: { id: string; name: string; canEdit: boolean; isDefaultCalendar: boolean }[];
  events: Map<string, GraphEvent>;
}

interface Grant { address: string; refreshToken: string; revoked: boolean; scope: string }

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const graphError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(res, status, { error: { code, message, innerError: { 'request-id': randomBytes(8).toString('hex'), date: new Date().toISOString() } } }, headers);

/** Graph's dateTimeTimeZone for UTC: no offset, seven fractional digits. */
const graphTime = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace(/Z$/, '0000'), timeZone: 'UTC' });
const toMs = (dt: { dateTime: string; timeZone?: string }) => Date.parse(/Z|[+-]\d\d:\d\d$/.test(dt.dateTime) ? dt.dateTime : `${dt.dateTime}Z`);

/** One person in a Teams attendance report. */
export interface FakeAttendanceRecord {
  emailAddress: string | null;
  role: 'Organizer' | 'Presenter' | 'Attendee';
  displayName?: string;
  intervals: { join: number; leave: number }[];
}

interface FakeOnlineMeeting {
  id: string;
  joinUrl: string;
  organizer: string;
  reports: { id: string; start: number; end: number; records: FakeAttendanceRecord[] }[];
}

export class FakeGraph {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenant = 'common';
  accessTokenTtl = 3600;
  consentAddress = 'specialist@outlook.test';
  /** Page size of calendarView and calendar lists (small values exercise @odata.nextLink). */
  pageSize = 100;
  readonly requests: { method: string; path: string; query: URLSearchParams; body: unknown; headers: IncomingMessage['headers'] }[] = [];
  private failures: { match: RegExp; status: number; code: string; retryAfter?: string; times: number }[] = [];
  private server: Listening | null = null;
  private mailboxes = new Map<string, Mailbox>();
  private codes = new Map<string, { address: string; redirectUri: string; scope: string }>();
  private grants = new Map<string, Grant>();
  private accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  private meetings = new Map<string, FakeOnlineMeeting>();
  url = '';

  constructor(clientId = 'ms-client-id', clientSecret = 'ms-client-secret') {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  async start(): Promise<this> {
    this.server = await listen((req, res) => {
      this.handle(req, res).catch((err) => graphError(res, 500, 'InternalServerError', String(err)));
    });
    this.url = this.server.url;
    return this;
  }

  async stop() {
    await this.server?.close();
  }

  env(): Record<string, string> {
    return { MS_CLIENT_ID: this.clientId, MS_CLIENT_SECRET: this.clientSecret, MS_GRAPH_URL: `${this.url}/v1.0`, MS_LOGIN_URL: this.url };
  }

  mailbox(address: string): Mailbox {
    let m = this.mailboxes.get(address);
    if (!m) {
      m = { address, calendars: [{ id: `AAMk-${randomBytes(6).toString('hex')}`, name: 'Calendar', canEdit: true, isDefaultCalendar: true }], events: new Map() };
      this.mailboxes.set(address, m);
    }
    return m;
  }

  addCalendar(address: string, name: string, canEdit = true) {
    const cal = { id: `AAMk-${randomBytes(6).toString('hex')}`, name, canEdit, isDefaultCalendar: false };
    this.mailbox(address).calendars.push(cal);
    return cal;
  }

  defaultCalendarId(address: string): string {
    return this.mailbox(address).calendars.find((c) => c.isDefaultCalendar)!.id;
  }

  addEvent(address: string, start: string | number, end: string | number, showAs: ShowAs = 'busy', calendarId = this.defaultCalendarId(address), extra: Partial<GraphEvent> = {}): GraphEvent {
    const event: GraphEvent = {
      id: `AAMkEv-${randomBytes(8).toString('hex')}`, calendarId, subject: 'Private',
      start: graphTime(new Date(start).getTime()), end: graphTime(new Date(end).getTime()), showAs, ...extra,
    };
    this.mailbox(address).events.set(event.id, event);
    return event;
  }

  event(address: string, id: string): GraphEvent | undefined {
    return this.mailbox(address).events.get(id);
  }

  events(address: string): GraphEvent[] {
    return [...this.mailbox(address).events.values()];
  }

  deleteEvent(address: string, id: string) {
    this.mailbox(address).events.delete(id);
  }

  /** A Teams meeting as Graph attaches it to an event (onlineMeeting.joinUrl), organized by the mailbox's owner. */
  private onlineMeeting(organizer: string) {
    const id = randomBytes(12).toString('hex');
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id}%40thread.v2/0`;
    this.meetings.set(joinUrl, { id: `MSo1N2Y5ZGFjYy${id}`, joinUrl, organizer, reports: [] });
    return { onlineMeetingProvider: 'teamsForBusiness', onlineMeeting: { joinUrl } };
  }

  /** The meeting of `joinUrl` took place: an attendance report with its records, as Teams makes it after the meeting. */
  holdMeeting(joinUrl: string, start: number, end: number, records: FakeAttendanceRecord[]): string {
    const meeting = this.meetings.get(joinUrl);
    if (!meeting) throw new Error(`no Teams meeting ${joinUrl}`);
    const id = randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    meeting.reports.push({ id, start, end, records });
    return id;
  }

  revokeAll(address: string) {
    for (const g of this.grants.values()) if (g.address === address) g.revoked = true;
  }

  failNext(match: RegExp, status = 429, code = 'TooManyRequests', times = 1, retryAfter?: string) {
    this.failures.push({ match, status, code, retryAfter, times });
  }

  issueCode(redirectUri: string, scope: string, address = this.consentAddress): string {
    this.mailbox(address);
    const code = `M.C5${randomBytes(12).toString('base64url')}`;
    this.codes.set(code, { address, redirectUri, scope });
    return code;
  }

  private issueAccess(grant: Grant) {
    const token = `eyJ0.${randomBytes(16).toString('base64url')}`;
    this.accessTokens.set(token, { grant, expiresAt: Date.now() + this.accessTokenTtl * 1000 });
    return token;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const { url, body } = await readRequest(req, this.url);
    const form = body instanceof URLSearchParams ? body : null;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, headers: req.headers });

    const key = `${req.method} ${url.pathname}`;
    const failure = this.failures.find((f) => f.times > 0 && f.match.test(key));
    if (failure) {
      failure.times -= 1;
      return graphError(res, failure.status, failure.code, 'Application is over its MailboxConcurrency limit.', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }

    const auth = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(url.pathname);
    if (auth && auth[2] === 'authorize' && req.method === 'GET') return this.authorizePage(url, res);
    if (auth && auth[2] === 'token' && req.method === 'POST') return this.token(form ?? new URLSearchParams(), res);
    if (url.pathname.startsWith('/v1.0/')) return this.graph(req.method ?? 'GET', url, body, req, res);
    return graphError(res, 404, 'ResourceNotFound', 'Not found');
  }

  private authorizePage(url: URL, res: ServerResponse) {
    const redirect = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== this.clientId || !redirect) return json(res, 400, { error: 'invalid_request' });
    const back = new URL(redirect);
    back.searchParams.set('code', this.issueCode(redirect, url.searchParams.get('scope') ?? ''));
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private token(form: URLSearchParams, res: ServerResponse) {
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
    }
    const respond = (grant: Grant) => {
      // Microsoft rotates refresh tokens: every answer carries a new one.
      this.grants.delete(grant.refreshToken);
      grant.refreshToken = `0.AR${randomBytes(16).toString('base64url')}`;
      this.grants.set(grant.refreshToken, grant);
      return json(res, 200, {
        token_type: 'Bearer', scope: grant.scope, expires_in: this.accessTokenTtl, ext_expires_in: this.accessTokenTtl,
        access_token: this.issueAccess(grant), refresh_token: grant.refreshToken,
      });
    };
    if (form.get('grant_type') === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.redirectUri !== form.get('redirect_uri')) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'AADSTS54005: OAuth2 Authorization code was already redeemed.', error_codes: [54005] });
      }
      this.codes.delete(form.get('code') ?? '');
      return respond({ address: code.address, refreshToken: '', revoked: false, scope: form.get('scope') ?? code.scope });
    }
    if (form.get('grant_type') === 'refresh_token') {
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.', error_codes: [70008] });
      }
      return respond(grant);
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_codes: [70003] });
  }

  private graph(method: string, url: URL, body: any, req: IncomingMessage, res: ServerResponse) {
    const header = req.headers.authorization ?? '';
    const access = this.accessTokens.get(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (!access || access.grant.revoked || access.expiresAt < Date.now()) {
      return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    }
    const box = this.mailbox(access.grant.address);
    const path = url.pathname.slice('/v1.0'.length);
    const calendarOf = (ref: string | undefined) => (ref === undefined ? box.calendars.find((c) => c.isDefaultCalendar) : box.calendars.find((c) => c.id === ref));

    if (method === 'GET' && path === '/me/calendars') return this.page(res, url, box.calendars.map((c) => ({ ...c, owner: { name: 'Specialist', address: box.address } })));
    if (method === 'GET' && path === '/me/calendar') {
      const c = calendarOf(undefined)!;
      return json(res, 200, { ...c, owner: { name: 'Specialist', address: box.address } });
    }

    const view = /^\/me\/(?:calendar|calendars\/([^/]+))\/calendarView$/.exec(path);
    if (method === 'GET' && view) {
      const cal = calendarOf(view[1] ? decodeURIComponent(view[1]) : undefined);
      if (!cal) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const from = Date.parse(url.searchParams.get('startDateTime') ?? '');
      const until = Date.parse(url.searchParams.get('endDateTime') ?? '');
      if (Number.isNaN(from) || Number.isNaN(until)) return graphError(res, 400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required.');
      const items = [...box.events.values()]
        .filter((e) => e.calendarId === cal.id && toMs(e.start) < until && toMs(e.end) > from)
        .sort((a, b) => toMs(a.start) - toMs(b.start))
        .map((e) => ({ id: e.id, showAs: e.showAs, isCancelled: e.isCancelled ?? false, start: e.start, end: e.end, subject: e.subject }));
      return this.page(res, url, items);
    }

    const create = /^\/me\/(?:calendar|calendars\/([^/]+))\/events$/.exec(path);
    if (method === 'POST' && create) {
      const cal = calendarOf(create[1] ? decodeURIComponent(create[1]) : undefined);
      if (!cal) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      if (!cal.canEdit) return graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      if (body.transactionId) {
        const same = [...box.events.values()].find((e) => e.transactionId === body.transactionId);
        if (same) return json(res, 201, same);
      }
      const event: GraphEvent = { showAs: 'busy', ...body, id: `AAMkEv-${randomBytes(8).toString('hex')}`, calendarId: cal.id };
      // isOnlineMeeting with teamsForBusiness: Graph creates the Teams meeting with the event.
      if (body.isOnlineMeeting === true) Object.assign(event, this.onlineMeeting(box.address));
      box.events.set(event.id, event);
      return json(res, 201, event);
    }

    const one = /^\/me\/events\/([^/]+)$/.exec(path);
    if (one) {
      const id = decodeURIComponent(one[1]);
      const existing = box.events.get(id);
      if (!existing) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      if (method === 'PATCH') {
        const event = { ...existing, ...body, id, calendarId: existing.calendarId };
        if (body.isOnlineMeeting === true && !existing.onlineMeeting) Object.assign(event, this.onlineMeeting(box.address));
        box.events.set(id, event);
        return json(res, 200, event);
      }
      if (method === 'DELETE') {
        box.events.delete(id);
        res.writeHead(204);
        return res.end();
      }
      if (method === 'GET') return json(res, 200, existing);
    }
    if (method === 'GET' && path.startsWith('/me/onlineMeetings')) return this.onlineMeetings(url, path, access.grant, box.address, res);
    return graphError(res, 400, 'BadRequest', `Unsupported ${method} ${path}`);
  }

  /** Online meetings the signed-in user organizes, found by join URL, and their attendance (Graph v1.0). */
  private onlineMeetings(url: URL, path: string, grant: Grant, address: string, res: ServerResponse) {
    const has = (scope: RegExp) => grant.scope.split(/\s+/).some((s) => scope.test(s));
    if (!has(/(^|\/)OnlineMeetings\.Read(Write)?$/i)) return graphError(res, 403, 'Forbidden', 'Insufficient privileges to complete the operation.');
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
    if (path === '/me/onlineMeetings') {
      const filter = /^JoinWebUrl eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
      if (!filter) return graphError(res, 400, 'BadRequest', 'Filter on JoinWebUrl is required.');
      const meeting = this.meetings.get(filter[1]!.replace(/''/g, "'"));
      const mine = meeting && meeting.organizer === address ? [meeting] : [];
      return json(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#users('me')/onlineMeetings`, value: mine.map((m) => ({ id: m.id, joinWebUrl: m.joinUrl, subject: 'Consultation' })) });
    }
    const m = /^\/me\/onlineMeetings\/([^/]+)\/attendanceReports(?:\/([^/]+)\/attendanceRecords)?$/.exec(path);
    const meeting = m ? [...this.meetings.values()].find((x) => x.id === decodeURIComponent(m[1]!) && x.organizer === address) : undefined;
    if (!m || !meeting) return graphError(res, 404, 'NotFound', 'The meeting was not found.');
    if (!has(/(^|\/)OnlineMeetingArtifact\.Read\.All$/i)) return graphError(res, 403, 'Forbidden', 'Insufficient privileges to complete the operation.');
    if (m[2] === undefined) {
      return this.page(res, url, meeting.reports.map((r) => ({ id: r.id, totalParticipantCount: r.records.length, meetingStartDateTime: iso(r.start), meetingEndDateTime: iso(r.end) })));
    }
    const report = meeting.reports.find((r) => r.id === decodeURIComponent(m[2]!));
    if (!report) return graphError(res, 404, 'NotFound', 'The attendance report was not found.');
    return this.page(res, url, report.records.map((r, i) => ({
      id: `${report.id}-${i}`,
      emailAddress: r.emailAddress,
      totalAttendanceInSeconds: r.intervals.reduce((a, x) => a + Math.round((x.leave - x.join) / 1000), 0),
      role: r.role,
      identity: { id: `id-${i}-${(r.emailAddress ?? r.displayName ?? 'guest').replace(/\W/g, '')}`, displayName: r.displayName ?? r.emailAddress ?? 'Guest', tenantId: null },
      attendanceIntervals: r.intervals.map((x) => ({ joinDateTime: iso(x.join), leaveDateTime: iso(x.leave), durationInSeconds: Math.round((x.leave - x.join) / 1000) })),
    })));
  }

  /** A Graph collection page with @odata.nextLink when more remain ($skip paging). */
  private page(res: ServerResponse, url: URL, items: unknown[]) {
    const top = Math.min(Number(url.searchParams.get('$top') ?? this.pageSize), this.pageSize);
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const next = new URL(url);
    next.searchParams.set('$skip', String(skip + top));
    return json(res, 200, {
      '@odata.context': `${this.url}/v1.0/$metadata#Collection`,
      value: items.slice(skip, skip + top),
      ...(skip + top < items.length ? { '@odata.nextLink': next.toString() } : {}),
    });
  }
}
