// Public read API of availability: specialist profiles, service definitions and bookable slots.
// Nothing here is personal: profiles carry no email, and archived specialists or services are
// invisible. Slots answer in the visitor's zone, grouped by the visitor-local date they start on.
import { Type } from 'typebox';
import {
  PublicService, PublicSpecialist, SlotsQuery, SlotsResponse, type SlotsDay,
} from '../../shared/schemas.ts';
import type { Service, Specialist } from '../db/schema.ts';
import { MAX_YEAR, MIN_YEAR, parseCalendarDate } from '../http/dates.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import { singleFlight } from './coalesce.ts';
import { checkDateRange, groupByLocalDate, isoUtc, localDateWindow, type RangeProblem } from './days.ts';
import type { Slot } from './engine.ts';
import { findService, findSpecialist, loadOffering, slotsFromRows, type DbOrTrx, type Offering } from './load.ts';
import { addDays, instantToZoned, isValidTimeZone } from './zone.ts';

/** Longest range one slots request may ask for, in days (inclusive). */
export const MAX_RANGE_DAYS = 62;
/** The reserved key (the slug pattern admits it) asking for the union of every specialist offering the service. */
export const ANY_SPECIALIST = 'any';

const IdOrSlug = Type.String({ minLength: 1, maxLength: 64, description: 'Id (uuid) or slug' });

function publicSpecialist(s: Specialist, services: string[]): PublicSpecialist {
  return { id: s.id, slug: s.slug, name: s.name, bio: s.bio, specialty: s.specialty, photoUrl: s.photo_url, timezone: s.timezone, services };
}

function publicService(s: Service, specialists: string[]): PublicService {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    description: s.description,
    durationMin: s.duration_min,
    priceCents: s.price_cents,
    currency: s.currency,
    minNoticeMin: s.min_notice_min,
    horizonDays: s.horizon_days,
    requiresApproval: s.requires_approval,
    cancellationPolicy: s.cancellation_policy,
    payment: s.payment,
    intakeQuestions: s.intake_questions,
    videoEnabled: s.video_enabled,
    specialists,
  };
}

/** Active (specialist, service) pairs among the given ids: both sides not archived. */
async function activeLinks(db: DbOrTrx, by: { specialistIds?: string[]; serviceIds?: string[] }) {
  let q = db.selectFrom('specialist_services as l')
    .innerJoin('specialists as p', 'p.id', 'l.specialist_id')
    .innerJoin('services as s', 's.id', 'l.service_id')
    .select(['l.specialist_id', 'l.service_id'])
    .where('p.archived_at', 'is', null)
    .where('s.archived_at', 'is', null)
    .orderBy('p.name').orderBy('p.id').orderBy('s.name').orderBy('s.id');
  if (by.specialistIds) q = q.where('l.specialist_id', 'in', by.specialistIds);
  if (by.serviceIds) q = q.where('l.service_id', 'in', by.serviceIds);
  return q.execute();
}

function groupIds<K extends string, V extends string>(rows: Record<K | V, string>[], key: K, value: V): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const list = map.get(r[key]);
    if (list) list.push(r[value]);
    else map.set(r[key], [r[value]]);
  }
  return map;
}

async function specialistProfiles(db: DbOrTrx, specialists: Specialist[]): Promise<PublicSpecialist[]> {
  if (specialists.length === 0) return [];
  const links = await activeLinks(db, { specialistIds: specialists.map((s) => s.id) });
  const services = groupIds(links, 'specialist_id', 'service_id');
  return specialists.map((s) => publicSpecialist(s, services.get(s.id) ?? []));
}

interface SlotOut { start: number; end: number; specialists?: string[] }

