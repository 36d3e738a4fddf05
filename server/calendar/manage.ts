// The specialist's side of a calendar connection: connect (OAuth with a signed, expiring state),
// status, calendar choice, on-demand refresh, disconnect. Route handlers stay thin.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { CalendarConnection } from '../db/schema.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { consoleUrl } from '../links.ts';
import { signState, verifyState } from '../security/crypto.ts';
import { BACKGROUND_TTL_MS, busyWindow, refreshConnection, refreshSpecialistBusy, type BusyDeps } from './busy.ts';
import { clientFor, connectionsOf, markBroken, sealTokens } from './connections.ts';
import { CalendarApiError, CalendarAuthError, CalendarRateLimitError } from './errors.ts';
import { providerFor } from './providers.ts';
import type { Connection } from './schemas.ts';
import type { CalendarClient, CalendarProvider, ProviderName } from './types.ts';

/** How long a consent page may stay open before its state is refused. */
export const STATE_TTL_MS = 10 * 60_000;

interface ConnectState {
  /** Specialist id */
  s: string;
  /** Provider */
  p: ProviderName;
  /** Nonce: two consent pages never share a state */
  n: string;
  /** Where the browser returns afterwards (an allowed origin's page); absent: the console */
  r?: string;
}

export const redirectUri = (config: Config, provider: ProviderName) => `${config.publicUrl}/api/calendar/${provider}/callback`;

const notConfigured = (name: ProviderName) =>
  new HttpError(404, 'provider_not_configured', `${name === 'google' ? 'Google' : 'Outlook'} calendars are not configured on this server.`);

async function configured(config: Config, name: ProviderName): Promise<CalendarProvider> {
  const provider = await providerFor(config, name);
  if (provider === null) throw notConfigured(name);
  return provider;
}

/** A provider failure as an HTTP answer: the provider, not the caller, is at fault. */
function providerFailure(err: unknown): HttpError {
  if (err instanceof CalendarRateLimitError) {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 30_000) / 1000));
    return new HttpError(503, 'provider_rate_limited', 'The calendar provider asked us to slow down; try again shortly.', { headers: { 'retry-after': String(seconds) } });
  }
  return new HttpError(502, 'provider_unavailable', `The calendar provider did not answer as expected${err instanceof CalendarApiError ? ` (${err.status})` : ''}.`);
}

export function toView(conn: CalendarConnection, now: number): Connection {
  const fetched = conn.busy_fetched_at?.getTime() ?? null;
  return {
    provider: conn.provider,
    status: conn.status,
    accountEmail: conn.account_email,
    lastError: conn.last_error,
    busyCalendarIds: conn.busy_calendar_ids,
    writeCalendarId: conn.write_calendar_id,
    sendUpdates: conn.send_updates,
    busyFetchedAt: conn.busy_fetched_at?.toISOString() ?? null,
    // Two missed background rounds, or a broken grant: what slots subtract may be out of date.
    servingCachedBusy: conn.status === 'broken' || fetched === null || now - fetched > 2 * BACKGROUND_TTL_MS,
  };
}

/** Whether the connection may read its meetings' attendance, where its meetings are the video provider (Meet with Google, Teams with Outlook). */
async function meetingAttendance(config: Config, conn: CalendarConnection): Promise<'granted' | 'missing' | null> {
  const meetings = config.videoProvider === 'google_meet' ? 'google' : config.videoProvider === 'teams' ? 'outlook' : null;
  if (conn.provider !== meetings) return null;
  const provider = await providerFor(config, conn.provider);
  return provider === null ? null : provider.readsAttendance(conn.scopes) ? 'granted' : 'missing';
}

export async function calendarStatus(deps: BusyDeps, specialistId: string) {
  const rows = await connectionsOf(deps.db, specialistId);
  const now = deps.clock.now();
  return {
    providers: { google: deps.config.google !== null, outlook: deps.config.microsoft !== null },
    connections: await Promise.all(rows.map(async (r) => ({ ...toView(r, now), meetingAttendance: await meetingAttendance(deps.config, r) }))),
  };
}

export async function connectUrl(deps: BusyDeps, specialistId: string, name: ProviderName, returnTo?: string): Promise<string> {
  const provider = await configured(deps.config, name);
  const r = returnTo === undefined ? undefined : await allowedReturn(deps, returnTo);
  const state = signState(deps.config.secretKey, { s: specialistId, p: name, n: randomBytes(12).toString('base64url'), ...(r ? { r } : {}) } satisfies ConnectState,
    deps.clock.now() + STATE_TTL_MS);
  return provider.authUrl(state, redirectUri(deps.config, name));
}

/** A return address on an allowed embedding origin (never an open redirect to anywhere). */
async function allowedReturn(deps: BusyDeps, value: string): Promise<string> {
  let url: URL;
  try { url = new URL(value); } catch { throw badRequest('invalid_return', 'returnTo is not a URL.', 'query.returnTo'); }
  const known = deps.config.allowedOrigins.includes(url.origin)
    || (await deps.db.selectFrom('allowed_origins').select('origin').where('origin', '=', url.origin).executeTakeFirst()) !== undefined;
  if (!known || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw badRequest('invalid_return', `${url.origin} is not an allowed embedding origin.`, 'query.returnTo');
  }
  return url.toString();
}

