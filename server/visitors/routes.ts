// A visitor's own address, verified: ask for a code, exchange it for a session, then read the
// whole history under the address, export everything stored about it, or erase it.
import { Type } from 'typebox';
import { ConsultationHistory } from '../../shared/schemas.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { ErasureReport, VisitorExport } from '../privacy/schemas.ts';
import { eraseVisitor } from '../privacy/erase.ts';
import { exportVisitor } from '../privacy/export.ts';
import { emailHistory, historyItem } from '../video/notes.ts';
import { CODE_TTL_MS, MAX_ATTEMPTS, openSession, requestCode, requireVisitor } from './verification.ts';

const Email = Type.String({ format: 'email', maxLength: 254 });
const security = [{ visitorSession: [] }];

export default async function visitorRoutes(app: App) {
  const limited = writeLimit(app.config.rateLimit.writesPerMinute);

  app.post('/api/visitor/verification', {
    config: limited,
    schema: {
      tags: ['visitor'],
      summary: 'Send a one-time code to an email address',
      description: `Answers the same whether or not the address has bookings here; a code is mailed only when it has. Valid ${CODE_TTL_MS / 60_000} minutes, at most 3 per hour per address.`,
      body: Type.Object({ email: Email, locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 })) }, { additionalProperties: false }),
      response: { 202: Type.Object({ message: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...errorResponses(400, 429) },
    },
  }, async (request, reply) => {
    const { expiresAt } = await requestCode(app, request.body.email, request.body.locale);
    return reply.status(202).send({ message: 'If this address has bookings here, a code is on its way.', expiresAt: new Date(expiresAt).toISOString() });
  });

  app.post('/api/visitor/session', {
    config: limited,
    schema: {
      tags: ['visitor'],
      summary: 'Exchange the code for a visitor session (one hour)',
      description: `${MAX_ATTEMPTS} wrong codes end the code. The token is shown once; send it as \`Authorization: Bearer\`.`,
      body: Type.Object({ email: Email, code: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: Type.String(), email: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...errorResponses(400, 429) },
    },
  }, async (request, reply) => {
    const session = await openSession(app, request.body.email, request.body.code);
    return reply.status(201).header('cache-control', 'no-store').send({ ...session, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  app.get('/api/visitor/history', {
    config: limited,
    schema: {
      tags: ['visitor'], security,
      summary: 'Every consultation under the verified address, with the summaries the specialists shared',
      response: { 200: ConsultationHistory, ...errorResponses(401, 429) },
    },
  }, async (request) => {
    const email = await requireVisitor(request);
    return { scope: 'email' as const, consultations: (await emailHistory(app.db, email)).map(historyItem) };
  });

  app.get('/api/visitor/export', {
    config: limited,
    schema: {
      tags: ['visitor'], security,
      summary: 'Everything stored about the verified address (GDPR access)',
      response: { 200: VisitorExport, ...errorResponses(401, 429) },
    },
  }, async (request, reply) => {
    const email = await requireVisitor(request);
    return reply.header('cache-control', 'no-store').send(await exportVisitor(app.db, app.config.secretKey, email, { withNotes: false, now: app.clock.now() }));
  });

  app.post('/api/visitor/erase', {
    config: limited,
    schema: {
      tags: ['visitor'], security,
      summary: 'Erase everything stored about the verified address (GDPR erasure)',
      description: 'Upcoming bookings are cancelled (refund per their policy), every booking is anonymised, calendar events and recordings are deleted, the session ends.',
      response: { 200: ErasureReport, ...errorResponses(401, 429) },
    },
  }, async (request) => eraseVisitor(app, await requireVisitor(request), 'visitor'));
}
