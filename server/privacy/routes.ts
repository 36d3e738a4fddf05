// The site owner's GDPR tools (ADMIN_TOKEN): export and erase everything about one email address.
import { Type } from 'typebox';
import { requireAdmin } from '../auth/guards.ts';
import { errorResponses, type App } from '../http/types.ts';
import { eraseVisitor } from './erase.ts';
import { exportVisitor } from './export.ts';
import { EmailQuery, ErasureReport, VisitorExport } from './schemas.ts';

export default async function privacyRoutes(app: App) {
  const base = { tags: ['admin: privacy'], security: [{ admin: [] }] };

  app.get('/api/admin/visitors/export', {
    schema: { ...base, summary: 'Everything stored about one email address (GDPR access), private notes included', querystring: EmailQuery, response: { 200: VisitorExport, ...errorResponses(400, 401, 503) } },
  }, async (request, reply) => {
    await requireAdmin(request);
    return reply.header('cache-control', 'no-store').send(await exportVisitor(app.db, app.config.secretKey, request.query.email, { withNotes: true, now: app.clock.now() }));
  });

  app.post('/api/admin/visitors/erase', {
    schema: {
      ...base, summary: 'Erase everything stored about one email address (GDPR erasure)',
      description: 'Upcoming bookings are cancelled by the practice (full refund), every booking is anonymised, calendar events and recordings are deleted.',
      body: Type.Object({ email: EmailQuery.properties.email }, { additionalProperties: false }),
      response: { 200: ErasureReport, ...errorResponses(400, 401, 503) },
    },
  }, async (request) => {
    await requireAdmin(request);
    return eraseVisitor(app, request.body.email, 'admin');
  });
}
