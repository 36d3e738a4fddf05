// A specialist's own management API (their credential): who they are and their schedule.
// Booking lists, approvals and notes live with the bookings and video modules.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AdminSpecialist, SpecialistSettings } from '../../shared/admin.ts';
import { getSpecialist, updateSpecialist } from '../admin/specialists.ts';
import { requireSpecialist } from '../auth/guards.ts';
import { errorResponses, type App } from '../http/types.ts';
import { mountScheduleRoutes } from './schedule-routes.ts';

export default async function specialistRoutes(app: App) {
  // Authenticated before body validation, so an anonymous caller learns nothing about the schema.
  const caller = new WeakMap<FastifyRequest, string>();
  app.addHook('onRequest', async (req) => { caller.set(req, await requireSpecialist(req)); });
  const specialistOf = async (req: FastifyRequest) => caller.get(req) ?? requireSpecialist(req);

  app.get('/api/specialist/me', {
    schema: {
      tags: ['specialist'], security: [{ specialist: [] }], summary: 'The calling specialist',
      response: { 200: AdminSpecialist, ...errorResponses(401) },
    },
  }, async (req) => getSpecialist(app.db, await specialistOf(req)));

  app.patch('/api/specialist/me', {
    schema: {
      tags: ['specialist'], security: [{ specialist: [] }], summary: 'Change the calling specialist\'s own settings: email language, reminder times',
      description: 'Everything else about a specialist is the site owner\'s (PATCH /api/admin/specialists/{id}). New reminder times reschedule the pending reminders of upcoming sessions.',
      body: SpecialistSettings, response: { 200: AdminSpecialist, ...errorResponses(400, 401) },
    },
  }, async (req) => updateSpecialist(app.db, await specialistOf(req), req.body, { now: app.clock.now() }));

  app.get('/api/specialist/bookings/version', {
    schema: {
      tags: ['specialist'], security: [{ specialist: [] }],
      summary: 'A value that changes whenever any of the caller\'s bookings does',
      description: 'The console polls it (cheaply) and reloads the agenda when it differs; it reads the database, so every API instance answers alike.',
      response: { 200: Type.Object({ version: Type.String() }, { examples: [{ version: '12.1764579600000' }] }), ...errorResponses(401) },
    },
  }, async (req) => {
    const row = await app.db.selectFrom('bookings')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('updated_at').as('changed')])
      .where('specialist_id', '=', await specialistOf(req)).executeTakeFirstOrThrow();
    return { version: `${row.n}.${row.changed ? new Date(row.changed as Date).getTime() : 0}` };
  });

  mountScheduleRoutes(app, { prefix: '/api/specialist', tag: 'specialist', security: 'specialist', specialistOf });
}
