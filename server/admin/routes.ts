// The site owner's API (ADMIN_TOKEN): specialists, services and who offers them, schedules,
// credentials, embedding origins and webhooks. Handlers are thin: the modules beside this file
// hold the rules, and the demo seed goes through the same functions.
import { Type } from 'typebox';
import {
  AdminService, AdminServiceList, AdminSpecialist, AdminSpecialistList, AllowedOrigin, AllowedOriginList, ArchiveFilter,
  CreatedWebhook, CredentialCreate, CredentialList, CredentialParams, Credential, IdOrSlugParams, IssuedCredential,
  OriginBody, OriginQuery, ServiceCreate, ServiceSpecialists, ServiceUpdate, SpecialistCreate, SpecialistUpdate,
  Webhook, WebhookCreate, WebhookList, WebhookParams, WebhookUpdate,
} from '../../shared/admin.ts';
import { requireAdmin } from '../auth/guards.ts';
import { errorResponses, type App } from '../http/types.ts';
import { mountScheduleRoutes } from '../specialist/schedule-routes.ts';
import { issueCredential, listCredentials, revokeCredential } from './credentials.ts';
import { addOrigin, listOrigins, removeOrigin } from './origins.ts';
import { createService, getService, listServices, setServiceArchived, setServiceSpecialists, updateService } from './services.ts';
import { archiveSpecialist, createSpecialist, getSpecialist, listSpecialists, restoreSpecialist, specialistRow, updateSpecialist } from './specialists.ts';
import { createWebhook, deleteWebhook, listWebhooks, updateWebhook } from './webhooks.ts';

const security = [{ admin: [] }];
const errors = (...codes: number[]) => errorResponses(401, 503, ...codes);

