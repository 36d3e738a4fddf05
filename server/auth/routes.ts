// Console sign-in and sessions. Public writes here are rate limited twice over: per client (the
// route's limit) and, for emailed links, per address, so nobody can make us mail one person
// again and again. Answers never reveal whether an address has an account.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  EmailSignInBody, IssuedSession, KeySignInBody, LinkSignInBody, SessionInfo, SessionList, SessionParams, SignInSent,
} from '../../shared/auth.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { requireSession } from './guards.ts';
import { listSessions, revokeSession, sessionInfo } from './sessions.ts';
import { LINK_TTL_MS, accountByEmail, redeemLink, sendSignInLink, signInWithKey } from './sign-in.ts';

/** Emailed links per address and 15 minutes. */
export const LINKS_PER_ADDRESS = 5;
/** Sign-in attempts per client and minute (link requests, link redemptions, pasted keys). */
export const SIGN_INS_PER_MINUTE = 10;

const tags = ['auth'];
const session = [{ session: [] }];

/** The browser that signs in, as its sessions list shows it. */
const labelOf = (req: FastifyRequest) => String(req.headers['user-agent'] ?? '').slice(0, 200);

export default async function authRoutes(app: App) {
  const limited = writeLimit(SIGN_INS_PER_MINUTE);
  const perAddress = app.createRateLimit({
    max: LINKS_PER_ADDRESS, timeWindow: 15 * 60_000,
    keyGenerator: (req) => `sign-in-address:${String((req.body as { email?: string }).email ?? '').trim().toLowerCase()}`,
  });

  app.post('/api/auth/sign-in/email', {
    config: limited,
    schema: {
      tags, summary: 'Email a sign-in link to a specialist or site owner',
      description: `202 whether or not the address has an account. At most ${LINKS_PER_ADDRESS} links per address per 15 minutes (429 after that).`,
      body: EmailSignInBody, response: { 202: SignInSent, ...errorResponses(400, 429) },
    },
  }, async (req, reply) => {
    const limit = await perAddress(req);
    if (!limit.isAllowed && limit.isExceeded) {
      throw new HttpError(429, 'rate_limited', `Too many sign-in emails for this address; try again in ${limit.ttlInSeconds} s.`,
        { headers: { 'retry-after': String(limit.ttlInSeconds) } });
    }
    const { email, role = 'specialist', locale, booking, action } = req.body;
    const account = await accountByEmail(app.db, role, email);
    if (account !== null) {
      await sendSignInLink(app.db, app.config.secretKey, account, {
        now: app.clock.now(), kind: 'account.sign_in', locale, target: { booking, action: booking ? action : undefined },
      });
      app.notifications?.nudge().catch((err) => req.log.warn({ err: String(err) }, 'relaying a sign-in email failed'));
    }
    return reply.status(202).send({ sent: true as const, expiresInMin: LINK_TTL_MS / 60_000 });
  });

  app.post('/api/auth/sign-in/link', {
    config: limited,
    schema: {
      tags, summary: 'Redeem an emailed sign-in link for a session',
      description: 'Each link works once, within its lifetime; 400 invalid_link otherwise.',
      body: LinkSignInBody, response: { 200: IssuedSession, ...errorResponses(400, 429) },
    },
  }, async (req, reply) => reply.header('cache-control', 'no-store')
    .send(await redeemLink(app.db, req.body.token, app.clock.now(), labelOf(req))));

  app.post('/api/auth/sign-in/key', {
    config: limited,
    schema: {
      tags, summary: 'Exchange a specialist credential or ADMIN_TOKEN for a session',
      description: 'The console keeps only the short-lived session token, never the key itself.',
      body: KeySignInBody, response: { 200: IssuedSession, ...errorResponses(400, 401, 429) },
    },
  }, async (req, reply) => reply.header('cache-control', 'no-store')
    .send(await signInWithKey(app.db, app.config, req.body.key, app.clock.now(), labelOf(req))));

  app.get('/api/auth/session', {
    schema: { tags, security: session, summary: 'The session of this request', response: { 200: SessionInfo, ...errorResponses(401) } },
  }, async (req) => sessionInfo(app.db, await requireSession(req)));

  app.post('/api/auth/sign-out', {
    schema: { tags, security: session, summary: 'End this session', response: { 204: Type.Null(), ...errorResponses(401) } },
  }, async (req, reply) => {
    const current = await requireSession(req);
    await revokeSession(app.db, current, current.id, app.clock.now());
    return reply.status(204).send(null);
  });

  app.get('/api/auth/sessions', {
    schema: { tags, security: session, summary: 'Every live session of this account (other browsers too)', response: { 200: SessionList, ...errorResponses(401) } },
  }, async (req) => ({ sessions: await listSessions(app.db, await requireSession(req), app.clock.now()) }));

  app.delete('/api/auth/sessions/:sessionId', {
    schema: {
      tags, security: session, summary: 'Revoke one session of this account (sign another browser out)',
      params: SessionParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
    },
  }, async (req, reply) => {
    const current = await requireSession(req);
    if (!(await revokeSession(app.db, current, req.params.sessionId, app.clock.now()))) throw notFound('Session');
    return reply.status(204).send(null);
  });
}
