// The site owner's message texts: list the kinds with their overrides, set or clear one kind's
// subject/opening paragraph per locale, and preview a text rendered with sample data (before or
// after saving). Variables only: an unknown {{name}} is a 400 naming the field.
import { Type } from 'typebox';
import { requireAdmin } from '../auth/guards.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import { MESSAGE_KINDS, renderMessage, type Locale, type MessageView } from './templates.ts';
import { TEMPLATE_VARIABLES, substitute, unknownVariables } from './custom-templates.ts';
import { RenderedMessage, TemplateLocale, TemplateOverride, TemplateOverview, TemplateTexts } from '../../shared/templates.ts';

const Params = Type.Object({ kind: Type.String({ pattern: '^[a-z_]+\\.[a-z0-9_]+$', maxLength: 64 }), locale: TemplateLocale });

function check(kind: string, texts: { subject?: string | null; body?: string | null }) {
  if (!MESSAGE_KINDS.includes(kind)) throw notFound('Message kind');
  for (const field of ['subject', 'body'] as const) {
    const bad = unknownVariables(texts[field] ?? '');
    if (bad.length > 0) throw badRequest('unknown_variable', `Unknown variable {{${bad[0]}}}; use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`, `body.${field}`);
  }
}

/** A sample booking for previews: names and times that show every variable. */
function sample(kind: string, locale: Locale, now: number): MessageView {
  const start = Math.ceil(now / 3600_000) * 3600_000 + 24 * 3600_000;
  const forVisitor = kind.startsWith('visitor.');
  return {
    kind, locale, serviceName: 'Consultation', otherName: forVisitor ? 'Dr. Anna Weber' : 'Vera Visitor', recipientName: forVisitor ? null : 'Dr. Anna Weber',
    start, end: start + 50 * 60_000, recipientZone: 'Europe/Berlin', otherZone: 'Europe/Berlin', previous: null,
    manageUrl: 'https://booking.example.com/?booking=…', joinUrl: null, cancelReason: null, minutesBefore: 60, consoleLink: !forVisitor,
  };
}

export default async function templateRoutes(app: App) {
  const base = { tags: ['admin: messages'], security: [{ admin: [] }] };
  app.addHook('onRequest', async (req) => { if (req.url.startsWith('/api/admin/templates')) await requireAdmin(req); });

  app.get('/api/admin/templates', {
    schema: {
      ...base, summary: 'Message kinds, the variables texts may use, and the owner\'s overrides',
      response: { 200: TemplateOverview, ...errorResponses(401) },
    },
  }, async () => {
    const rows = await app.db.selectFrom('message_templates').selectAll().orderBy('kind').orderBy('locale').execute();
    return {
      kinds: [...MESSAGE_KINDS], variables: [...TEMPLATE_VARIABLES],
      overrides: rows.map((r) => ({ kind: r.kind, locale: r.locale as Locale, subject: r.subject, body: r.body, updatedAt: r.updated_at.toISOString() })),
    };
  });

  app.put('/api/admin/templates/:kind/:locale', {
    schema: { ...base, summary: 'Set the subject and/or opening paragraph of one message kind in one locale (null: the built-in text)', params: Params, body: TemplateTexts, response: { 200: TemplateOverride, ...errorResponses(400, 401, 404) } },
  }, async (req) => {
    check(req.params.kind, req.body);
    const at = new Date(app.clock.now());
    const row = await app.db.insertInto('message_templates')
      .values({ kind: req.params.kind, locale: req.params.locale, subject: req.body.subject ?? null, body: req.body.body ?? null, updated_at: at })
      .onConflict((oc) => oc.columns(['kind', 'locale']).doUpdateSet({ subject: req.body.subject ?? null, body: req.body.body ?? null, updated_at: at }))
      .returningAll().executeTakeFirstOrThrow();
    return { kind: row.kind, locale: row.locale as Locale, subject: row.subject, body: row.body, updatedAt: row.updated_at.toISOString() };
  });

  app.delete('/api/admin/templates/:kind/:locale', {
    schema: { ...base, summary: 'Back to the built-in texts', params: Params, response: { 204: Type.Null(), ...errorResponses(401) } },
  }, async (req, reply) => {
    await app.db.deleteFrom('message_templates').where('kind', '=', req.params.kind).where('locale', '=', req.params.locale).execute();
    return reply.status(204).send(null);
  });

  app.post('/api/admin/templates/:kind/:locale/preview', {
    schema: { ...base, summary: 'The message rendered with sample data: the given texts, else the saved ones, else the built-in', params: Params, body: Type.Union([TemplateTexts, Type.Null()]), response: { 200: RenderedMessage, ...errorResponses(400, 401, 404) } },
  }, async (req) => {
    const given = req.body ?? {};
    check(req.params.kind, given);
    const saved = await app.db.selectFrom('message_templates').select(['subject', 'body']).where('kind', '=', req.params.kind).where('locale', '=', req.params.locale).executeTakeFirst();
    const view = sample(req.params.kind, req.params.locale, app.clock.now());
    const subject = given.subject !== undefined ? given.subject : saved?.subject ?? null;
    const body = given.body !== undefined ? given.body : saved?.body ?? null;
    return renderMessage(view, { subject: subject ? substitute(subject, view) : null, body: body ? substitute(body, view) : null });
  });
}
