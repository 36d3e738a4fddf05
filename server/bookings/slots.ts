// Is a start free for a specialist right now, and if not, what is nearest? The check runs inside
// the booking transaction under the specialist's lock (see store.ts lockSpecialists); the
// availability engine decides what is a slot, so hours, notice, horizon, step and daily caps
// are judged exactly as the slot listing shows them.
import type { FastifyInstance } from 'fastify';
import { availableSlots, inputRowsRead, slotsFromRows, type DbOrTrx, type InputRows } from '../availability/load.ts';
import { run, type Read } from '../db/pipeline.ts';
import type { BusyRange } from '../availability/engine.ts';
import { freshBusy } from '../calendar/busy.ts';
import type { Service, Specialist } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';

const MIN = 60_000;
const DAY = 86_400_000;

export type SlotCheck = 'free' | 'taken' | 'unavailable';

/** Thrown inside a transaction to roll it back; the caller answers 409/422 with alternatives. */
export class SlotRefused extends Error {
  readonly kind: 'taken' | 'unavailable';
  constructor(kind: 'taken' | 'unavailable') {
    super(kind === 'taken' ? 'slot taken' : 'slot unavailable');
    this.kind = kind;
  }
}

/** The time a booking of `service` starting at `start` holds: the session plus its buffers. */
export function blockedRange(service: Pick<Service, 'duration_min' | 'buffer_before_min' | 'buffer_after_min'>, start: number) {
  const end = start + service.duration_min * MIN;
  return { start, end, blockedFrom: start - service.buffer_before_min * MIN, blockedUntil: end + service.buffer_after_min * MIN };
}

/**
 * External calendar busy time around a start, as fresh as the calendar module can get it. Fetched
 * BEFORE the booking transaction: a provider round trip inside it would hold a pooled connection
 * while needing a second one, and concurrent bookings waiting on the lock could exhaust the pool.
 * The lock cannot order events in an external calendar anyway; what matters is that the data is
 * fetched right before the check.
 */
export async function externalBusy(app: FastifyInstance, specialistId: string, from: number, until: number): Promise<BusyRange[]> {
  return freshBusy({ db: app.db, config: app.config, log: app.log, clock: app.clock }, specialistId, from, until);
}

export interface SlotQuestion {
  specialist: Pick<Specialist, 'id' | 'timezone'>;
  service: Service;
  start: number;
  now: number;
  busy: BusyRange[];
  excludeBookingId?: string;
}

/**
 * 'taken' when a booking or calendar event holds part of the time (the visitor raced someone),
 * 'unavailable' when the engine would not offer the start at all (hours, step, notice, horizon,
 * daily cap), 'free' otherwise.
 */
export async function checkSlot(db: DbOrTrx, q: SlotQuestion): Promise<SlotCheck> {
  return judgeSlot(await run(db, slotRowsRead(db, q)), q);
}

/**
 * The one statement the check reads (under the lock): the engine's rows hold every active
 * booking whose blocked time meets this one's (same filter as store.ts isBlocked, over a span
 * padded past any buffer).
 */
export function slotRowsRead(db: DbOrTrx, q: Pick<SlotQuestion, 'specialist' | 'start' | 'excludeBookingId'>): Read<InputRows> {
  return inputRowsRead(db, q.specialist.id, q.start, q.start + 1, q.excludeBookingId);
}

/** checkSlot's verdict on rows slotRowsRead read. */
export function judgeSlot(rows: InputRows, q: SlotQuestion): SlotCheck {
  const r = blockedRange(q.service, q.start);
  if ((rows[2] ?? []).some((b) => b[1] < r.blockedUntil && b[2] > r.blockedFrom)) return 'taken';
  // Calendar events: the cached ones in the rows, and any fetched just before.
  if ((rows[3] ?? []).some(([start, end]) => start < r.blockedUntil && end > r.blockedFrom)) return 'taken';
  if (q.busy.some((b) => b.start < r.blockedUntil && b.end > r.blockedFrom)) return 'taken';
  const slots = slotsFromRows(rows, {
    timezone: q.specialist.timezone,
    service: q.service,
    from: q.start,
    until: q.start + 1,
    now: q.now,
    extraBusy: q.busy,
  });
  return slots.some((s) => s.start === q.start) ? 'free' : 'unavailable';
}

export interface Alternative { start: string; end: string; specialist: string }

