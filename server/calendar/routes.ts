// Calendar routes (registered by app.ts): a specialist connects Google or Outlook, sees the
// connection's health, picks calendars, refreshes busy time and disconnects; the provider sends
// the browser back to the public callback. Also starts the background busy-time refresher.
import { Type } from 'typebox';
import { requireSpecialist } from '../auth/guards.ts';
import { errorResponses, type App } from '../http/types.ts';
import { writeLimit } from '../http/security.ts';
import { refreshStaleConnections, type BusyDeps } from './busy.ts';
import { HttpError } from '../http/errors.ts';
import { calendarStatus, completeConnect, connectUrl, disconnect, listCalendars, refreshNow, returnAddress, updateSelection } from './manage.ts';
import { CalendarList, CalendarStatus, CallbackQuery, Connection, ConnectQuery, ConnectUrl, ProviderParams, SelectionBody } from './schemas.ts';

/** How often the background refresher looks for stale connections. */
export const REFRESH_INTERVAL_MS = 60_000;

const tags = ['specialist: calendar'];
const security = [{ specialist: [] }];

export default async function calendarRoutes(app: App) {
  const deps: BusyDeps = app;

  app.get('/api/specialist/calendar', {
    schema: {
      tags, security, summary: 'Calendar connections and their health',
      description: 'A broken connection (e.g. the grant was revoked) shows status "broken" and lastError; slots are then served from the last busy time fetched (servingCachedBusy).',
      response: { 200: CalendarStatus, ...errorResponses(401) },
    },
  }, async (req) => calendarStatus(deps, await requireSpecialist(req)));

  app.get('/api/specialist/calendar/:provider/connect', {
    schema: {
      tags, security, summary: 'Start connecting a calendar: the provider consent URL',
      description: 'Google asks for calendar.freebusy (busy time only), calendar.events (write bookings) and calendar.calendarlist.readonly (pick calendars), offline access.',
      params: ProviderParams, querystring: ConnectQuery, response: { 200: ConnectUrl, ...errorResponses(400, 401, 404) },
    },
  }, async (req, reply) => {
    const specialistId = await requireSpecialist(req);
    return reply.header('cache-control', 'no-store').send({ url: await connectUrl(deps, specialistId, req.params.provider, req.query.returnTo) });
  });

  app.get('/api/calendar/:provider/callback', {
    config: writeLimit(60),
    schema: {
      tags, summary: 'Where the provider sends the specialist back (OAuth redirect URI)',
      description: 'The signed state names the specialist; a forged or expired state answers 400 invalid_state. '
        + 'A browser (Accept: text/html) is sent on with 303 to the console (or the returnTo page of the connect call), '
        + 'the outcome in calendarResult=connected|error and calendarError=<code>; other clients get the JSON.',
      params: ProviderParams, querystring: CallbackQuery, response: { 200: Connection, 303: Type.Null(), ...errorResponses(400, 404, 429, 502, 503) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!/text\/html/.test(req.headers.accept ?? '')) return reply.send(await completeConnect(deps, req.params.provider, req.query));
    let error: string | undefined;
    try {
      await completeConnect(deps, req.params.provider, req.query);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      error = err.code;
    }
    return reply.redirect(returnAddress(deps, req.params.provider, req.query.state, { error }), 303);
  });

  app.get('/api/specialist/calendar/:provider/calendars', {
    schema: {
      tags, security, summary: 'The account\'s calendars and which are chosen',
      params: ProviderParams, response: { 200: CalendarList, ...errorResponses(400, 401, 404, 409, 502, 503) },
    },
  }, async (req) => listCalendars(deps, await requireSpecialist(req), req.params.provider));

  app.put('/api/specialist/calendar/:provider', {
    schema: {
      tags, security, summary: 'Choose the busy calendars and the calendar bookings are written to',
      description: '"primary" names the account\'s main calendar. The write calendar must be writable.',
      params: ProviderParams, body: SelectionBody, response: { 200: Connection, ...errorResponses(400, 401, 404, 409, 502, 503) },
    },
  }, async (req) => updateSelection(deps, await requireSpecialist(req), req.params.provider, req.body));

  app.post('/api/specialist/calendar/refresh', {
    config: writeLimit(30),
    schema: {
      tags, security, summary: 'Fetch busy time from every connected calendar now',
      response: { 200: CalendarStatus, ...errorResponses(401, 429) },
    },
  }, async (req) => refreshNow(deps, await requireSpecialist(req)));

  app.delete('/api/specialist/calendar/:provider', {
    schema: {
      tags, security, summary: 'Disconnect: revoke the grant and delete the tokens and cached busy time',
      description: 'Events already written stay in the calendar.',
      params: ProviderParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
    },
  }, async (req, reply) => {
    await disconnect(deps, await requireSpecialist(req), req.params.provider);
    return reply.status(204).send(null);
  });

  // Tests call refreshStaleConnections themselves, with their own clock.
  if (app.config.nodeEnv !== 'test' && (app.config.google !== null || app.config.microsoft !== null)) {
    startRefresher(app, deps);
  }
}

/** Refreshes stale busy time every minute; one pass at a time, stopped when the app closes. */
function startRefresher(app: App, deps: BusyDeps) {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = refreshStaleConnections(deps)
      .catch((err) => app.log.error({ err }, 'calendar busy refresh failed'))
      .finally(() => { running = null; });
  }, REFRESH_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