export default async function adminRoutes(app: App) {
  // Checked before body validation: without the token nothing about the request is answered.
  app.addHook('onRequest', async (req) => requireAdmin(req));
  const ctx = () => ({ now: app.clock.now(), paymentsEnabled: app.config.stripe !== null });

  // ---- specialists ----
  const sp = { tags: ['admin: specialists'], security };

  app.get('/api/admin/specialists', {
    schema: { ...sp, summary: 'List specialists (full records)', querystring: ArchiveFilter, response: { 200: AdminSpecialistList, ...errors(400) } },
  }, async (req) => ({ specialists: await listSpecialists(app.db, req.query.archived) }));

  app.post('/api/admin/specialists', {
    schema: {
      ...sp, summary: 'Create a specialist', body: SpecialistCreate,
      description: 'Unknown time zones answer 400 invalid_timezone (field body.timezone); a slug in use 409 slug_taken.',
      response: { 201: AdminSpecialist, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createSpecialist(app.db, req.body, ctx())));

  app.get('/api/admin/specialists/:id', {
    schema: { ...sp, summary: 'A specialist by id or slug', params: IdOrSlugParams, response: { 200: AdminSpecialist, ...errors(404) } },
  }, async (req) => getSpecialist(app.db, req.params.id));

  app.patch('/api/admin/specialists/:id', {
    schema: {
      ...sp, summary: 'Update a specialist', params: IdOrSlugParams, body: SpecialistUpdate,
      description: 'Weekly hours are wall-clock times: after a zone change they are read in the new zone.',
      response: { 200: AdminSpecialist, ...errors(400, 404, 409) },
    },
  }, async (req) => updateSpecialist(app.db, req.params.id, req.body, ctx()));

  app.post('/api/admin/specialists/:id/archive', {
    schema: {
      ...sp, summary: 'Archive a specialist', params: IdOrSlugParams,
      description: 'Hides the specialist from booking and revokes their credentials. Nothing is deleted: bookings, hours and history stay.',
      response: { 200: AdminSpecialist, ...errors(404) },
    },
  }, async (req) => archiveSpecialist(app.db, req.params.id, ctx()));

  app.post('/api/admin/specialists/:id/restore', {
    schema: { ...sp, summary: 'Restore an archived specialist', params: IdOrSlugParams, response: { 200: AdminSpecialist, ...errors(404) } },
  }, async (req) => restoreSpecialist(app.db, req.params.id, ctx()));

  // ---- specialist credentials ----
  const cr = { tags: ['admin: credentials'], security };
  const specialistId = async (idOrSlug: string) => (await specialistRow(app.db, idOrSlug)).id;

  app.get('/api/admin/specialists/:id/credentials', {
    schema: { ...cr, summary: 'List a specialist\'s credentials (never the tokens)', params: IdOrSlugParams, response: { 200: CredentialList, ...errors(404) } },
  }, async (req) => ({ credentials: await listCredentials(app.db, await specialistId(req.params.id)) }));

  app.post('/api/admin/specialists/:id/credentials', {
    // The body is optional (only a label): a bodiless POST issues an unlabelled credential.
    preValidation: async (req) => { req.body ??= {}; },
    schema: {
      ...cr, summary: 'Issue a credential', params: IdOrSlugParams, body: CredentialCreate,
      description: 'The token is in this response only; the server stores its SHA-256 hash.',
      response: { 201: IssuedCredential, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => {
    const issued = await issueCredential(app.db, await specialistId(req.params.id), req.body.label ?? '', ctx());
    return reply.status(201).header('cache-control', 'no-store').send(issued);
  });

  app.delete('/api/admin/specialists/:id/credentials/:credentialId', {
    schema: { ...cr, summary: 'Revoke a credential', params: CredentialParams, response: { 200: Credential, ...errors(404) } },
  }, async (req) => revokeCredential(app.db, await specialistId(req.params.id), req.params.credentialId, ctx()));

  // ---- any specialist's schedule ----
  mountScheduleRoutes(app, {
    prefix: '/api/admin/specialists/:id', params: IdOrSlugParams, tag: 'admin: schedules', security: 'admin',
    specialistOf: (req) => specialistId((req.params as { id: string }).id),
  });

  // ---- services ----
  const sv = { tags: ['admin: services'], security };

  app.get('/api/admin/services', {
    schema: { ...sv, summary: 'List services (full records)', querystring: ArchiveFilter, response: { 200: AdminServiceList, ...errors(400) } },
  }, async (req) => ({ services: await listServices(app.db, req.query.archived) }));

  app.post('/api/admin/services', {
    schema: {
      ...sv, summary: 'Create a service', body: ServiceCreate,
      description: 'Field rules: see each property. Violations answer 400 with the field, e.g. body.slotStepMin or body.currency; a slug in use 409 slug_taken.',
      response: { 201: AdminService, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createService(app.db, req.body, ctx())));

  app.get('/api/admin/services/:id', {
    schema: { ...sv, summary: 'A service by id or slug', params: IdOrSlugParams, response: { 200: AdminService, ...errors(404) } },
  }, async (req) => getService(app.db, req.params.id));

  app.patch('/api/admin/services/:id', {
    schema: { ...sv, summary: 'Update a service', params: IdOrSlugParams, body: ServiceUpdate, response: { 200: AdminService, ...errors(400, 404, 409) } },
  }, async (req) => updateService(app.db, req.params.id, req.body, ctx()));

  app.post('/api/admin/services/:id/archive', {
    schema: {
      ...sv, summary: 'Archive a service', params: IdOrSlugParams,
      description: 'No new bookings; existing bookings stay and keep the terms they were made under.',
      response: { 200: AdminService, ...errors(404) },
    },
  }, async (req) => setServiceArchived(app.db, req.params.id, true, ctx()));

  app.post('/api/admin/services/:id/restore', {
    schema: { ...sv, summary: 'Restore an archived service', params: IdOrSlugParams, response: { 200: AdminService, ...errors(404) } },
  }, async (req) => setServiceArchived(app.db, req.params.id, false, ctx()));

  app.put('/api/admin/services/:id/specialists', {
    schema: {
      ...sv, summary: 'Choose who offers a service', params: IdOrSlugParams, body: ServiceSpecialists,
      response: { 200: AdminService, ...errors(400, 404) },
    },
  }, async (req) => setServiceSpecialists(app.db, req.params.id, req.body.specialistIds, ctx()));

  // ---- embedding origins ----
  const og = { tags: ['admin: origins'], security };

  app.get('/api/admin/origins', {
    schema: { ...og, summary: 'Allowed embedding origins (CORS)', response: { 200: AllowedOriginList, ...errors() } },
  }, async () => ({ origins: await listOrigins(app.db, app.config.allowedOrigins) }));

  app.post('/api/admin/origins', {
    schema: {
      ...og, summary: 'Allow an embedding origin', body: OriginBody,
      description: 'Normalised to origin form (https://host[:port]); 201 when added, 200 when it was already allowed.',
      response: { 200: AllowedOrigin, 201: AllowedOrigin, ...errors(400) },
    },
  }, async (req, reply) => {
    const { origin, created } = await addOrigin(app.db, req.body.origin, ctx());
    app.invalidateOriginCache();
    return reply.status(created ? 201 : 200).send(origin);
  });

  app.delete('/api/admin/origins', {
    schema: {
      ...og, summary: 'Remove an embedding origin', querystring: OriginQuery,
      description: 'Origins from the environment (source "config") cannot be removed here: 409 configured_origin.',
      response: { 204: Type.Null(), ...errors(400, 404, 409) },
    },
  }, async (req, reply) => {
    await removeOrigin(app.db, req.query.origin, app.config.allowedOrigins);
    app.invalidateOriginCache();
    return reply.status(204).send(null);
  });

  // ---- webhooks ----
  const wh = { tags: ['admin: webhooks'], security };
  const outbound = app.outboundPolicy;

  app.get('/api/admin/webhooks', {
    schema: { ...wh, summary: 'Webhook endpoints (without secrets)', response: { 200: WebhookList, ...errors() } },
  }, async () => ({ webhooks: await listWebhooks(app.db) }));

  app.post('/api/admin/webhooks', {
    schema: {
      ...wh, summary: 'Add a webhook endpoint', body: WebhookCreate,
      description: 'Deliveries are signed per Standard Webhooks with the secret in this response, which is shown only once. The URL must resolve to public internet addresses only (checked now and at every delivery; redirects are not followed) unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set: 400 url_not_allowed.',
      response: { 201: CreatedWebhook, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).header('cache-control', 'no-store').send(await createWebhook(app.db, app.config.secretKey, req.body, ctx(), outbound)));

  app.patch('/api/admin/webhooks/:id', {
    schema: { ...wh, summary: 'Change or pause a webhook endpoint', params: WebhookParams, body: WebhookUpdate, response: { 200: Webhook, ...errors(400, 404) } },
  }, async (req) => updateWebhook(app.db, req.params.id, req.body, outbound));

  app.delete('/api/admin/webhooks/:id', {
    schema: { ...wh, summary: 'Remove a webhook endpoint', params: WebhookParams, response: { 204: Type.Null(), ...errors(404) } },
  }, async (req, reply) => {
    await deleteWebhook(app.db, req.params.id);
    return reply.status(204).send(null);
  });
}
