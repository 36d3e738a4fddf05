// Public read API of availability: specialist profiles, service definitions and bookable slots.
// Nothing here is personal: profiles carry no email, and archived specialists or services are
// invisible. Slots answer in the visitor's zone, grouped by the visitor-local date they start on.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Type } from 'typebox';
import {
  PublicService, PublicSpecialist, SlotsQuery, SlotsResponse,
} from '../../shared/schemas.ts';
import type { Service, Specialist } from '../db/schema.ts';
import { MAX_YEAR, MIN_YEAR, parseCalendarDate } from '../http/dates.ts';
import { COMPRESS_MIN_BYTES } from '../http/compression.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import { freshReads, Lru } from './cache.ts';
import { singleFlight } from './coalesce.ts';
import { checkDateRange, groupByLocalDate, isoUtc, localDateWindow, type RangeProblem } from './days.ts';
import type { Slot } from './engine.ts';
import {
  availabilityVersion, findService, findSpecialist, loadOffering, slotsFromRows, type DbOrTrx, type Offering,
} from './load.ts';
import { addDays, instantToZoned, isValidTimeZone, zonedToInstant } from './zone.ts';

/** Longest range one slots request may ask for, in days (inclusive). */
export const MAX_RANGE_DAYS = 62;
/** The reserved key (the slug pattern admits it) asking for the union of every specialist offering the service. */
export const ANY_SPECIALIST = 'any';

const NotModified = Type.Null({ description: 'Unchanged since the answer whose ETag was sent in If-None-Match' });
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

interface SlotOut { start: number; end: number; free?: number[] }

