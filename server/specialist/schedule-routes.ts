// The schedule routes (weekly hours, date overrides, vacations), mounted twice: under
// /api/specialist for the specialist's own schedule and under /api/admin/specialists/:id for
// the site owner. Only how the specialist is found differs.
import type { FastifyRequest } from 'fastify';
import { Type, type TObject } from 'typebox';
import { DateOverride, DateOverrideBody, DateOverrideList, OverrideParams, OverrideQuery, VacationBody, WeeklyHours, WeeklyHoursBody } from '../../shared/admin.ts';
import { errorResponses, type App } from '../http/types.ts';
import { blockDateRange, getWeeklyHours, listOverrides, removeOverride, replaceWeeklyHours, setDateOverride } from './schedule.ts';

export interface ScheduleMount {
  /** e.g. '/api/specialist' or '/api/admin/specialists/:id' */
  prefix: string;
  /** Path parameters of the prefix (the admin's `:id`). */
  params?: TObject;
  tag: string;
  security: 'admin' | 'specialist';
  /** The specialist the request is about; throws 401/404 itself. */
  specialistOf(request: FastifyRequest): Promise<string>;
}

export function mountScheduleRoutes(app: App, mount: ScheduleMount) {
  const { prefix, params, tag, specialistOf } = mount;
  // `params` only where the prefix has some: an undefined params schema draws a Fastify warning.
  const base = { tags: [tag], security: [{ [mount.security]: [] }], ...(params ? { params } : {}) };
  const overrideParams = Type.Object({ ...params?.properties, ...OverrideParams.properties });
  const errors = (...codes: number[]) => errorResponses(401, 404, ...codes);

  app.get(`${prefix}/hours`, {
    schema: { ...base, summary: 'Weekly hours', response: { 200: WeeklyHours, ...errors() } },
  }, async (req) => getWeeklyHours(app.db, await specialistOf(req)));

  app.put(`${prefix}/hours`, {
    schema: {
      ...base, body: WeeklyHoursBody,
      summary: 'Replace the weekly hours',
      description: 'Replaces the whole week atomically. Slots follow at once. Overlapping or inverted intervals answer 400 naming the interval, e.g. `body.hours[3].end`.',
      response: { 200: WeeklyHours, ...errors(400) },
    },
  }, async (req) => replaceWeeklyHours(app.db, await specialistOf(req), req.body.hours));

  app.get(`${prefix}/overrides`, {
    schema: { ...base, summary: 'Date overrides', querystring: OverrideQuery, response: { 200: DateOverrideList, ...errors(400) } },
  }, async (req) => ({ overrides: await listOverrides(app.db, await specialistOf(req), req.query) }));

  app.post(`${prefix}/overrides`, {
    schema: {
      ...base, body: DateOverrideBody,
      summary: 'Set a date override',
      description: 'Custom hours for one date (replacing its weekly hours), or an empty list to block the day.',
      response: { 201: DateOverride, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).send(await setDateOverride(app.db, await specialistOf(req), req.body)));

  app.post(`${prefix}/overrides/vacation`, {
    schema: {
      ...base, body: VacationBody,
      summary: 'Block a range of dates',
      response: { 201: DateOverrideList, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).send({ overrides: await blockDateRange(app.db, await specialistOf(req), req.body) }));

  app.delete(`${prefix}/overrides/:overrideId`, {
    schema: { ...base, summary: 'Remove a date override', params: overrideParams, response: { 204: Type.Null(), ...errors() } },
  }, async (req, reply) => {
    await removeOverride(app.db, await specialistOf(req), (req.params as { overrideId: string }).overrideId);
    return reply.status(204).send(null);
  });
}
