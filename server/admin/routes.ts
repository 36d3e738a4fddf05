// The site owner's API (ADMIN_TOKEN or an owner's console session): specialists, services and
// who offers them, schedules, credentials and sessions, owner accounts, bookings across the
// practice, embedding origins and webhooks. Handlers are thin: the modules beside this file
// hold the rules, and the demo seed goes through the same functions.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { InviteBody, OwnerAccount, OwnerCreate, OwnerList, SessionList } from '../../shared/auth.ts';
import { BookingIdParams, BookingPage, BookingView } from '../../shared/bookings.ts';
import { Uuid } from '../../shared/schemas.ts';
import {
  AdminBookingCsvQuery, AdminBookingQuery, InviteSent, SpecialistSessionsRevoked, TestDeliveryQueued, WebhookDeliveryList,
} from '../../shared/admin.ts';
import {
  AdminService, AdminServiceList, AdminSpecialist, AdminSpecialistList, AllowedOrigin, AllowedOriginList, ArchiveFilter,
  CreatedWebhook, CredentialCreate, CredentialList, CredentialParams, Credential, IdOrSlugParams, IssuedCredential,
  OriginBody, OriginQuery, ServiceCreate, ServiceSpecialists, ServiceUpdate, SpecialistCreate, SpecialistUpdate,
  Webhook, WebhookCreate, WebhookList, WebhookParams, WebhookUpdate,
} from '../../shared/admin.ts';
import { requireAdmin } from '../auth/guards.ts';
import { revokeSessionsOf, specialistSessions } from '../auth/sessions.ts';
import { accountByEmail, sendSignInLink, type Account } from '../auth/sign-in.ts';
import { notFound } from '../http/errors.ts';
import { findBooking } from '../bookings/access.ts';
import { markSpecialistNoShow } from '../bookings/manage.ts';
import { viewOf } from '../bookings/store.ts';
import { bookingsCsv, listBookings } from './bookings.ts';
import { archiveOwner, createOwner, listOwners, ownerRow } from './owners.ts';
import { errorResponses, type App } from '../http/types.ts';
import { mountScheduleRoutes } from '../specialist/schedule-routes.ts';
import { issueCredential, listCredentials, revokeCredential } from './credentials.ts';
import { addOrigin, listOrigins, removeOrigin } from './origins.ts';
import { createService, getService, listServices, setServiceArchived, setServiceSpecialists, updateService } from './services.ts';
import { archiveSpecialist, createSpecialist, getSpecialist, listSpecialists, restoreSpecialist, specialistRow, updateSpecialist } from './specialists.ts';
import { createWebhook, deleteWebhook, listWebhooks, queueTestDelivery, redeliver, recentDeliveries, updateWebhook } from './webhooks.ts';

const security = [{ admin: [] }];
const errors = (...codes: number[]) => errorResponses(401, 503, ...codes);

