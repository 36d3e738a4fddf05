// A specialist's own management API (their credential): who they are and their schedule.
// Booking lists, approvals and notes live with the bookings and video modules.
import type { FastifyRequest } from 'fastify';
import { AdminSpecialist } from '../../shared/admin.ts';
import { getSpecialist } from '../admin/specialists.ts';
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

  mountScheduleRoutes(app, { prefix: '/api/specialist', tag: 'specialist', security: 'specialist', specialistOf });
}