/**
 * Where the browser goes back to after the provider's consent page, with the outcome in the
 * query (calendar, calendarResult, calendarError) for the console to show: the page named in a
 * valid state, else the console itself.
 */
export function returnAddress(deps: BusyDeps, name: ProviderName, state: string, outcome: { error?: string }): string {
  const verified = verifyState<ConnectState>(deps.config.secretKey, state, deps.clock.now());
  const url = new URL(verified?.r ?? consoleUrl(deps.config.publicUrl));
  url.searchParams.set('view', 'calendars');
  url.searchParams.set('calendar', name);
  url.searchParams.set('calendarResult', outcome.error === undefined ? 'connected' : 'error');
  if (outcome.error !== undefined) url.searchParams.set('calendarError', outcome.error);
  return url.toString();
}

async function connectionOf(deps: BusyDeps, specialistId: string, provider: ProviderName): Promise<CalendarConnection> {
  const conn = await deps.db.selectFrom('calendar_connections').selectAll()
    .where('specialist_id', '=', specialistId).where('provider', '=', provider).executeTakeFirst();
  if (!conn) throw notFound('Calendar connection');
  return conn;
}

/**
 * The provider sent the specialist back: check the state, exchange the code, store the tokens
 * sealed, read busy time at once, and queue the upcoming bookings for writing (a reconnect after
 * a broken grant catches up what was missed).
 */
export async function completeConnect(deps: BusyDeps, name: ProviderName, query: { state: string; code?: string; error?: string }): Promise<Connection> {
  const provider = await configured(deps.config, name);
  const state = verifyState<ConnectState>(deps.config.secretKey, query.state, deps.clock.now());
  if (state === null || state.p !== name || typeof state.s !== 'string') {
    throw badRequest('invalid_state', 'This connect link is invalid or expired: start connecting again.', 'query.state');
  }
  if (query.error !== undefined) throw badRequest('consent_denied', `The calendar provider reported "${query.error}": access was not granted.`, 'query.error');
  if (query.code === undefined) throw badRequest('invalid_request', 'The provider did not send an authorization code.', 'query.code');
  const specialist = await deps.db.selectFrom('specialists').select(['id', 'archived_at']).where('id', '=', state.s).executeTakeFirst();
  if (!specialist || specialist.archived_at !== null) throw notFound('Specialist');

  let result;
  try {
    result = await provider.exchangeCode(query.code, redirectUri(deps.config, name));
  } catch (err) {
    if (err instanceof CalendarAuthError) throw badRequest('invalid_code', 'The authorization code was refused (used or expired): start connecting again.', 'query.code');
    throw providerFailure(err);
  }
  const missing = provider.missingScopes(result.scopes);
  if (missing.length > 0) {
    throw badRequest('missing_permissions', `Access was granted without: ${missing.join(', ')}. Connect again and allow all requested permissions.`);
  }
  if (!result.tokens.refresh_token) {
    throw badRequest('no_refresh_token', 'The provider granted no offline access; connect again and accept all requested permissions.');
  }

  const sealed = sealTokens(deps.config, result.tokens);
  const previous = await deps.db.selectFrom('calendar_connections').select(['account_email']).where('specialist_id', '=', state.s).where('provider', '=', name).executeTakeFirst();
  // Same account again: keep its calendar choice. Another account: its primary calendar.
  const keepChoice = previous !== undefined && previous.account_email !== null && previous.account_email === result.accountEmail;
  const now = new Date(deps.clock.now());
  const conn = await deps.db.insertInto('calendar_connections')
    .values({ specialist_id: state.s, provider: name, account_email: result.accountEmail, tokens_encrypted: sealed, scopes: result.scopes })
    .onConflict((oc) => oc.columns(['specialist_id', 'provider']).doUpdateSet({
      account_email: result.accountEmail,
      tokens_encrypted: sealed,
      scopes: result.scopes,
      status: 'active',
      last_error: null,
      busy_fetched_at: null,
      updated_at: now,
      ...(keepChoice ? {} : { busy_calendar_ids: JSON.stringify(['primary']), write_calendar_id: 'primary' }),
    }))
    .returningAll().executeTakeFirstOrThrow();

  await refreshConnection(deps, conn, busyWindow(deps.clock.now()));
  await queueUpcomingBookings(deps, conn);
  return toView(await connectionOf(deps, state.s, name), deps.clock.now());
}