/** One list of slots for several specialists: each start once, naming who is free by position. */
function unionSlots(perSpecialist: Slot[][]): SlotOut[] {
  const byStart = new Map<number, SlotOut & { free: number[] }>();
  for (let i = 0; i < perSpecialist.length; i++) {
    for (const s of perSpecialist[i]!) {
      const seen = byStart.get(s.start);
      if (seen) seen.free.push(i);
      else byStart.set(s.start, { start: s.start, end: s.end, free: [i] });
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/**
 * The answer's JSON, written directly: every value is an ISO instant, a date, a uuid, an index
 * or a validated zone name, none of which needs escaping, so this is byte for byte what
 * JSON.stringify would give for the SlotsResponse shape, without building the object first.
 */
function slotsJson(zone: string, specialist: string | null, team: string[] | null, lastDate: string, slots: SlotOut[]): string {
  let out = `{"timezone":${JSON.stringify(zone)}`;
  if (specialist !== null) out += `,"specialist":"${specialist}"`;
  if (team !== null) out += `,"team":[${team.map((id) => `"${id}"`).join(',')}]`;
  out += `,"lastDate":"${lastDate}"`;
  out += ',"days":[';
  const days = groupByLocalDate(slots, zone);
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    out += `${d > 0 ? ',' : ''}{"date":"${day.date}","slots":[`;
    for (let i = 0; i < day.slots.length; i++) {
      const s = day.slots[i]!;
      out += `${i > 0 ? ',' : ''}{"start":"${isoUtc(s.start)}","end":"${isoUtc(s.end)}"`;
      out += s.free ? `,"free":[${s.free.join(',')}]}` : '}';
    }
    out += ']}';
  }
  return `${out}]}`;
}

/**
 * Until when an answer computed at `now` stays exact without any data change: the first slot
 * leaves when its minimum notice is reached, and at the next local midnight the horizon admits a
 * new date (nothing else in the engine depends on the clock).
 */
function validUntil(now: number, minNoticeMin: number, perSpecialist: { timezone: string; slots: Slot[] }[]): number {
  let until = Infinity;
  for (const { timezone, slots } of perSpecialist) {
    const midnight = zonedToInstant(addDays(instantToZoned(now, timezone).date, 1), 0, timezone);
    until = Math.min(until, midnight, slots.length > 0 ? slots[0]!.start - minNoticeMin * 60_000 + 1 : Infinity);
  }
  return until;
}

interface CachedAnswer {
  version: string;
  /** The clock's `now` the answer was computed at, and the first instant it is no longer exact. */
  computedAt: number;
  validUntil: number;
  body: Buffer;
  etag: string;
  /** Compressed copies, made on first demand: a hit then costs no compression at all. */
  encoded: { br?: Buffer; gzip?: Buffer };
}

/** An Accept-Encoding list offering `name` (or `*`) with a q-value above 0. */
const accepts = (name: string) => new RegExp(`(?:^|,)\\s*(?:${name}|\\*)\\s*(?:,|$|;(?!\\s*q=0(?:\\.0*)?\\s*(?:,|$)))`);
const ACCEPTS_BR = accepts('br');
const ACCEPTS_GZIP = accepts('gzip');

/** The encoding to send: the client's br or else gzip, for bodies worth compressing. */
function encodingFor(accept: string | undefined, bytes: number): 'br' | 'gzip' | null {
  if (accept === undefined || bytes < COMPRESS_MIN_BYTES) return null;
  return ACCEPTS_BR.test(accept) ? 'br' : ACCEPTS_GZIP.test(accept) ? 'gzip' : null;
}

function encoded(answer: CachedAnswer, encoding: 'br' | 'gzip'): Buffer {
  return answer.encoded[encoding] ??= encoding === 'br'
    ? brotliCompressSync(answer.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
    : gzipSync(answer.body);
}

const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

export default async function availabilityRoutes(app: App) {
  // Sharing between requests, fastest first (see cache.ts, coalesce.ts): cached answers and
  // loaded rows valid for the version just read, identical concurrent computations, and database
  // loads for the same specialist, service and dates (they do not depend on the visitor's zone).
  const versions = freshReads<string>();
  const answers = new Lru<CachedAnswer>(ANSWER_CACHE_BYTES);
  const loaded = new Lru<Offering>(LOAD_CACHE_ENTRIES);
  const computing = singleFlight<CachedAnswer>();
  const loads = singleFlight<Offering | null>();
  const cachedLoad = async (key: string, version: string, load: () => Promise<Offering | null>) => {
    const hit = loaded.get(key);
    if (hit !== undefined && hit.version === version) return hit;
    const fresh = await loads(`${key}@${version}`, load);
    if (fresh !== null) loaded.set(key, fresh);
    return fresh;
  };

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
        + 'specialist, the slots of every specialist offering the service are merged: `team` lists them once '
        + 'and each slot names who is free then by position in it (`free`); the default zone is then the one '
        + 'they share, or the server default. Answers carry an ETag and `Cache-Control: no-cache`: they '
        + 'reflect every booking and schedule change at once, and a repeated request with `If-None-Match` '
        + 'answers 304 while nothing changed.',
      params: Type.Object({ idOrSlug: IdOrSlug }),
      querystring: SlotsQuery,
      response: { 200: SlotsResponse, 304: NotModified, ...errorResponses(400, 404) },
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

    const specialistKey = idOrSlug === ANY_SPECIALIST ? null : idOrSlug;
    // The version first, read after this request arrived: whatever is served below is at least
    // as new as every change committed before it (see cache.ts).
    const version = await versions(JSON.stringify([specialistKey, serviceKey]), () => availabilityVersion(app.db, serviceKey, specialistKey));
    const key = JSON.stringify([idOrSlug, serviceKey, fromDate, toDate, requestedZone ?? null]);
    const now = app.clock.now();
    const exactNow = (a: CachedAnswer) => a.computedAt <= now && now < a.validUntil;
    const compute = async (): Promise<CachedAnswer> => {
      const { body, version: at, validUntil: until } = await listSlots(app, cachedLoad, version, now,
        { specialistKey, serviceKey, fromDate, toDate, requestedZone });
      const computed: CachedAnswer = { version: at, computedAt: now, validUntil: until, body, etag: etagOf(body), encoded: {} };
      answers.set(key, computed, body.length + key.length);
      return computed;
    };
    let answer = answers.get(key);
    if (answer === undefined || answer.version !== version || !exactNow(answer)) {
      // A computation of this version already running is joined (its rows are at least this
      // version), unless the clock has since moved past what its answer is exact for.
      answer = await computing(`${key}@${version}`, compute);
      if (!exactNow(answer)) answer = await compute();
    }
    // Revalidated on every use (no max-age): a visitor who just lost a slot must see the change.
    reply.header('cache-control', 'no-cache').header('etag', answer.etag);
    if (request.headers['if-none-match'] === answer.etag) return reply.code(304).send(null);
    const vary = reply.getHeader('vary'); // CORS may have set Vary: Origin already
    reply.type('application/json; charset=utf-8').header('vary', vary ? `${String(vary)}, accept-encoding` : 'accept-encoding');
    // Already the response schema's JSON (a Buffer payload is sent as it is), compressed once per
    // answer rather than per request (the compression plugin leaves an encoded body alone).
    const encoding = encodingFor(request.headers['accept-encoding'], answer.body.length);
    if (encoding === null) return reply.send(answer.body as unknown as SlotsResponse);
    return reply.header('content-encoding', encoding).send(encoded(answer, encoding) as unknown as SlotsResponse);
  });
}

/** Bounds of the per-instance caches: ~32 MB of answers, 256 loaded offerings (a team's rows are tens of KB). */
const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;
const LOAD_CACHE_ENTRIES = 256;

interface ListSlots {
  /** Null: every active specialist offering the service. */
  specialistKey: string | null;
  serviceKey: string;
  fromDate: string;
  toDate: string;
  requestedZone: string | undefined;
}

type CachedLoad = (key: string, version: string, load: () => Promise<Offering | null>) => Promise<Offering | null>;

async function listSlots(app: App, cachedLoad: CachedLoad, version: string, now: number, q: ListSlots): Promise<{ body: Buffer; version: string; validUntil: number }> {
  // Load once for the dates read as UTC and widened by a day: that covers them in every zone,
  // so the default zone (the specialist's, known only after loading) needs no second trip, and
  // visitors in different zones asking for the same dates share the load.
  const wide = localDateWindow(addDays(q.fromDate, -1), addDays(q.toDate, 1), 'UTC');
  const loadKey = JSON.stringify([q.specialistKey, q.serviceKey, q.fromDate, q.toDate]);
  const offering = await cachedLoad(loadKey, version, () => loadOffering(app.db, q.serviceKey, q.specialistKey, wide.from, wide.until));
  if (offering === null) throw await whyNotOffered(app.db, q.serviceKey, q.specialistKey);
  const { service, specialists } = offering;

  const zones = new Set(specialists.map((s) => s.timezone));
  const zone = q.requestedZone ?? (zones.size === 1 ? specialists[0]!.timezone : app.config.defaultTimezone);
  const window = localDateWindow(q.fromDate, q.toDate, zone);
  const perSpecialist = specialists.map((s) => ({
    timezone: s.timezone,
    slots: slotsFromRows(s.rows, { timezone: s.timezone, service, from: window.from, until: window.until, now }),
  }));

  const any = q.specialistKey === null;
  const slots: SlotOut[] = any ? unionSlots(perSpecialist.map((p) => p.slots)) : perSpecialist[0]!.slots;
  const lastDate = lastBookableDate(specialists.map((s) => s.timezone), service.horizon_days, now, zone);
  const json = slotsJson(zone, any ? null : specialists[0]!.id, any ? specialists.map((s) => s.id) : null, lastDate, slots);
  return { body: Buffer.from(json), version: offering.version, validUntil: validUntil(now, service.min_notice_min, perSpecialist) };
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
