// The outbox: every message a booking change causes, written as `notifications` rows in the SAME
// transaction as the change (so a rolled-back booking sends nothing and a committed one loses
// nothing). Delivery happens later (relay/worker); rows carry little — the booking id and what
// cannot be re-read at send time (the sealed manage token, the old time of a move, the .ics
// SEQUENCE, the webhook event snapshot).
//
// Manage links: only a hash of the manage token is stored on the booking, so the link cannot be
// rebuilt later. The plaintext exists once, at creation, inside the booking transaction: the
// bookings module passes it here and we keep it sealed (AES-256-GCM under SECRET_KEY, see
// security/crypto.ts) in the visitor rows' payloads. Later events copy the sealed value from the
// booking's most recent row that has one. Nothing derived from SECRET_KEY is ever used as a token
// of its own, so the bookings module keeps a single way to check a manage token.
import { sql, type CompiledQuery, type Insertable, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { insertQuery } from '../db/insert.ts';
import { named } from '../db/prepared.ts';
import { run, type Read } from '../db/pipeline.ts';
import type { Booking, Database, NewNotification, ServiceTerms, Specialist } from '../db/schema.ts';
import { seal } from '../security/crypto.ts';
import { isE164 } from './phone.ts';
import { emailHash } from '../abuse/identity.ts';
import { specialistUrl } from '../links.ts';

export type BookingEvent = 'created' | 'confirmed' | 'declined' | 'cancelled' | 'rescheduled' | 'completed' | 'no_show'
  // The visitor left a review (server/reviews).
  | 'reviewed'
  // A pending request nobody answered in time (server/maintenance).
  | 'expired'
  // Payments (server/payments): a hold ran out unpaid; a payment that came too late was refunded.
  | 'hold_expired' | 'payment_refunded';


/** What the outbox needs from the configuration; installed by the notifications plugin. */
export interface OutboxContext {
  secretKey: Buffer;
  /** SMS twins of reminders are only written when Twilio is configured. */
  smsEnabled: boolean;
  /** Event emails to one unverified visitor address per 24 h (0: no cap), see applyMailCap. */
  mailCapPerAddress: number;
  /** Minutes before the start at which the specialist is reminded (HOST_REMINDER_MINUTES); absent: none. */
  hostReminderMinutes?: readonly number[];
  /** PUBLIC_URL, for the links in webhook payloads. */
  publicUrl?: string;
  /** VAPID keys are configured: specialists' subscribed browsers get push twins of their messages. */
  pushEnabled?: boolean;
}

let installed: OutboxContext | null = null;

/**
 * The notifications plugin installs the context when the app is built, so the bookings module can
 * call writeBookingNotifications with the booking's own arguments only. Every app in a process
 * shares one SECRET_KEY, so a single installed context is enough; tests may pass one explicitly.
 */
export function installOutboxContext(ctx: OutboxContext): void {
  installed = ctx;
}

/** Reminder offsets before the start; the 15-minute one carries the join link. */
export const REMINDERS = [
  { kind: 'visitor.reminder_24h', beforeMs: 24 * 3600_000 },
  { kind: 'visitor.reminder_1h', beforeMs: 3600_000 },
  { kind: 'visitor.reminder_15m', beforeMs: 15 * 60_000 },
] as const;
export const REVIEW_AFTER_END_MS = 2 * 3600_000;
/** The specialist's reminders, one row per configured offset (payload.minutesBefore), with the host join link. */
export const HOST_REMINDER = 'specialist.reminder';

/** The specialist's messages that are also pushed: new booking, request, cancellation, starting soon. */
export const PUSH_KINDS: ReadonlySet<string> = new Set(['specialist.new_booking', 'specialist.approval_request', 'specialist.cancellation', HOST_REMINDER]);

/** Kinds tied to the booking's time: a move or a cancellation makes pending ones stale. */
export const TIMED_KINDS = [...REMINDERS.map((r) => r.kind), 'visitor.review_request', HOST_REMINDER];

export interface PlannedRow {
  kind: string;
  channel: NewNotification['channel'];
  recipient: string;
  sendAt: number;
  payload: Record<string, unknown>;
}

export interface PlanInput {
  event: BookingEvent;
  now: number;
  booking: Pick<Booking, 'id' | 'status' | 'starts_at' | 'ends_at' | 'visitor_email' | 'visitor_phone' | 'specialist_id' | 'service_id'
    | 'visitor_name' | 'visitor_timezone' | 'visitor_locale' | 'cancel_reason' | 'cancelled_by'>
    & Partial<Pick<Booking, 'refund_percent' | 'refund_cents' | 'answers' | 'no_show_party'>> & { service_terms: ServiceTerms };
  /** The booking's online payment, for webhook payloads (null: nothing paid online). */
  payment?: WebhookPayment | null;
  /** The rest of the webhook payload (absent in pure tests: specialist, links and labels are then null/ids). */
  webhook?: WebhookContext;
  specialistEmail: string;
  smsEnabled: boolean;
  hostReminderMinutes?: readonly number[];
  /** The specialist has push subscriptions (and push is configured): their messages get push twins. */
  pushTo?: string | null;
  /** Sealed manage token for visitor rows (null when none is known). */
  sealedToken: string | null;
  /** Start/end before the move, for reschedule notices. */
  previous: { startsAt: string; endsAt: string } | null;
  icsSequence: number;
  webhooks: { id: string; url: string }[];
  calendars: { id: string; provider: string }[];
}

/** Pure: the rows one booking event produces (no I/O, `now` as an argument). */
export function planNotifications(p: PlanInput): PlannedRow[] {
  const { booking: b, event, now } = p;
  const rows: PlannedRow[] = [];
  const base = { bookingId: b.id };
  const visitor = { ...base, ...(p.sealedToken ? { manageTokenSealed: p.sealedToken } : {}) };
  const ics = { icsSequence: p.icsSequence };
  const email = (kind: string, recipient: string, payload: Record<string, unknown>, sendAt = now) =>
    rows.push({ kind, channel: 'email', recipient, sendAt, payload });

  const confirmed = b.status === 'confirmed';
  // A booking confirmed at creation is announced as a confirmation is.
  switch (event === 'created' && confirmed ? 'confirmed' : event) {
    case 'created':
      email('visitor.request_received', b.visitor_email, visitor);
      email('specialist.approval_request', p.specialistEmail, base);
      break;
    case 'confirmed':
      email('visitor.confirmation', b.visitor_email, { ...visitor, ...ics });
      email('specialist.new_booking', p.specialistEmail, { ...base, ...ics });
      break;
    case 'declined':
      email('visitor.declined', b.visitor_email, visitor);
      break;
    case 'expired':
      // A request nobody answered in time: the visitor may book again, the specialist knows why it is gone.
      email('visitor.request_expired', b.visitor_email, visitor);
      email('specialist.request_expired', p.specialistEmail, base);
      break;
    case 'cancelled':
      email('visitor.cancellation', b.visitor_email, { ...visitor, ...ics });
      email('specialist.cancellation', p.specialistEmail, { ...base, ...ics });
      break;
    case 'rescheduled':
      email('visitor.reschedule', b.visitor_email, { ...visitor, ...ics, previous: p.previous });
      email('specialist.reschedule', p.specialistEmail, { ...base, ...ics, previous: p.previous });
      break;
    case 'no_show':
      // The visitor was in the call and the specialist never came: they are told (and refunded,
      // if they paid), and so is the specialist, who may not know the session counted as theirs.
      if (noShowParty(b) === 'specialist') {
        email('visitor.specialist_absent', b.visitor_email, visitor);
        email('specialist.absent', p.specialistEmail, base);
      }
      break;
    case 'completed':
    case 'reviewed':
      break;
    case 'hold_expired':
      email('visitor.hold_expired', b.visitor_email, visitor);
      break;
    case 'payment_refunded':
      email('visitor.late_payment_refunded', b.visitor_email, visitor);
      break;
  }

  // Reminders and the review request exist only for confirmed bookings, from the moment they
  // become confirmed or move; one whose time has already passed is not scheduled.
  if (confirmed && (event === 'created' || event === 'confirmed' || event === 'rescheduled')) {
    const start = b.starts_at.getTime();
    const phone = p.smsEnabled && b.visitor_phone && isE164(b.visitor_phone) ? b.visitor_phone : null;
    for (const r of REMINDERS) {
      const at = start - r.beforeMs;
      if (at <= now) continue;
      email(r.kind, b.visitor_email, visitor, at);
      if (phone) rows.push({ kind: r.kind, channel: 'sms', recipient: phone, sendAt: at, payload: visitor });
    }
    rows.push(...hostReminders(b.id, start, p.hostReminderMinutes ?? [], p.specialistEmail, now));
    email('visitor.review_request', b.visitor_email, visitor, b.ends_at.getTime() + REVIEW_AFTER_END_MS);
  }

  const type = `booking.${event}`;
  for (const w of p.webhooks) {
    rows.push({
      kind: type, channel: 'webhook', recipient: w.url, sendAt: now,
      payload: { ...base, endpointId: w.id, event: webhookEvent(type, now, p) },
    });
  }

  rows.push(...pushTwins(rows, p.pushTo ?? null));

  const calendarKind = event === 'declined' || event === 'cancelled' || event === 'expired' ? 'calendar.delete'
    : event === 'created' || event === 'confirmed' || event === 'rescheduled' ? 'calendar.upsert' : null;
  if (calendarKind) {
    for (const c of p.calendars) {
      rows.push({ kind: calendarKind, channel: 'calendar', recipient: c.id, sendAt: now, payload: { ...base, connectionId: c.id, provider: c.provider } });
    }
  }
  return rows;
}

/** The specialist's reminders of one session, one email row per offset that is still ahead. Pure. */
function hostReminders(bookingId: string, startMs: number, minutes: readonly number[], specialistEmail: string, now: number): PlannedRow[] {
  return minutes.map((m) => ({ m, at: startMs - m * 60_000 })).filter(({ at }) => at > now).map(({ m, at }) => ({
    kind: HOST_REMINDER, channel: 'email' as const, recipient: specialistEmail, sendAt: at, payload: { bookingId, minutesBefore: m },
  }));
}

/**
 * Push twins of the specialist's messages that want attention now (one row each; it fans out to
 * every subscribed browser at send time). `pushTo`: the specialist, when they have subscriptions.
 */
function pushTwins(rows: readonly PlannedRow[], pushTo: string | null): PlannedRow[] {
  return pushTo === null ? [] : rows.filter((r) => r.channel === 'email' && PUSH_KINDS.has(r.kind)).map((r) => ({ ...r, channel: 'push' as const, recipient: pushTo }));
}

export interface WebhookPayment { status: string; amountCents: number; currency: string; refundedCents: number }

/** What the webhook payload says beyond the booking row: who hosts, the intake questions' labels, the links. */
export interface WebhookContext {
  specialist: { id: string; name: string; email: string; timezone: string };
  questions: { id: string; label: string }[];
  publicUrl: string;
  review: { rating: number; comment: string; createdAt: string } | null;
}

/**
 * The webhook body (Standard Webhooks: type, timestamp, data), a snapshot at the time of the
 * event. Its shape is versioned (WEBHOOK_PAYLOAD_VERSION) and documented as `BookingWebhookEvent`
 * in shared/webhooks.ts, the OpenAPI document's `webhooks` and docs/webhooks.md.
 */
function webhookEvent(type: string, now: number, p: PlanInput) {
  const { booking: b, payment = null } = p;
  const w = p.webhook;
  const answers = (b.answers ?? {}) as Record<string, string | boolean>;
  const labels = new Map((w?.questions ?? []).map((q) => [q.id, q.label]));
  return {
    type,
    version: WEBHOOK_PAYLOAD_VERSION,
    timestamp: new Date(now).toISOString(),
    data: {
      id: b.id,
      status: b.status,
      specialistId: b.specialist_id,
      serviceId: b.service_id,
      serviceName: b.service_terms.name,
      startsAt: b.starts_at.toISOString(),
      endsAt: b.ends_at.toISOString(),
      visitor: { name: b.visitor_name, email: b.visitor_email, phone: b.visitor_phone, timezone: b.visitor_timezone, locale: b.visitor_locale },
      specialist: w ? w.specialist : null,
      service: {
        id: b.service_id, name: b.service_terms.name, durationMin: b.service_terms.durationMin,
        videoEnabled: b.service_terms.videoEnabled, cancellationPolicy: b.service_terms.cancellationPolicy,
      },
      answers: Object.entries(answers).map(([id, value]) => ({ id, label: labels.get(id) ?? id, value })),
      noShowParty: noShowParty(b),
      cancelReason: b.cancel_reason,
      cancelledBy: b.cancelled_by,
      price: b.service_terms.priceCents === null ? null : { amountCents: b.service_terms.priceCents, currency: b.service_terms.currency },
      payment,
      refund: b.refund_cents == null ? null : { percent: b.refund_percent ?? 0, amountCents: b.refund_cents, currency: payment?.currency ?? b.service_terms.currency },
      previous: p.previous,
      review: w?.review ?? null,
      links: { console: w ? specialistUrl(w.publicUrl, b.id) : null },
    },
  };
}

export const WEBHOOK_PAYLOAD_VERSION = 1;

/** Who did not come, for a no_show booking (a no-show stored without a party is the visitor's); null otherwise. */
export function noShowParty(b: Pick<Booking, 'status'> & Partial<Pick<Booking, 'no_show_party'>>): 'visitor' | 'specialist' | null {
  return b.status === 'no_show' ? b.no_show_party ?? 'visitor' : null;
}

/**
 * Which pending rows an event makes stale. Webhook rows are an event log and always go out;
 * payment jobs are never cancelled from here (they check the booking themselves, and a job
 * being run holds its row while it updates the booking).
 */
function staleFilter(event: BookingEvent): { kinds: string[] | 'all-but-webhooks' } | null {
  if (event === 'cancelled' || event === 'declined' || event === 'expired') return { kinds: 'all-but-webhooks' };
  // Nobody came: no more reminders, and no review request for a session that did not take place.
  if (event === 'no_show') return { kinds: TIMED_KINDS };
  if (event === 'rescheduled') return { kinds: [...TIMED_KINDS, 'calendar.upsert'] };
  return null;
}

/** Endpoint subscriptions: "booking.created", a "booking.*" wildcard, "*", or none listed (= all). */
export function subscribes(events: string[], type: string): boolean {
  return events.length === 0 || events.some((e) => e === type || e === '*' || (e.endsWith('.*') && type.startsWith(e.slice(0, -1))));
}

type Trx = Transaction<Database> | Kysely<Database>;

/** The specialist's push target (their id) when push is configured and they subscribed a browser. */
async function pushTarget(trx: Trx, ctx: OutboxContext, specialistId: string): Promise<string | null> {
  if (!ctx.pushEnabled) return null;
  const sub = await trx.selectFrom('push_subscriptions').select('id').where('specialist_id', '=', specialistId).limit(1).executeTakeFirst();
  return sub ? specialistId : null;
}

/** Who hears of one specialist's booking changes besides its people. */
export interface OutboxTargets {
  endpoints: { id: string; url: string; events: string[] }[];
  calendars: { id: string; provider: 'google' | 'outlook' }[];
  push: boolean;
}

/**
 * OutboxTargets of each of the specialists in one statement (this runs inside every booking
 * transaction): the active webhook endpoints, each one's active calendars, and, with push
 * configured, whether they subscribed a browser.
 */
export function outboxTargetsRead(db: Trx, specialistIds: readonly string[], withPush: boolean): Read<Map<string, OutboxTargets>> {
  // The ids as one array parameter: one statement text whatever their number, prepared once.
  const ids = sql`${[...specialistIds]}::uuid[]`;
  return {
    query: named(sql`
      SELECT (SELECT json_agg(json_build_object('id', id, 'url', url, 'events', events) ORDER BY id) FROM webhook_endpoints WHERE active) AS endpoints,
             (SELECT json_agg(json_build_object('id', id, 'provider', provider, 'specialist', specialist_id) ORDER BY id) FROM calendar_connections
               WHERE specialist_id = ANY(${ids}) AND status = 'active') AS calendars,
             ${withPush ? sql`(SELECT json_agg(DISTINCT specialist_id) FROM push_subscriptions WHERE specialist_id = ANY(${ids}))` : sql`NULL::json`} AS pushed`.compile(db)),
    parse: (rows) => {
      const r = rows[0] as { endpoints: OutboxTargets['endpoints'] | null; calendars: (OutboxTargets['calendars'][number] & { specialist: string })[] | null; pushed: string[] | null };
      return new Map(specialistIds.map((id) => [id, {
        endpoints: r.endpoints ?? [],
        calendars: (r.calendars ?? []).filter((c) => c.specialist === id).map(({ id: cid, provider }) => ({ id: cid, provider })),
        push: (r.pushed ?? []).includes(id),
      }]));
    },
  };
}

/**
 * Marks the pending rows `pick` selects cancelled. Locked in id order, the order the delivery
 * worker claims rows in, so the two never deadlock: a row being sent right now makes us wait,
 * and is then 'sent' and left alone.
 */
async function cancelPending(trx: Trx, pick: SelectQueryBuilder<Database, 'notifications', { id: string }>, why: string, now: number): Promise<void> {
  const locked = await pick.where('status', '=', 'pending').orderBy('id').forUpdate().execute();
  if (locked.length === 0) return;
  await trx.updateTable('notifications')
    .set({ status: 'cancelled', last_error: `superseded: ${why}`, updated_at: new Date(now) })
    .where('id', 'in', locked.map((r) => r.id)).where('status', '=', 'pending')
    .execute();
}

async function insertRows(trx: Trx, rows: readonly (PlannedRow & { bookingId: string })[], now: number): Promise<void> {
  const query = insertRowsQuery(trx, rows, now);
  if (query !== null) await trx.executeQuery(query);
}

/** The INSERT of planned rows (null: nothing to insert). */
function insertRowsQuery(trx: Trx, rows: readonly (PlannedRow & { bookingId: string })[], now: number): CompiledQuery | null {
  if (rows.length === 0) return null;
  return insertQuery('notifications', rows.map((r): Insertable<Database['notifications']> => ({
    booking_id: r.bookingId,
    kind: r.kind,
    channel: r.channel,
    recipient: r.recipient,
    payload: JSON.stringify(r.payload),
    send_at: new Date(r.sendAt),
    created_at: new Date(now),
    updated_at: new Date(now),
  })));
}

/**
 * Called by the bookings module inside the booking transaction, after the change is written.
 * Cancels pending rows the change makes stale and inserts the new ones; the relay's sweep removes
 * the BullMQ jobs of cancelled rows after the commit.
 */
export async function writeBookingNotifications(
  trx: Transaction<Database> | Kysely<Database>,
  bookingId: string,
  event: BookingEvent,
  now: number,
  manageToken?: string,
  ctx: OutboxContext | null = installed,
): Promise<void> {
  if (ctx === null) throw new Error('notifications outbox used before the notifications plugin installed its context');
  const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow();
  const { host_reminder_minutes: ownReminders, ...specialist } = await trx.selectFrom('specialists')
    .select(['id', 'name', 'email', 'timezone', 'host_reminder_minutes']).where('id', '=', booking.specialist_id).executeTakeFirstOrThrow();

  const stale = staleFilter(event);
  if (stale) {
    const pick = trx.selectFrom('notifications').select('id').where('booking_id', '=', bookingId);
    await cancelPending(trx, stale.kinds === 'all-but-webhooks' ? pick.where('channel', 'not in', ['webhook', 'payment']) : pick.where('kind', 'in', stale.kinds), `booking ${event}`, now);
  }

  const sealedToken = manageToken !== undefined ? seal(ctx.secretKey, manageToken) : await latestSealedToken(trx, bookingId);
  const [previous, { endpoints, calendars, push }, payment] = await Promise.all([
    event === 'rescheduled'
      ? trx.selectFrom('booking_moves').select(['from_starts_at', 'from_ends_at']).where('booking_id', '=', bookingId)
        .orderBy('moved_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
      : Promise.resolve(undefined),
    run(trx, outboxTargetsRead(trx, [booking.specialist_id], ctx.pushEnabled === true)).then((t) => t.get(booking.specialist_id)!),
    trx.selectFrom('payments').select(['status', 'amount_cents', 'currency', 'refunded_cents']).where('booking_id', '=', bookingId).executeTakeFirst(),
  ]);

  // The .ics SEQUENCE is the booking's calendar_sequence: each move or cancellation the attendee's
  // calendar must apply over the earlier invitation bumps it (RFC 5546 §2.1.4), in this same
  // transaction, so concurrent changes can never hand out one number twice.
  let icsSequence = booking.calendar_sequence;
  if (event === 'rescheduled' || event === 'cancelled' || event === 'declined' || event === 'expired') {
    const bumped = await trx.updateTable('bookings').set((eb) => ({ calendar_sequence: eb('calendar_sequence', '+', 1) }))
      .where('id', '=', bookingId).returning('calendar_sequence').executeTakeFirstOrThrow();
    icsSequence = bumped.calendar_sequence;
  }

  const planned = planEvent(ctx, {
    event, now, booking, specialist, ownReminders, sealedToken, targets: { endpoints, calendars, push }, icsSequence,
    payment: payment ? { status: payment.status, amountCents: payment.amount_cents, currency: payment.currency, refundedCents: payment.refunded_cents } : null,
    previous: previous ? { startsAt: previous.from_starts_at.toISOString(), endsAt: previous.from_ends_at.toISOString() } : null,
    webhook: endpoints.length === 0 ? undefined : await webhookContext(trx, booking, specialist, ctx.publicUrl ?? ''),
  });
  const rows = await applyMailCap(trx, ctx, booking.visitor_email, planned, now);
  await insertRows(trx, rows.map((r) => ({ ...r, bookingId })), now);
}

/** planNotifications with what the outbox knows (the context, the targets, the specialist's own reminder offsets). */
function planEvent(ctx: OutboxContext, p: {
  event: BookingEvent; now: number; booking: PlanInput['booking'] & Pick<Booking, 'specialist_id'>;
  specialist: { email: string }; ownReminders: readonly number[] | null; sealedToken: string | null; targets: OutboxTargets;
  icsSequence: number; payment: WebhookPayment | null; previous: PlanInput['previous']; webhook: WebhookContext | undefined;
}): PlannedRow[] {
  const { endpoints, calendars, push } = p.targets;
  return planNotifications({
    event: p.event, now: p.now, booking: p.booking, specialistEmail: p.specialist.email, smsEnabled: ctx.smsEnabled,
    pushTo: push ? p.booking.specialist_id : null, sealedToken: p.sealedToken,
    // The specialist's own offsets, else the server's.
    hostReminderMinutes: p.ownReminders ?? ctx.hostReminderMinutes,
    payment: p.payment, previous: p.previous, icsSequence: p.icsSequence,
    webhooks: endpoints.filter((e) => subscribes(e.events, `booking.${p.event}`)),
    calendars,
    webhook: p.webhook,
  });
}

/**
 * The outbox of a booking being created, for a transaction that pipelines its statements
 * (bookings/create.ts): `reads` go out with the transaction's other reads; `write` plans the rows
 * from their answers and the booking about to be inserted (its id chosen by the caller) and gives
 * the INSERT to send right behind the booking's own (null: no rows). Same rows as
 * writeBookingNotifications(…, 'created', …) writes.
 */
export function createdOutbox(trx: Trx, candidates: readonly string[], visitorEmail: string, now: number, ctx: OutboxContext | null = installed): {
  reads: [Read<Map<string, OutboxTargets>>, Read<MailUsage> | null];
  write(answers: [Map<string, OutboxTargets>, MailUsage | null], b: {
    booking: PlanInput['booking'] & Pick<Booking, 'id' | 'specialist_id'>;
    specialist: WebhookContext['specialist'] & Pick<Specialist, 'host_reminder_minutes'>;
    questions: readonly { id: string; label: string }[];
    manageToken: string;
  }): CompiledQuery | null;
} {
  if (ctx === null) throw new Error('notifications outbox used before the notifications plugin installed its context');
  return {
    reads: [outboxTargetsRead(trx, candidates, ctx.pushEnabled === true), ctx.mailCapPerAddress === 0 ? null : mailUsageRead(trx, ctx, visitorEmail, now)],
    write: ([targets, usage], { booking, specialist, questions, manageToken }) => {
      const t = targets.get(booking.specialist_id)!;
      // Only these fields: the row the bookings module holds has more than a webhook payload may carry.
      const who = { id: specialist.id, name: specialist.name, email: specialist.email, timezone: specialist.timezone };
      const ownReminders = specialist.host_reminder_minutes;
      const planned = planEvent(ctx, {
        event: 'created', now, booking, specialist: who, ownReminders, sealedToken: seal(ctx.secretKey, manageToken), targets: t,
        icsSequence: 0, payment: null, previous: null,
        webhook: t.endpoints.length === 0 ? undefined : { specialist: who, publicUrl: ctx.publicUrl ?? '', questions: questions.map((q) => ({ id: q.id, label: q.label })), review: null },
      });
      return insertRowsQuery(trx, capRows(ctx, planned, usage).map((r) => ({ ...r, bookingId: booking.id })), now);
    },
  };
}

/**
 * A specialist's reminder offsets changed (the caller has written them, in this transaction):
 * the pending reminders of their confirmed sessions still ahead are cancelled and planned anew
 * from the new offsets (null: the server's), push twins included. Sessions not confirmed yet
 * get theirs when they are.
 */
export async function rescheduleHostReminders(trx: Trx, specialistId: string, now: number, ctx: OutboxContext | null = installed): Promise<number> {
  if (ctx === null) throw new Error('notifications outbox used before the notifications plugin installed its context');
  const specialist = await trx.selectFrom('specialists').select(['email', 'host_reminder_minutes']).where('id', '=', specialistId).executeTakeFirstOrThrow();
  const upcoming = await trx.selectFrom('bookings').select(['id', 'starts_at']).where('specialist_id', '=', specialistId)
    .where('status', '=', 'confirmed').where('starts_at', '>', new Date(now)).execute();
  if (upcoming.length === 0) return 0;
  await cancelPending(trx, trx.selectFrom('notifications').select('id').where('booking_id', 'in', upcoming.map((b) => b.id)).where('kind', '=', HOST_REMINDER), 'reminder times changed', now);
  const minutes = specialist.host_reminder_minutes ?? ctx.hostReminderMinutes ?? [];
  const pushTo = await pushTarget(trx, ctx, specialistId);
  const rows = upcoming.flatMap((b) => {
    const planned = hostReminders(b.id, b.starts_at.getTime(), minutes, specialist.email, now);
    return [...planned, ...pushTwins(planned, pushTo)].map((r) => ({ ...r, bookingId: b.id }));
  });
  await insertRows(trx, rows, now);
  return rows.length;
}

/** Read only when some endpoint is active: the service's question labels and the booking's review. */
async function webhookContext(trx: Transaction<Database> | Kysely<Database>, booking: Booking, specialist: WebhookContext['specialist'], publicUrl: string): Promise<WebhookContext> {
  const service = await trx.selectFrom('services').select('intake_questions').where('id', '=', booking.service_id).executeTakeFirst();
  const review = await trx.selectFrom('reviews').select(['rating', 'comment', 'created_at']).where('booking_id', '=', booking.id).executeTakeFirst();
  return {
    specialist, publicUrl,
    questions: (service?.intake_questions ?? []).map((q) => ({ id: q.id, label: q.label })),
    review: review ? { rating: review.rating, comment: review.comment, createdAt: review.created_at.toISOString() } : null,
  };
}

const DAY_MS = 86_400_000;

/**
 * No open mail relay: anyone can type any address into a booking form, so an address that was
 * never verified receives at most `mailCapPerAddress` event messages (confirmations, notices,
 * codes) per 24 h; beyond that this event's messages to the visitor are not written. Reminders
 * of a booking belong to its confirmation and do not count. Verified addresses are exempt.
 */
export async function applyMailCap(trx: Transaction<Database> | Kysely<Database>, ctx: OutboxContext, address: string, rows: PlannedRow[], now: number): Promise<PlannedRow[]> {
  if (ctx.mailCapPerAddress === 0 || visitorEvents(rows) === 0) return rows;
  return capRows(ctx, rows, await run(trx, mailUsageRead(trx, ctx, address, now)));
}

/** What the mail cap weighs: event messages to the address in the last 24 h, and whether it is verified. */
export interface MailUsage { sent: number; verified: boolean }

const toVisitor = (r: PlannedRow) => r.kind.startsWith('visitor.') && (r.channel === 'email' || r.channel === 'sms');
const visitorEvents = (rows: readonly PlannedRow[]) => rows.filter((r) => toVisitor(r) && r.channel === 'email' && !TIMED_KINDS.includes(r.kind)).length;

function mailUsageRead(trx: Trx, ctx: OutboxContext, address: string, now: number): Read<MailUsage> {
  return {
    query: named(sql`
      SELECT (SELECT count(*) FROM notifications
               WHERE channel = 'email' AND lower(recipient) = ${address.trim().toLowerCase()} AND created_at > ${new Date(now - DAY_MS)}
                 AND kind LIKE 'visitor.%' AND kind NOT IN (${sql.join(TIMED_KINDS)})) AS sent,
             EXISTS (SELECT 1 FROM verified_emails WHERE email_hash = ${emailHash(ctx.secretKey, address)}) AS verified`.compile(trx)),
    parse: (rows) => {
      const r = rows[0] as { sent: string | number; verified: boolean };
      return { sent: Number(r.sent), verified: r.verified };
    },
  };
}

/** applyMailCap's verdict on a usage read (null: not read, the cap is off). */
function capRows(ctx: OutboxContext, rows: PlannedRow[], usage: MailUsage | null): PlannedRow[] {
  const events = visitorEvents(rows);
  if (ctx.mailCapPerAddress === 0 || events === 0 || usage === null) return rows;
  if (usage.verified || usage.sent + events <= ctx.mailCapPerAddress) return rows;
  return rows.filter((r) => !toVisitor(r));
}

/**
 * The summary the specialist shared, emailed to the visitor with their manage link (where the
 * widget shows it too). Rendered at send time from the booking, so it carries the latest text.
 */
export async function writeSummaryNotification(trx: Transaction<Database> | Kysely<Database>, bookingId: string, now: number): Promise<void> {
  const booking = await trx.selectFrom('bookings').select(['visitor_email']).where('id', '=', bookingId).executeTakeFirstOrThrow();
  const sealed = await latestSealedToken(trx, bookingId);
  await trx.insertInto('notifications').values({
    booking_id: bookingId, kind: 'visitor.summary', channel: 'email', recipient: booking.visitor_email,
    payload: JSON.stringify({ bookingId, ...(sealed ? { manageTokenSealed: sealed } : {}) }),
    send_at: new Date(now), created_at: new Date(now), updated_at: new Date(now),
  }).execute();
}

async function latestSealedToken(trx: Transaction<Database> | Kysely<Database>, bookingId: string): Promise<string | null> {
  const row = await trx.selectFrom('notifications')
    .select(sql<string>`payload->>'manageTokenSealed'`.as('sealed'))
    .where('booking_id', '=', bookingId)
    .where(sql<boolean>`payload ? 'manageTokenSealed'`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.sealed ?? null;
}
