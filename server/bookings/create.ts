// POST /api/bookings: the check-then-insert runs in one transaction under the per-specialist
// advisory lock (race-free across instances), the exclusion constraint refuses any overlap that
// got past it anyway (23P01), and an idempotency key turns a retry into a replay.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Insertable } from 'kysely';
import { insertQuery } from '../db/insert.ts';
import type { Config } from '../config.ts';
import { loadPhone } from '../phone/load.ts';
import type { ParsedPhone } from '../phone/number.ts';
import { resolveBookingTarget, type BookingTarget, type InputRows, type SlotState } from '../availability/load.ts';
import { isValidTimeZone } from '../availability/zone.ts';
import { instantOf } from '../http/dates.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Booking, Database, Payment, Service, ServiceTerms, Specialist } from '../db/schema.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { createdOutbox, type MailUsage, type OutboxTargets } from '../notifications/outbox.ts';
import { checkReturnUrl } from '../payments/checkout.ts';
import { placeHold } from '../payments/hold.ts';
import { seal } from '../security/crypto.ts';
import type { CreateBookingBody } from '../../shared/bookings.ts';
import { emitBookingChanged } from './hooks.ts';
import { claimUploads } from '../intake-files/store.ts';
import { validateAnswers, type Answers } from './intake.ts';
import { LockQueueFull, blockedAt, bookingCountsRead, bookingLockLimits, findByIdempotencyKey, idempotencyRead, inLockQueue, lockedPipeline } from './store.ts';
import { pendingExpiresAt } from './lifecycle.ts';
import { checkBookingLimits, limitCheck } from '../abuse/limits.ts';
import { decideAlone, groupCommit, type LockedAttempt } from './batches.ts';
import type { BookingIdentity } from '../abuse/identity.ts';
import {
  ALTERNATIVES_AFTER_MS, ALTERNATIVES_BEFORE_MS, ALTERNATIVES_COUNT, SlotRefused, blockedRange, externalBusy, judgeSlot, nearestOf, openSlots, refusalKind, slotError, slotRowsRead,
  type OpenSlot,
} from './slots.ts';
import { slotGate, type Settled, type SlotGate } from './gate.ts';
import { freshReads, Lru } from '../availability/cache.ts';
import { staleConnections } from '../calendar/busy.ts';
import { singleFlight } from '../availability/coalesce.ts';
import type { BusyRange } from '../availability/engine.ts';

const DAY = 86_400_000;

export type CreateOutcome =
  | { created: true; booking: Booking; manageToken: string; specialist: Specialist; payment: Payment | null }
  | { created: false; booking: Booking };

/** JSON with sorted keys, so equal requests hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two requests "the same" for an idempotency key. */
export function requestFingerprint(parts: { specialist: string; service: string; start: number; visitor: CreateBookingBody['visitor']; answers: Answers }): string {
  const visitor = { ...parts.visitor, email: parts.visitor.email.trim().toLowerCase(), name: parts.visitor.name.trim() };
  return createHash('sha256').update(canonical({ ...parts, visitor })).digest('hex');
}

function replay(existing: Booking, fingerprint: string): CreateOutcome {
  if (existing.request_fingerprint !== fingerprint) {
    throw new HttpError(422, 'idempotency_key_reused', 'This idempotency key was already used for a different booking request.', { field: 'idempotencyKey' });
  }
  return { created: false, booking: existing };
}

export function termsOf(service: Service): ServiceTerms {
  return {
    name: service.name,
    durationMin: service.duration_min,
    priceCents: service.price_cents,
    currency: service.currency,
    cancellationPolicy: service.cancellation_policy,
    bufferBeforeMin: service.buffer_before_min,
    bufferAfterMin: service.buffer_after_min,
    videoEnabled: service.video_enabled,
    recordingEnabled: service.video_enabled && service.recording_enabled,
  };
}

/** Monday 00:00 UTC of the week holding `t`, and the next Monday. */
export function utcWeek(t: number): { from: number; until: number } {
  const day = Math.floor(t / DAY);
  const monday = day - ((day + 3) % 7); // 1970-01-01 was a Thursday
  return { from: monday * DAY, until: (monday + 7) * DAY };
}