/** Outbox rows that write every upcoming confirmed booking into a (re)connected calendar. */
export async function queueUpcomingBookings(deps: BusyDeps, conn: CalendarConnection): Promise<number> {
  const now = new Date(deps.clock.now());
  const bookings = await deps.db.selectFrom('bookings').select('id')
    .where('specialist_id', '=', conn.specialist_id)
    .where('status', 'in', ['confirmed', 'in_progress'])
    .where('ends_at', '>', now)
    // Not when a write for this connection is already waiting.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notifications').select('notifications.id')
      .whereRef('notifications.booking_id', '=', 'bookings.id')
      .where('notifications.channel', '=', 'calendar')
      .where('notifications.recipient', '=', conn.id)
      .where('notifications.status', '=', 'pending'))))
    .execute();
  if (bookings.length === 0) return 0;
  await deps.db.insertInto('notifications').values(bookings.map((b) => ({
    booking_id: b.id,
    kind: 'calendar.upsert',
    channel: 'calendar' as const,
    recipient: conn.id,
    payload: JSON.stringify({ bookingId: b.id, connectionId: conn.id, provider: conn.provider }),
    send_at: now,
    created_at: now,
    updated_at: now,
  }))).execute();
  return bookings.length;
}

/** Runs a provider call for a connection; a dead grant breaks the connection and answers 409. */
async function withClient<T>(deps: BusyDeps, conn: CalendarConnection, fn: (client: CalendarClient) => Promise<T>): Promise<T> {
  if (conn.status === 'broken') throw new HttpError(409, 'calendar_broken', `The calendar connection is broken (${conn.last_error ?? 'grant refused'}): connect again.`);
  const client = await clientFor(deps, conn);
  if (client === null) throw notConfigured(conn.provider);
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof CalendarAuthError) {
      await markBroken(deps, conn.id, err.message);
      throw new HttpError(409, 'calendar_broken', `The calendar provider refused the grant: connect again. (${err.message})`);
    }
    throw providerFailure(err);
  }
}

/** Whether a stored choice ("primary" stands for the account's primary calendar) names this calendar. */
const isChosen = (c: { id: string; primary: boolean }, chosen: string) => c.id === chosen || (chosen === 'primary' && c.primary);

export async function listCalendars(deps: BusyDeps, specialistId: string, name: ProviderName) {
  const conn = await connectionOf(deps, specialistId, name);
  const calendars = await withClient(deps, conn, (c) => c.listCalendars());
  return {
    calendars: calendars.map((c) => ({
      ...c,
      busy: conn.busy_calendar_ids.some((b) => isChosen(c, b)),
      write: isChosen(c, conn.write_calendar_id),
    })),
  };
}

/** The specialist picks busy calendars and the write calendar, checked against what the account has. */
export async function updateSelection(deps: BusyDeps, specialistId: string, name: ProviderName,
  body: { busyCalendarIds: string[]; writeCalendarId: string; sendUpdates?: Connection['sendUpdates'] }): Promise<Connection> {
  const conn = await connectionOf(deps, specialistId, name);
  const calendars = await withClient(deps, conn, (c) => c.listCalendars());
  const known = (id: string) => id === 'primary' || calendars.some((c) => c.id === id);
  const unknown = body.busyCalendarIds.find((id) => !known(id));
  if (unknown !== undefined) throw badRequest('unknown_calendar', `The account has no calendar "${unknown}".`, 'body.busyCalendarIds');
  const write = calendars.find((c) => isChosen(c, body.writeCalendarId));
  if (!write && body.writeCalendarId !== 'primary') throw badRequest('unknown_calendar', `The account has no calendar "${body.writeCalendarId}".`, 'body.writeCalendarId');
  if (write && !write.writable) throw badRequest('calendar_read_only', `Bookings cannot be written to "${write.name}": it is read-only.`, 'body.writeCalendarId');

  const updated = await deps.db.updateTable('calendar_connections').set({
    busy_calendar_ids: JSON.stringify(body.busyCalendarIds),
    write_calendar_id: body.writeCalendarId,
    ...(body.sendUpdates ? { send_updates: body.sendUpdates } : {}),
    busy_fetched_at: null, // other calendars: the cache no longer describes them
    updated_at: new Date(deps.clock.now()),
  }).where('id', '=', conn.id).returningAll().executeTakeFirstOrThrow();
  await refreshConnection(deps, updated, busyWindow(deps.clock.now()));
  return toView(await connectionOf(deps, specialistId, name), deps.clock.now());
}

/** On demand: busy time of every active connection fetched now. */
export async function refreshNow(deps: BusyDeps, specialistId: string) {
  await refreshSpecialistBusy(deps, specialistId);
  return calendarStatus(deps, specialistId);
}

/** Revokes the grant at the provider (best effort: a dead grant is just as gone) and deletes the connection and its busy time. */
export async function disconnect(deps: BusyDeps, specialistId: string, name: ProviderName): Promise<void> {
  const conn = await connectionOf(deps, specialistId, name);
  const client = await clientFor(deps, conn);
  if (client !== null) {
    await client.revoke().catch((err) => deps.log.warn({ err, connectionId: conn.id }, 'calendar grant revocation failed; deleting the tokens anyway'));
  }
  await deps.db.deleteFrom('calendar_connections').where('id', '=', conn.id).execute();
}