/** One list of slots for several specialists: each start once, naming who is free then. */
function unionSlots(perSpecialist: { id: string; slots: Slot[] }[]): SlotOut[] {
  const byStart = new Map<number, SlotOut & { specialists: string[] }>();
  for (const { id, slots } of perSpecialist) {
    for (const s of slots) {
      const seen = byStart.get(s.start);
      if (seen) seen.specialists.push(id);
      else byStart.set(s.start, { start: s.start, end: s.end, specialists: [id] });
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

function toDays(slots: SlotOut[], zone: string): SlotsDay[] {
  return groupByLocalDate(slots, zone).map((d) => ({
    date: d.date,
    slots: d.slots.map((s) => {
      const out: SlotsDay['slots'][number] = { start: isoUtc(s.start), end: isoUtc(s.end) };
      if (s.specialists) out.specialists = s.specialists;
      return out;
    }),
  }));
}

export default async function availabilityRoutes(app: App) {
  // Two levels of sharing between concurrent requests (see coalesce.ts): whole answers for the
  // same question, and database loads for the same specialist, service and dates, which do not
  // depend on the visitor's zone.
  const answers = singleFlight<Buffer>();
  const loads = singleFlight<Offering | null>();

  app.get('/api/specialists', {
    schema: {
      tags: ['availability'],
      summary: 'Public profiles of all active specialists',
      response: { 200: Type.Array(PublicSpecialist) },
    },
  }, async () => {
    const rows = await app.db.selectFrom('specialists').selectAll()
      .where('archived_at', 'is', null).orderBy('name').orderBy('id').execute();
    return specialistProfiles(app.db, rows);
  });

  app.get('/api/specialists/:idOrSlug', {
    schema: {
      tags: ['availability'],
      summary: 'Public profile of one specialist',
      params: Type.Object({ idOrSlug: IdOrSlug }),
      response: { 200: PublicSpecialist, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const specialist = await findSpecialist(app.db, request.params.idOrSlug);
    if (!specialist) throw notFound('Specialist');
    const [profile] = await specialistProfiles(app.db, [specialist]);
    return profile!;
  });

  app.get('/api/services', {
    schema: {
      tags: ['availability'],
      summary: 'Public definitions of active services, optionally of one specialist',
      querystring: Type.Object({ specialist: Type.Optional(IdOrSlug) }),
      response: { 200: Type.Array(PublicService), ...errorResponses(400, 404) },
    },
  }, async (request) => {
    let q = app.db.selectFrom('services').selectAll().where('archived_at', 'is', null);
    if (request.query.specialist !== undefined) {
      const specialist = await findSpecialist(app.db, request.query.specialist);
      if (!specialist) throw notFound('Specialist');
      q = q.where('id', 'in', (eb) => eb.selectFrom('specialist_services').select('service_id').where('specialist_id', '=', specialist.id));
    }
    const services = await q.orderBy('name').orderBy('id').execute();
    if (services.length === 0) return [];
    const links = await activeLinks(app.db, { serviceIds: services.map((s) => s.id) });
    const specialists = groupIds(links, 'service_id', 'specialist_id');
    return services.map((s) => publicService(s, specialists.get(s.id) ?? []));
  });

  app.get('/api/specialists/:idOrSlug/slots', {
    schema: {
      tags: ['availability'],
      summary: 'Bookable slots, grouped by the date they start on in the requested time zone',
      description:
        '`from` and `to` are inclusive dates in `timezone` (default: the specialist\'s zone), at most '
        + `${MAX_RANGE_DAYS} days apart. Days without slots are omitted. With \`${ANY_SPECIALIST}\` as the `
        + 'specialist, the slots of every specialist offering the service are merged and each slot names '
        + 'who is free then; the default zone is then the one they share, or the server default.',
      params: Type.Object({ idOrSlug: IdOrSlug }),
      querystring: SlotsQuery,
      response: { 200: SlotsResponse, ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const { idOrSlug } = request.params;
    const { service: serviceKey, from: fromDate, to: toDate, timezone: requestedZone } = request.query;
    // Input problems first, so a bad request is a 400 whatever it names.
    if (requestedZone !== undefined && !isValidTimeZone(requestedZone)) {
      throw badRequest('invalid_timezone', `Unknown time zone "${requestedZone}" (expected an IANA name like Europe/Berlin).`, 'query.timezone');
    }
    // The API's one date parser first (real days, years 2000-2200), naming the bad field.
    for (const [value, field] of [[fromDate, 'query.from'], [toDate, 'query.to']] as const) {
      if (parseCalendarDate(value) === null) {
        throw badRequest('invalid_range', `\`${field.slice(6)}\` must be a date (YYYY-MM-DD) from ${MIN_YEAR} to ${MAX_YEAR}.`, field);
      }
    }
    const problem = checkDateRange(fromDate, toDate, MAX_RANGE_DAYS);
    if (problem !== null) throw rangeError(problem);

    // Identical concurrent requests share one computation and one serialised body (see
    // coalesce.ts). The body is the schema's shape exactly, so JSON.stringify replaces the
    // per-request serialiser.
    const key = JSON.stringify([idOrSlug, serviceKey, fromDate, toDate, requestedZone ?? null]);
    const body = await answers(key, async () => Buffer.from(JSON.stringify(
      await listSlots(app, loads, { specialistKey: idOrSlug === ANY_SPECIALIST ? null : idOrSlug, serviceKey, fromDate, toDate, requestedZone }),
    )));
    reply.header('cache-control', 'public, max-age=15').type('application/json; charset=utf-8');
    // Already the response schema's JSON: a Buffer payload is sent as it is.
    return reply.send(body as unknown as SlotsResponse);
  });
}

interface ListSlots {
  /** Null: every active specialist offering the service. */
  specialistKey: string | null;
  serviceKey: string;
  fromDate: string;
  toDate: string;
  requestedZone: string | undefined;
}

type Loads = ReturnType<typeof singleFlight<Offering | null>>;

async function listSlots(app: App, loads: Loads, q: ListSlots): Promise<SlotsResponse> {
  // Load once for the dates read as UTC and widened by a day: that covers them in every zone,
  // so the default zone (the specialist's, known only after loading) needs no second trip, and
  // visitors in different zones asking for the same dates share the load.
  const wide = localDateWindow(addDays(q.fromDate, -1), addDays(q.toDate, 1), 'UTC');
  const loadKey = JSON.stringify([q.specialistKey, q.serviceKey, q.fromDate, q.toDate]);
  const offering = await loads(loadKey, () => loadOffering(app.db, q.serviceKey, q.specialistKey, wide.from, wide.until));
  if (offering === null) throw await whyNotOffered(app.db, q.serviceKey, q.specialistKey);
  const { service, specialists } = offering;

  const zones = new Set(specialists.map((s) => s.timezone));
  const zone = q.requestedZone ?? (zones.size === 1 ? specialists[0]!.timezone : app.config.defaultTimezone);
  const window = localDateWindow(q.fromDate, q.toDate, zone);
  const now = app.clock.now();
  const perSpecialist = specialists.map((s) => ({
    id: s.id,
    slots: slotsFromRows(s.rows, { timezone: s.timezone, service, from: window.from, until: window.until, now }),
  }));

  const any = q.specialistKey === null;
  const slots: SlotOut[] = any ? unionSlots(perSpecialist) : perSpecialist[0]!.slots;
  return {
    timezone: zone,
    ...(any ? {} : { specialist: specialists[0]!.id }),
    lastDate: lastBookableDate(specialists.map((s) => s.timezone), service.horizon_days, now, zone),
    days: toDays(slots, zone),
  };
}

/**
 * The horizon counts from each specialist's today (engine.ts), so the last date a visitor can
 * book is where the end of the latest specialist's last day falls in the visitor's zone: it can
 * be a day either side of the visitor's own today + horizon. Clients bound their calendars by it.
 */
function lastBookableDate(specialistZones: string[], horizonDays: number, now: number, zone: string): string {
  const ends = specialistZones.map((tz) => {
    const last = addDays(instantToZoned(now, tz).date, horizonDays);
    return localDateWindow(last, last, tz).until;
  });
  return instantToZoned(Math.max(...ends) - 1, zone).date;
}

/** The precise 404 for a (specialist, service) pair that loadOffering did not find. */
async function whyNotOffered(db: DbOrTrx, serviceKey: string, specialistKey: string | null): Promise<HttpError> {
  const [service, specialist] = await Promise.all([
    findService(db, serviceKey),
    specialistKey === null ? null : findSpecialist(db, specialistKey),
  ]);
  if (!service) return notFound('Service');
  if (specialistKey === null) return notFound('Specialist offering this service');
  if (!specialist) return notFound('Specialist');
  return new HttpError(404, 'not_found', 'This specialist does not offer that service.');
}

function rangeError(problem: RangeProblem): HttpError {
  return problem === 'invalid_range'
    ? badRequest('invalid_range', '`from` and `to` must be dates (YYYY-MM-DD) with `from` on or before `to`.', 'query.from')
    : badRequest('range_too_long', `The range may cover at most ${MAX_RANGE_DAYS} days.`, 'query.to');
}