/**
 * Among the free candidates, the one with the fewest non-cancelled bookings starting in the
 * same Monday-Sunday UTC week as the requested start; ties go to the smallest specialist id.
 */
export function pickLeastBusy(free: readonly string[], counts: ReadonlyMap<string, number>): string | undefined {
  return [...free].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

interface Resolved {
  service: Service;
  candidates: Specialist[];
  /** What the fingerprint records as the specialist: the resolved id, or "any". */
  specialistKey: string;
  /** A named specialist's slot as read with the target (the attempt's pre-check). */
  slot: BookingTarget['slot'];
}

async function resolve(app: FastifyInstance, body: CreateBookingBody, start: number): Promise<Resolved> {
  const any = body.specialist === 'any';
  const specialistKey = any ? null : body.specialist;
  // Everyone booking the same slot at the same moment (a storm) shares one read that started
  // after they arrived: as fresh as a read of their own (freshReads, cache.ts), without 500
  // identical look-ups queueing ahead of the one attempt that matters.
  const { service, candidates, offered, slot } = await raceState(app).targets(JSON.stringify([body.service, specialistKey, any ? null : start]),
    () => resolveBookingTarget(app.db, body.service, specialistKey, any ? undefined : start));
  if (service === null) throw badRequest('unknown_service', `No bookable service "${body.service}".`, 'body.service');
  if (any) {
    if (candidates === null) throw badRequest('service_not_offered', 'No specialist offers this service.', 'body.service');
    return { service, candidates, specialistKey: 'any', slot: null };
  }
  const specialist = candidates?.[0];
  if (specialist === undefined) throw badRequest('unknown_specialist', `No specialist "${body.specialist}".`, 'body.specialist');
  if (!offered) throw badRequest('service_not_offered', `${specialist.name} does not offer ${service.name}.`, 'body.service');
  return { service, candidates: [specialist], specialistKey: specialist.id, slot };
}

/** Who asks: the limits' keys, and whether it is the site owner (booking on someone's behalf: no limits, no challenge). */
export interface Requester {
  identity: BookingIdentity;
  ip: string;
  trusted: boolean;
}

/** Reads numbers the way this visitor writes them (their country, locale or zone when there is no "+"). */
async function phoneReader(config: Config, v: CreateBookingBody['visitor']): Promise<(text: string) => ParsedPhone | null> {
  const phones = await loadPhone();
  const region = phones.defaultRegion(v, config.phoneDefaultCountry);
  return (text) => phones.parsePhone(text, region);
}

/**
 * The visitor's phone in E.164, or a 400 naming the field: a number we could not text is refused
 * here, at booking, never dropped silently when a reminder is due.
 */
function visitorPhone(config: Config, v: CreateBookingBody['visitor'], read: (text: string) => ParsedPhone | null): string | null {
  const text = v.phone?.trim();
  if (!text) return null;
  const parsed = read(text);
  if (parsed === null) {
    throw badRequest('invalid_phone', `"${text}" is not a valid phone number${text.startsWith('+') ? '' : ' (write it with the country code, e.g. +49 …)'}.`, 'body.visitor.phone');
  }
  if (config.smsProvider !== null && !parsed.smsCapable) {
    throw badRequest('phone_cannot_receive_sms', `${parsed.e164} cannot receive text messages (a landline or service number): give a mobile number, or none.`, 'body.visitor.phone');
  }
  return parsed.e164;
}

export async function createBooking(app: FastifyInstance, body: CreateBookingBody, idempotencyKey: string | null, who: Requester): Promise<CreateOutcome> {
  const now = app.clock.now();
  if (!isValidTimeZone(body.visitor.timezone)) {
    throw badRequest('invalid_timezone', `"${body.visitor.timezone}" is not an IANA time zone.`, 'body.visitor.timezone');
  }
  const readPhone = await phoneReader(app.config, body.visitor);
  const phone = visitorPhone(app.config, body.visitor, readPhone);
  const start = instantOf(body.start);
  const { service, candidates, specialistKey, slot } = await resolve(app, body, start);
  const answers = validateAnswers(service.intake_questions, body.answers, readPhone);
  // A prepaid service is booked as a hold that a verified payment confirms.
  const prepaid = service.payment === 'prepay';
  if (prepaid && app.config.stripe === null) {
    throw new HttpError(422, 'payments_unavailable', 'This service is paid online, and online payment is not set up on this server.');
  }
  // The page the widget is embedded in (an allowed origin, our own parameters dropped): the
  // visitor's emailed links return there (server/links.ts). Checkout returns there too.
  const page = body.returnUrl === undefined ? null : await checkReturnUrl(app, body.returnUrl);
  const returnUrl = prepaid ? page ?? await checkReturnUrl(app, undefined) : null;
  const fingerprint = requestFingerprint({ specialist: specialistKey, service: service.id, start, visitor: body.visitor, answers });

  // A retry after a success is answered without taking any lock.
  if (idempotencyKey !== null) {
    const existing = await findByIdempotencyKey(app.db, idempotencyKey);
    if (existing) return replay(existing, fingerprint);
  }

  // Anonymous callers pay for a new booking with a solved challenge, and are turned away early when
  // a limit is obviously reached (the definitive count runs under the locks below).
  if (!who.trusted) {
    await app.bookingChallenge.verify(body.challenge, { db: app.db, now, ip: who.ip });
    await checkBookingLimits(app.db, app.config.bookingLimits, who.identity, now);
  }

  const range = blockedRange(service, start);
  const { gate, alternatives, answered } = raceState(app);
  const refuse = async (kind: 'taken' | 'unavailable', version?: string): Promise<never> => {
    // Losers of the races on one day ask about the same slots: one list of that day's
    // surroundings answers them all (those concurrent and, at the availability version the
    // refusal was read at, those that follow within a second while nothing changed); each picks
    // the starts nearest its own. The list covers the day and the next (the nearest starts
    // almost always lie there); only when fewer than enough of them lie within a day of the
    // refused start is the whole span of ALTERNATIVES_BEFORE_MS / _AFTER_MS looked at, so the
    // answer is the same as from that span, at a fraction of the engine's work.
    const day = Math.floor(start / DAY) * DAY;
    const around = async (near: boolean) => {
      const key = JSON.stringify([candidates.map((c) => c.id), service.id, day, near]);
      const seen = version === undefined ? undefined : answered.get(key);
      const reuse = seen !== undefined && seen.version === version && now >= seen.at && now - seen.at < ALTERNATIVES_REUSE_MS;
      const slots = reuse ? seen.slots : await alternatives(`${key}@${version}`, () => openSlots(app.db, {
        specialists: candidates, service, now,
        ...(near ? { from: day - DAY, until: day + 2 * DAY } : { from: day - ALTERNATIVES_BEFORE_MS, until: day + DAY + ALTERNATIVES_AFTER_MS }),
      }));
      if (version !== undefined && !reuse) answered.set(key, { version, at: now, slots });
      return nearestOf(slots, start);
    };
    const near = await around(true);
    // Every start of the near list within a day of the refused one is also nearer than anything outside it.
    const exact = near.length === ALTERNATIVES_COUNT && near.every((alt) => Math.abs(Date.parse(alt.start) - start) <= DAY);
    throw slotError(kind, exact ? near : await around(false));
  };
  // The first attempt uses the pre-check read with the target; a later one (after a leader that
  // left the slot open) reads again.
  let pre = slot;
  const attempt = () => {
    const known = pre;
    pre = null;
    return attemptBooking(app, { body, idempotencyKey, who, now, start, answers, service, candidates, fingerprint, prepaid, page, returnUrl, range, refuse, phone, pre: known });
  };
  if (candidates.length !== 1) return attempt();
  // Concurrent attempts at this very slot in this process wait for the first one (see gate.ts).
  const gated = await gate.enter(`${candidates[0]!.id}|${service.id}|${start}`, attempt, slotStateAfter);
  if (gated.led) return gated.value;
  if (gated.state === 'open') return attempt();
  // ...unless the winner was this very request, retried concurrently under the same key.
  const existing = idempotencyKey === null ? undefined : await findByIdempotencyKey(app.db, idempotencyKey);
  if (existing) return replay(existing, fingerprint);
  // The leader's own refusal (alternatives included) answers those who waited for it.
  if (gated.state instanceof HttpError) throw gated.state;
  return refuse('taken');
}

/**
 * One specialist's booking transactions at a time in this process: one running, one waiting for
 * the lock with its statements written and its attempts gathered (more would hold connections
 * only to wait on the same lock). Attempts per transaction, at most.
 */
const BATCHES_IN_FLIGHT = 2;
const BATCH_MAX = 32;

/** How long the alternatives offered to one slot's losers are reused while the data is unchanged. */
const ALTERNATIVES_REUSE_MS = 1000;

interface RaceState {
  gate: SlotGate;
  targets: (key: string, read: () => Promise<BookingTarget>) => Promise<BookingTarget>;
  alternatives: ReturnType<typeof singleFlight<OpenSlot[]>>;
  /** A day's open slots per offering (~18 days of starts each: a few hundred entries at most). */
  answered: Lru<{ version: string; at: number; slots: OpenSlot[] }>;
  /** New bookings of one specialist decided together (batches.ts). */
  batches: ReturnType<typeof groupCommit<Pending>>;
}

/** Per app: the slot gate, the shared target look-ups and the alternatives shared by the losers of a race. */
const races = new WeakMap<FastifyInstance, RaceState>();
function raceState(app: FastifyInstance): RaceState {
  let state = races.get(app);
  if (state === undefined) {
    races.set(app, state = {
      gate: slotGate(), targets: freshReads<BookingTarget>(), alternatives: singleFlight<OpenSlot[]>(), answered: new Lru(256),
      batches: groupCommit<Pending>({
        db: app.db, inFlight: BATCHES_IN_FLIGHT, maxSize: BATCH_MAX,
        transaction: (id, body) => inLockQueue([id], bookingLockLimits(app.config), () => lockedPipeline(app.db, [id], body)),
        // Not when the lock was the trouble (held up, or too many waiting): alone they would wait again.
        retryAlone: (err) => !(err instanceof LockQueueFull) && (err as { code?: unknown } | null)?.code !== '55P03',
      }),
    });
  }
  return state;
}

/**
 * What the leader's outcome tells those waiting on the same slot: a new booking means it is gone
 * (they compute the alternatives once, after it), a refusal because it was taken is theirs too;
 * anything else (a replay, a personal refusal, an error) leaves them to try for themselves.
 */
function slotStateAfter(outcome: Settled<CreateOutcome>): 'gone' | 'open' | HttpError {
  if (outcome.ok) return outcome.value.created ? 'gone' : 'open';
  return outcome.error instanceof HttpError && outcome.error.code === 'slot_taken' ? outcome.error : 'open';
}

/** What the locked part of an attempt leaves: a replay, or the booking written (its row once committed). */
interface Pending {
  replayed?: CreateOutcome;
  inserted?: Promise<unknown[]>;
  specialist?: Specialist;
  payment?: Payment | null;
}

type LockedReads = [
  existing: Booking | undefined, limitRows: unknown[][], rows: InputRows[], counts: Map<string, number> | null,
  targets: Map<string, OutboxTargets> | null, mailUsage: MailUsage | null,
];

interface Attempt {
  body: CreateBookingBody;
  idempotencyKey: string | null;
  who: Requester;
  now: number;
  start: number;
  answers: Answers;
  service: Service;
  candidates: Specialist[];
  fingerprint: string;
  prepaid: boolean;
  /** The embedding page the visitor's links return to (null: the fallbacks of links.ts). */
  page: string | null;
  /** Where Stripe Checkout sends a prepaid visitor back to. */
  returnUrl: string | null;
  range: ReturnType<typeof blockedRange>;
  refuse: (kind: 'taken' | 'unavailable', version?: string) => Promise<never>;
  /** The visitor's phone in E.164 (visitorPhone), or null. */
  phone: string | null;
  /** The pre-check, when it was read already (with the target); null: read it now. */
  pre: SlotState | null;
}

/** The check-then-insert itself: the pre-check, the calendar, then the locked transaction. */
async function attemptBooking(app: FastifyInstance, a: Attempt): Promise<CreateOutcome> {
  const { body, idempotencyKey, who, now, start, answers, service, candidates, fingerprint, prepaid, page, returnUrl, range, refuse, phone } = a;
  // Most losers of a race arrive after the winner committed: answer them without the lock.
  const pre = candidates.length !== 1 ? null : a.pre ?? await blockedAt(app.db, candidates[0]!.id, range.blockedFrom, range.blockedUntil);
  if (pre?.blocked) {
    // ...unless the winner was this very request, retried concurrently under the same key.
    const existing = idempotencyKey === null ? undefined : await findByIdempotencyKey(app.db, idempotencyKey);
    return existing ? replay(existing, fingerprint) : refuse('taken', pre.version);
  }
  // Calendar busy time is fetched first only where a connection's cache is not fresh enough;
  // otherwise the rows read under the lock carry it (and a pre-check that read the cache state
  // saves the look-up).
  const cached = pre !== null && staleConnections(pre.calendars, range.blockedFrom, range.blockedUntil, now).length === 0;
  const busy = new Map<string, BusyRange[]>(await Promise.all(candidates.map(async (c) =>
    [c.id, cached ? [] : await externalBusy(app, c.id, range.blockedFrom, range.blockedUntil)] as const)));

  const manageToken = newToken('bm');
  const ids = candidates.map((c) => c.id);
  const db = app.db;
  const email = body.visitor.email.trim();
  const limits = who.trusted ? null : limitCheck(db, app.config.bookingLimits, who.identity, now);
  const outbox = prepaid ? null : createdOutbox(db, ids, email, now);
  // Two round trips under the locks (lockedPipeline): every read at once, then, once they
  // say yes, the booking, its outbox rows and the COMMIT at once. The booking's id is chosen
  // here so its outbox rows can be written right behind it.
  const locked: LockedAttempt<Pending, LockedReads> = {
    keys: [
      ...(limits?.locks ?? []),
      ...(app.config.mailCapPerAddress > 0 ? [`mail:${email.toLowerCase()}`] : []),
      ...(idempotencyKey === null ? [] : [`key:${idempotencyKey}`]),
    ],
    locks: limits?.locks ?? [],
    read: (pipe) => {
      const week = utcWeek(start);
      return Promise.all([
        idempotencyKey === null ? undefined : pipe.read(idempotencyRead(db, idempotencyKey)),
        Promise.all((limits?.queries ?? []).map((q) => pipe.send(q))),
        Promise.all(candidates.map((c) => pipe.read(slotRowsRead(db, { specialist: c, start })))),
        candidates.length === 1 ? null : pipe.read(bookingCountsRead(db, ids, week.from, week.until)),
        outbox === null ? null : pipe.read(outbox.reads[0]),
        outbox?.reads[1] ? pipe.read(outbox.reads[1]) : null,
      ]);
    },
    decide: async ([existing, limitRows, rows, counts, targets, mailUsage], pipe, taken) => {
      if (existing) return { value: { replayed: replay(existing, fingerprint) } };
      const overLimit = limits?.verdict(limitRows);
      if (overLimit) throw overLimit;

      // Time taken by attempts decided before this one in the same transaction counts as booked.
      const seen = (r: InputRows): InputRows => (taken.length === 0 ? r : [r[0], r[1], [...(r[2] ?? []), ...taken], r[3]]);
      const checks = candidates.map((c, i) => [c, judgeSlot(seen(rows[i]!), { specialist: c, service, start, now, busy: busy.get(c.id) ?? [] })] as const);
      const free = checks.filter(([, r]) => r === 'free').map(([c]) => c.id);
      if (free.length === 0) throw new SlotRefused(checks.some(([, r]) => r === 'taken') ? 'taken' : 'unavailable');
      const chosen = free.length === 1 ? free[0]! : pickLeastBusy(free, counts!)!;
      const specialist = candidates.find((c) => c.id === chosen)!;

      const holdExpiresAt = now + app.config.holdMinutes * 60_000;
      const pending = !prepaid && service.requires_approval;
      const values = {
        id: randomUUID(),
        specialist_id: chosen,
        service_id: service.id,
        status: prepaid ? 'awaiting_payment' as const : pending ? 'pending' as const : 'confirmed' as const,
        hold_expires_at: prepaid ? new Date(holdExpiresAt) : null,
        return_url: page,
        // Unanswered requests do not hold the time for ever: they expire, at the latest at the start.
        pending_expires_at: pending ? pendingExpiresAt(now, range.start, app.config.pendingExpiryHours) : null,
        email_key: who.identity.emailKey,
        client_key: who.identity.clientKey,
        starts_at: new Date(range.start),
        ends_at: new Date(range.end),
        blocked_from: new Date(range.blockedFrom),
        blocked_until: new Date(range.blockedUntil),
        visitor_name: body.visitor.name.trim(),
        visitor_email: email,
        visitor_phone: phone,
        visitor_timezone: body.visitor.timezone,
        visitor_locale: body.visitor.locale ?? 'en',
        answers,
        service_terms: termsOf(service),
        manage_token_hash: hashToken(manageToken),
        idempotency_key: idempotencyKey,
        request_fingerprint: fingerprint,
        created_at: new Date(now),
        updated_at: new Date(now),
      };
      const row: Insertable<Database['bookings']> = { ...values, answers: JSON.stringify(answers), service_terms: JSON.stringify(values.service_terms) };
      // A hold announces nothing yet (the payment does); it only schedules its own end. Planned
      // before anything is sent: nothing after this point throws before the writes are out.
      const notes = outbox?.write([targets!, mailUsage], {
        booking: { ...values, cancel_reason: null, cancelled_by: null }, specialist, questions: service.intake_questions, manageToken,
      });
      const inserted = pipe.send(insertQuery('bookings', [row], true));
      if (notes) pipe.send(notes);
      // Documents answering file questions become this booking's (or the whole booking fails).
      if (service.intake_questions.some((q) => q.type === 'file')) await claimUploads(pipe.db, values.id, service.id, service.intake_questions, answers, now);
      const payment = prepaid
        ? await placeHold(pipe.db, {
          bookingId: values.id, amountCents: service.price_cents!, currency: service.currency!, returnUrl: returnUrl!,
          holdExpiresAt, sealedManageToken: seal(app.config.secretKey, manageToken), now,
        })
        : null;
      return { value: { inserted, specialist, payment }, took: [range.start, range.blockedFrom, range.blockedUntil, service.id] };
    },
  };
  // A new booking of one named specialist shares a transaction with that specialist's other new
  // bookings arriving meanwhile (batches.ts); a team booking, a hold for payment or one claiming
  // uploaded files (statements awaited one by one) has a transaction of its own.
  const shared = candidates.length === 1 && !prepaid && !service.intake_questions.some((q) => q.type === 'file');
  let outcome: CreateOutcome;
  try {
    const pending = shared
      ? await raceState(app).batches.join(ids[0]!, locked)
      : await inLockQueue(ids, bookingLockLimits(app.config), () => lockedPipeline(db, ids, (pipe) => decideAlone(db, pipe, locked)));
    outcome = pending.replayed ?? { created: true, booking: (await pending.inserted!)[0] as Booking, manageToken, specialist: pending.specialist!, payment: pending.payment ?? null };
  } catch (err) {
    const kind = refusalKind(err);
    if (kind !== null) return refuse(kind);
    // The same key raced in through another specialist's lock: the first one won.
    if ((err as { code?: unknown } | null)?.code === '23505' && idempotencyKey !== null) {
      const existing = await findByIdempotencyKey(app.db, idempotencyKey);
      if (existing) return replay(existing, fingerprint);
    }
    throw err;
  }
  if (outcome.created && outcome.payment === null) void emitBookingChanged(app, outcome.booking.id, 'created');
  return outcome;
}