export default async function adminRoutes(app: App) {
  // Checked before body validation: without the token nothing about the request is answered.
  app.addHook('onRequest', async (req) => requireAdmin(req));
  const ctx = () => ({ now: app.clock.now(), paymentsEnabled: app.config.stripe !== null });

  /** Emails an account its invitation (a sign-in link valid 72 hours) and relays it at once. */
  const invite = async (account: Account, locale?: string) => {
    await sendSignInLink(app.db, app.config.secretKey, account, { now: app.clock.now(), kind: 'account.invite', locale });
    app.notifications?.nudge().catch((err) => app.log.warn({ err: String(err) }, 'relaying an invitation failed'));
    return { sent: true as const, email: account.email };
  };
  const specialistAccount = async (idOrSlug: string): Promise<Account> => {
    const row = await specialistRow(app.db, idOrSlug);
    if (row.archived_at !== null) throw notFound('Specialist');
    return { subject: { role: 'specialist', specialistId: row.id }, name: row.name, email: row.email };
  };

  // ---- specialists ----
  const sp = { tags: ['admin: specialists'], security };

  app.get('/api/admin/specialists', {
    schema: { ...sp, summary: 'List specialists (full records)', querystring: ArchiveFilter, response: { 200: AdminSpecialistList, ...errors(400) } },
  }, async (req) => ({ specialists: await listSpecialists(app.db, req.query.archived) }));

  app.post('/api/admin/specialists', {
    schema: {
      ...sp, summary: 'Create a specialist', body: SpecialistCreate,
      description: 'Starts with Monday to Friday 09:00-17:00 in the specialist\'s zone unless `hours` is given. `invite: true` emails a sign-in link to the console. '
        + 'Unknown time zones answer 400 invalid_timezone (field body.timezone); a slug in use 409 slug_taken.',
      response: { 201: AdminSpecialist, ...errors(400, 409) },
    },
  }, async (req, reply) => {
    const created = await createSpecialist(app.db, req.body, ctx());
    if (req.body.invite) await invite(await specialistAccount(created.id));
    return reply.status(201).send(created);
  });

  app.post('/api/admin/specialists/:id/invite', {
    preValidation: async (req) => { req.body ??= {}; },
    schema: {
      ...sp, summary: 'Email the specialist a sign-in link to the console (an invitation, valid 72 hours)',
      params: IdOrSlugParams, body: InviteBody, response: { 202: InviteSent, ...errors(400, 404, 429) },
    },
    config: { rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req, reply) => reply.status(202).send(await invite(await specialistAccount(req.params.id), req.body.locale)));

  app.get('/api/admin/specialists/:id/sessions', {
    schema: { ...sp, summary: 'The specialist\'s live console sessions', params: IdOrSlugParams, response: { 200: SessionList, ...errors(404) } },
  }, async (req) => ({ sessions: await specialistSessions(app.db, (await specialistRow(app.db, req.params.id)).id, app.clock.now()) }));

  app.delete('/api/admin/specialists/:id/sessions', {
    schema: {
      ...sp, summary: 'Sign the specialist out everywhere (their credentials stay valid)',
      params: IdOrSlugParams, response: { 200: SpecialistSessionsRevoked, ...errors(404) },
    },
  }, async (req) => ({ revoked: await revokeSessionsOf(app.db, { specialistId: (await specialistRow(app.db, req.params.id)).id }, app.clock.now()) }));

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

  // ---- owner accounts ----
  const ow = { tags: ['admin: owners'], security };
  const OwnerParams = Type.Object({ id: Uuid });

  app.get('/api/admin/owners', {
    schema: { ...ow, summary: 'Owner accounts (people who sign in to the console by email)', response: { 200: OwnerList, ...errors() } },
  }, async () => ({ owners: await listOwners(app.db) }));

  app.post('/api/admin/owners', {
    schema: {
      ...ow, summary: 'Add an owner account', body: OwnerCreate,
      description: 'Emails a sign-in link unless `invite` is false. An address in use answers 409 email_taken.',
      response: { 201: OwnerAccount, ...errors(400, 409) },
    },
  }, async (req, reply) => {
    const owner = await createOwner(app.db, req.body, ctx());
    if (req.body.invite !== false) await invite((await accountByEmail(app.db, 'owner', owner.email))!);
    return reply.status(201).send(owner);
  });

  app.post('/api/admin/owners/:id/invite', {
    schema: { ...ow, summary: 'Email the owner a new sign-in link', params: OwnerParams, response: { 202: InviteSent, ...errors(400, 404, 429) } },
    config: { rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req, reply) => {
    const row = await ownerRow(app.db, req.params.id);
    if (row.archived_at !== null) throw notFound('Owner');
    return reply.status(202).send(await invite({ subject: { role: 'owner', ownerId: row.id }, name: row.name, email: row.email }));
  });

  app.post('/api/admin/owners/:id/archive', {
    schema: { ...ow, summary: 'Archive an owner account and end its sessions', params: OwnerParams, response: { 200: OwnerAccount, ...errors(400, 404) } },
  }, async (req) => archiveOwner(app.db, req.params.id, ctx()));

  // ---- bookings across the practice ----
  const bk = { tags: ['admin: bookings'], security };

  app.get('/api/admin/bookings', {
    schema: {
      ...bk, summary: 'Bookings across the practice, filtered and paged',
      description: 'Ordered by start time (then id), paged by keyset: pass `nextCursor` as `cursor` with the same filters. '
        + '`q` matches part of the visitor\'s name or email. Unknown specialists or services answer 400 naming the parameter.',
      querystring: AdminBookingQuery, response: { 200: BookingPage, ...errors(400) },
    },
  }, async (req) => listBookings(app.db, req.query, app.clock.now()));

  app.post('/api/admin/bookings/:id/specialist-no-show', {
    schema: {
      ...bk, summary: 'Record that the specialist did not come (the call could not tell)',
      description: 'For a confirmed or running session after its start, where the provider could not say who attended (Google Meet or Teams without attendance, see `attendance` on the booking): status `no_show` with `noShow.party` `specialist`, everything paid online refunded, the visitor told by email and `booking.no_show` sent with `noShowParty: "specialist"`. 409 `invalid_transition` otherwise.',
      params: BookingIdParams, response: { 200: BookingView, ...errors(400, 404, 409) },
    },
  }, async (req) => {
    const booking = await findBooking(app.db, req.params.id);
    if (booking === undefined) throw notFound('Booking');
    return viewOf(app.db, await markSpecialistNoShow(app, booking), 'admin', app.clock.now());
  });

  app.get('/api/admin/bookings.csv', {
    schema: {
      ...bk, summary: 'The same bookings as CSV (every page), for spreadsheets',
      querystring: AdminBookingCsvQuery, produces: ['text/csv'],
      response: { 200: Type.String({ description: 'RFC 4180 CSV with a header line' }), ...errors(400) },
    },
  }, async (req, reply) => {
    const lines = bookingsCsv(app.db, req.query);
    // The first chunk (the header) is awaited here, so a bad filter is still a clean 400.
    const first = await lines.next();
    const stream = Readable.from((async function* () { if (!first.done) yield first.value; yield* lines; })());
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="bookings-${new Date(app.clock.now()).toISOString().slice(0, 10)}.csv"`)
      .send(stream as unknown as string);
  });

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

  app.post('/api/admin/webhooks/:id/test', {
    schema: {
      ...wh, summary: 'Send a test event (webhook.test) to the endpoint now',
      description: 'Delivered like every event (signed, retried); see its result in the recent deliveries.',
      params: WebhookParams, response: { 202: TestDeliveryQueued, ...errors(404, 429) },
    },
    config: { rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req, reply) => {
    const deliveryId = await queueTestDelivery(app.db, req.params.id, app.clock.now());
    app.notifications?.nudge().catch((err) => app.log.warn({ err: String(err) }, 'relaying a test webhook failed'));
    return reply.status(202).send({ deliveryId });
  });

  app.get('/api/admin/webhooks/:id/deliveries', {
    schema: { ...wh, summary: 'The endpoint\'s recent deliveries with their status', params: WebhookParams, response: { 200: WebhookDeliveryList, ...errors(404) } },
  }, async (req) => ({ deliveries: await recentDeliveries(app.db, req.params.id) }));

  app.post('/api/admin/webhooks/:id/deliveries/:deliveryId/redeliver', {
    schema: {
      ...wh, summary: 'Send a past delivery again (same body, same webhook-id)',
      description: 'For a receiver that lost or failed an event: a new attempt series starts now and shows in the recent deliveries. 409 while the delivery is still pending.',
      params: Type.Object({ id: Uuid, deliveryId: Uuid }), response: { 202: TestDeliveryQueued, ...errors(404, 409, 429) },
    },
    config: { rateLimit: { max: 30, timeWindow: 60_000 } },
  }, async (req, reply) => {
    const deliveryId = await redeliver(app.db, req.params.id, req.params.deliveryId, app.clock.now());
    app.notifications?.nudge().catch((err) => app.log.warn({ err: String(err) }, 'relaying a redelivery failed'));
    return reply.status(202).send({ deliveryId });
  });

  app.delete('/api/admin/webhooks/:id', {
    schema: { ...wh, summary: 'Remove a webhook endpoint', params: WebhookParams, response: { 204: Type.Null(), ...errors(404) } },
  }, async (req, reply) => {
    await deleteWebhook(app.db, req.params.id);
    return reply.status(204).send(null);
  });
}