/** A bookable start of one of the given specialists (what alternatives are picked from). */
export interface OpenSlot { start: number; end: number; specialist: string }

/**
 * Every start offered now in [from, until) across the given specialists, in time order. One
 * such list serves every refused start of its day (see nearestOf), so the losers of a race at
 * different times of one day can share it.
 */
export async function openSlots(db: DbOrTrx, q: {
  specialists: readonly Pick<Specialist, 'id' | 'timezone'>[];
  service: Service;
  from: number;
  until: number;
  now: number;
  excludeBookingId?: string;
}): Promise<OpenSlot[]> {
  const found: OpenSlot[] = [];
  for (const s of q.specialists) {
    const slots = await availableSlots(db, {
      specialistId: s.id, timezone: s.timezone, service: q.service,
      from: q.from, until: q.until, now: q.now, excludeBookingId: q.excludeBookingId,
    });
    for (const slot of slots) found.push({ ...slot, specialist: s.id });
  }
  return found.sort((a, b) => a.start - b.start || (a.specialist < b.specialist ? -1 : 1));
}

/** How many alternatives a refusal offers. */
export const ALTERNATIVES_COUNT = 5;

/** How far around a refused start alternatives are looked for. */
export const ALTERNATIVES_BEFORE_MS = 3 * DAY;
export const ALTERNATIVES_AFTER_MS = 14 * DAY;

/**
 * The `count` starts nearest to `start` (before or after; ties: the earlier), one specialist per
 * start (the smallest id). `slots` are in openSlots' order (start, then specialist): the nearest
 * are found walking outwards from where `start` would be, not by sorting every slot of the span
 * for every refused attempt.
 */
export function nearestOf(slots: readonly OpenSlot[], start: number, count = ALTERNATIVES_COUNT): Alternative[] {
  const lowest = start - ALTERNATIVES_BEFORE_MS, beyond = start + ALTERNATIVES_AFTER_MS;
  let lo = 0, hi = slots.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (slots[mid]!.start < start) lo = mid + 1; else hi = mid; }
  let left = lo - 1, right = lo;
  const out: Alternative[] = [];
  const take = (f: OpenSlot) => out.push({ start: new Date(f.start).toISOString(), end: new Date(f.end).toISOString(), specialist: f.specialist });
  while (out.length < count) {
    const l = left >= 0 && slots[left]!.start >= lowest ? slots[left]! : null;
    const r = right < slots.length && slots[right]!.start < beyond ? slots[right]! : null;
    if (l === null && r === null) break;
    if (r === null || (l !== null && start - l.start <= r.start - start)) {
      // The first of this start's specialists (the smallest id) sits at the left end of its run.
      while (left > 0 && slots[left - 1]!.start === l!.start) left--;
      take(slots[left]!);
      left--;
    } else {
      take(r);
      while (right < slots.length && slots[right]!.start === r.start) right++;
    }
  }
  return out;
}

/** Starts offered now nearest to the wanted one (before or after), across the given specialists. */
export async function nearestAlternatives(db: DbOrTrx, q: {
  specialists: readonly Pick<Specialist, 'id' | 'timezone'>[];
  service: Service;
  start: number;
  now: number;
  excludeBookingId?: string;
  count?: number;
}): Promise<Alternative[]> {
  const slots = await openSlots(db, { ...q, from: q.start - ALTERNATIVES_BEFORE_MS, until: q.start + ALTERNATIVES_AFTER_MS });
  return nearestOf(slots, q.start, q.count);
}

/** The refusal an error from a booking transaction stands for, or null for any other error. */
export function refusalKind(err: unknown): 'taken' | 'unavailable' | null {
  if (err instanceof SlotRefused) return err.kind;
  // The last line of defence: the exclusion constraint saw an overlap the checks did not.
  return (err as { code?: unknown } | null)?.code === '23P01' ? 'taken' : null;
}

/** The answer to a refused start: 409 slot_taken or 422 slot_unavailable, with alternatives. */
export function slotError(kind: 'taken' | 'unavailable', alternatives: Alternative[]): HttpError {
  return kind === 'taken'
    ? new HttpError(409, 'slot_taken', 'That time was just booked by someone else.', { details: { alternatives } })
    : new HttpError(422, 'slot_unavailable', 'That time is not a bookable slot.', { details: { alternatives } });
}
