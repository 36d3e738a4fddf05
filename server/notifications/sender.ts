// Turns one claimed outbox row into the message its channel sends, rendered at send time from the
// booking as it is now (plus what the row carries: sealed manage token, old time, .ics SEQUENCE).
import type { SendMailOptions } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Booking, Database, IntakeQuestion, Notification } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { unseal } from '../security/crypto.ts';
import { PermanentDeliveryError, StaleNotificationError } from './errors.ts';
import { buildIcs } from './ics.ts';
import { REMINDERS, TIMED_KINDS } from './outbox.ts';
import { consoleUrl, joinUrl, manageUrl, specialistUrl, visitorPage } from '../links.ts';
import { reviewUrl } from '../reviews/link.ts';
import { isAccountKind, renderAccountMessage, type AccountView } from './account.ts';
import { pickLocale, renderMessage, type Locale, type MessageView } from './templates.ts';
import { substitute, templateKey, type TemplateSet } from './custom-templates.ts';
import type { MailTransport } from './channels/email.ts';
import { smsSender } from './channels/sms-provider.ts';
import { postWebhook } from './channels/webhook.ts';
import { sendPush, type PushMessage } from './channels/push.ts';

export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the channels need; `transports` replace the real ones (benchmarks use no-op ones). */
export interface SenderDeps {
  config: Config;
  db: Db;
  clock: { now(): number };
  log: Log;
  mail: MailTransport;
  transports?: Partial<Transports>;
}

export interface Transports {
  email(message: SendMailOptions & { messageId: string }): Promise<void>;
  sms(to: string, body: string): Promise<void>;
  webhook(url: string, secret: string, id: string, now: number, body: string): Promise<void>;
  calendar(row: Notification): Promise<void>;
  payment(row: Notification): Promise<void>;
  push(specialistId: string, rowId: string, message: PushMessage): Promise<void>;
}

/**
 * Sends claimed rows (their claims are committed: no transaction is open during the sends).
 * Resolves once what the batch needs is read, with one promise per row, in order, that settles
 * when that row's channel has answered, so each result is recorded as soon as it is known.
 */
export type Sender = (db: Kysely<Database>, rows: Notification[]) => Promise<Promise<void>[]>;

const ICS_METHOD: Record<string, 'REQUEST' | 'CANCEL'> = {
  'visitor.confirmation': 'REQUEST',
  'visitor.reschedule': 'REQUEST',
  'visitor.cancellation': 'CANCEL',
  'specialist.new_booking': 'REQUEST',
  'specialist.reschedule': 'REQUEST',
  'specialist.cancellation': 'CANCEL',
};
/** Reminders and the review request only make sense while the booking stands (or took place). */
const TIMED = new Set<string>(TIMED_KINDS);
const TIMED_STATUSES = new Set<Booking['status']>(['confirmed', 'in_progress', 'completed']);
const NO_JOIN = new Set(['visitor.declined', 'visitor.cancellation', 'visitor.review_request', 'visitor.summary', 'specialist.cancellation',
  'visitor.hold_expired', 'visitor.late_payment_refunded', 'visitor.specialist_absent', 'specialist.absent',
  // A request nobody has approved yet has no call to join.
  'visitor.request_received', 'specialist.approval_request', 'visitor.request_expired', 'specialist.request_expired']);
/** The booking is over for the visitor: nothing left to cancel or move, so no manage link. */
const NO_MANAGE = new Set(['visitor.declined', 'visitor.cancellation', 'visitor.request_expired', 'visitor.hold_expired', 'visitor.late_payment_refunded', 'visitor.specialist_absent']);
/** The specialist's messages that carry the visitor's intake answers. */
const WITH_ANSWERS = new Set(['specialist.new_booking', 'specialist.approval_request', 'specialist.reschedule', 'specialist.reminder']);

/**
 * Why a reminder must not go out any more, or null: after the session started, or once the next
 * reminder's moment has passed (after an outage the later, truer one goes out alone). Sent late,
 * "tomorrow at 10:00" would be wrong or confusing.
 */
export function lateReminder(kind: string, startMs: number, now: number): string | null {
  const i = REMINDERS.findIndex((r) => r.kind === kind);
  if (i < 0) return null;
  if (now >= startMs) return 'the session has already started';
  const next = REMINDERS[i + 1];
  return next && now >= startMs - next.beforeMs ? `overdue: ${next.kind} is due instead` : null;
}

interface Payload {
  bookingId?: string;
  manageTokenSealed?: string;
  icsSequence?: number;
  previous?: { startsAt: string; endsAt: string } | null;
  /** specialist.reminder: minutes before the start. */
  minutesBefore?: number;
  endpointId?: string;
  event?: unknown;
  /** A redelivery keeps the first delivery's webhook-id. */
  webhookId?: string;
}

/** What an account row (sign-in link, invitation, broken calendar) carries. */
interface AccountPayload {
  linkSealed?: string;
  name?: string;
  locale?: string;
  expiresInMin?: number;
  booking?: string;
  action?: string;
  provider?: string;
  reason?: string;
}

/** The rendered message of an account row: the link is unsealed only now, at send time. */
export function composeAccountMessage(config: Config, row: Notification) {
  const p = row.payload as AccountPayload;
  const kind = row.kind as AccountView['kind'];
  const url = kind === 'specialist.calendar_broken'
    ? consoleUrl(config.publicUrl, { view: 'calendars' })
    : consoleUrl(config.publicUrl, { signin: unseal(config.secretKey, p.linkSealed ?? ''), booking: p.booking, action: p.action });
  return renderAccountMessage({
    kind, locale: pickLocale(p.locale), name: p.name ?? '', url, expiresInMin: p.expiresInMin ?? 15, provider: p.provider, reason: p.reason,
  });
}

/** The bookings of a batch of rows in one query (with their specialists). */
async function loadBookings(trx: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, LoadedBooking>();
  const rows = await trx.selectFrom('bookings as b')
    .innerJoin('specialists as s', 's.id', 'b.specialist_id')
    .innerJoin('services as sv', 'sv.id', 'b.service_id')
    .leftJoin('payments as p', 'p.booking_id', 'b.id')
    .selectAll('b')
    .select(['s.name as specialist_name', 's.email as specialist_email', 's.timezone as specialist_timezone', 's.slug as specialist_slug', 's.locale as specialist_locale', 'sv.intake_questions'])
    .select(['p.amount_cents as paid_cents', 'p.currency as paid_currency', 'p.paid_at'])
    .where('b.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
type LoadedBooking = Booking & {
  specialist_name: string; specialist_email: string; specialist_timezone: string; specialist_slug: string;
  /** Absent in previews built without the join: English, no labels for answers. */
  specialist_locale?: string; intake_questions?: IntakeQuestion[];
  /** The online payment, when one was made (null otherwise). */
  paid_cents?: number | null; paid_currency?: string | null; paid_at?: Date | null;
};

const PAID_KINDS = new Set(['visitor.confirmation', 'visitor.request_received', 'specialist.new_booking', 'specialist.approval_request']);
const REFUND_KINDS = new Set(['visitor.cancellation', 'visitor.declined', 'specialist.cancellation', 'visitor.specialist_absent', 'specialist.absent']);

/** What the message says about money: only what actually moved through Stripe. */
function moneyOf(kind: string, b: LoadedBooking): Pick<MessageView, 'paid' | 'refund'> {
  if (b.paid_at == null || b.paid_cents == null || !b.paid_currency) return {};
  const currency = b.paid_currency;
  if (PAID_KINDS.has(kind)) return { paid: { cents: b.paid_cents, currency } };
  if (kind === 'visitor.late_payment_refunded') return { refund: { cents: b.paid_cents, currency, percent: 100 } };
  if (REFUND_KINDS.has(kind) && b.refund_cents !== null) return { refund: { cents: b.refund_cents, currency, percent: b.refund_percent ?? 0 } };
  return {};
}

/** The visitor's answers under their questions' labels, in the questions' order. */
function answerLines(b: LoadedBooking): { label: string; value: string | boolean }[] {
  const answers = (b.answers ?? {}) as Record<string, string | boolean>;
  return (b.intake_questions ?? []).filter((q) => answers[q.id] !== undefined).map((q) => ({ label: q.label, value: answers[q.id]! }));
}

/** The rendered message of an email or SMS row (exported for tests and previews). */
export function composeMessage(config: Config, now: number, row: Notification, b: LoadedBooking, templates: TemplateSet = new Map()) {
  const p = row.payload as Payload;
  const forVisitor = row.kind.startsWith('visitor.');
  const video = b.service_terms.videoEnabled;
  let manage: string | null = null;
  if (forVisitor) {
    manage = p.manageTokenSealed ? manageUrl(visitorPage(config, b), b.id, unseal(config.secretKey, p.manageTokenSealed)) : null;
  } else {
    manage = specialistUrl(config.publicUrl, b.id);
  }
  const join = video && manage && !NO_JOIN.has(row.kind) ? joinUrl(manage) : null;
  if (NO_MANAGE.has(row.kind)) manage = null;
  const view: MessageView = {
    kind: row.kind,
    locale: pickLocale(forVisitor ? b.visitor_locale : b.specialist_locale),
    consoleLink: !forVisitor,
    reviewUrl: row.kind === 'visitor.review_request' ? reviewUrl(config.publicUrl, config.secretKey, b.id) : null,
    minutesBefore: p.minutesBefore,
    answers: WITH_ANSWERS.has(row.kind) ? answerLines(b) : [],
    serviceName: b.service_terms.name,
    otherName: forVisitor ? b.specialist_name : b.visitor_name,
    recipientName: forVisitor ? null : b.specialist_name,
    start: b.starts_at.getTime(),
    end: b.ends_at.getTime(),
    recipientZone: forVisitor ? b.visitor_timezone : b.specialist_timezone,
    otherZone: forVisitor ? b.specialist_timezone : b.visitor_timezone,
    previous: p.previous ? { start: Date.parse(p.previous.startsAt), end: Date.parse(p.previous.endsAt) } : null,
    manageUrl: manage,
    joinUrl: join,
    // A visitor reads a reason only when the practice wrote it: their own (or an impostor's) stays out.
    cancelReason: (row.kind.endsWith('.cancellation') || row.kind === 'visitor.declined') && !(forVisitor && b.cancelled_by === 'visitor') ? b.cancel_reason : null,
    ...moneyOf(row.kind, b),
    summary: row.kind === 'visitor.summary' ? b.summary : null,
  };
  const custom = templates.get(templateKey(row.kind, view.locale));
  const rendered = renderMessage(view, custom && {
    subject: custom.subject ? substitute(custom.subject, view) : null,
    body: custom.body ? substitute(custom.body, view) : null,
  });
  const method = ICS_METHOD[row.kind];
  const host = new URL(config.publicUrl).hostname;
  const ics = method && buildIcs({
    method,
    uid: `${b.id}@${host}`,
    sequence: p.icsSequence ?? b.calendar_sequence,
    stamp: now,
    start: view.start,
    end: view.end,
    // The visitor's copy carries nothing the visitor typed (see recipientName).
    summary: forVisitor ? `${b.service_terms.name}: ${b.specialist_name}` : `${b.service_terms.name}: ${b.specialist_name} / ${b.visitor_name}`,
    description: rendered.text,
    location: join,
    url: manage,
    organizer: { name: b.specialist_name, email: b.specialist_email },
    attendee: { name: forVisitor ? '' : b.visitor_name, email: b.visitor_email },
  });
  return { rendered, ics: ics || null, method: method ?? null, host };
}

/** A message about an address rather than a booking: the visitor's verification code. */
export function composeCodeMessage(config: Config, row: Notification) {
  const p = row.payload as { codeSealed?: string; locale?: string };
  if (!p.codeSealed) throw new PermanentDeliveryError('verification message without a code');
  return renderMessage({
    kind: row.kind, locale: pickLocale(p.locale), serviceName: '', otherName: '', recipientName: null,
    start: 0, end: 0, recipientZone: 'UTC', otherZone: 'UTC', previous: null, manageUrl: null, joinUrl: null, cancelReason: null,
    code: unseal(config.secretKey, p.codeSealed),
  });
}

/** The message of a row that belongs to no booking, or null for a booking's own messages. */
function standaloneMessage(config: Config, row: Notification): { subject: string; text: string; html: string } | null {
  if (isAccountKind(row.kind)) return composeAccountMessage(config, row);
  if (row.booking_id === null && row.kind === 'visitor.verification_code') return composeCodeMessage(config, row);
  return null;
}

function defaultTransports(deps: SenderDeps): Transports {
  const sendSms = smsSender(deps.config);
  return {
    email: (m) => deps.mail.send(m),
    async sms(to, body) { await sendSms(to, body); },
    webhook: (url, secret, id, now, body) => postWebhook(url, secret, id, now, body, { allowPrivate: deps.config.webhookAllowPrivateTargets }),
    async calendar(row) {
      // Loaded on first use: the calendar clients pull in googleapis, which most sends never need.
      const { deliverCalendarJob } = await import('../calendar/sync-job.ts');
      await deliverCalendarJob(deps, row);
    },
    async push(specialistId, rowId, message) {
      if (deps.config.vapid === null) throw new PermanentDeliveryError('push is not configured (VAPID_* unset)');
      await sendPush(deps.db, deps.config.vapid, specialistId, rowId, message, deps.clock.now());
    },
    async payment(row) {
      // Loaded on first use, like the calendar: only installations taking payments load Stripe.
      const { deliverPaymentJob } = await import('../payments/jobs.ts');
      await deliverPaymentJob(deps, row);
    },
  };
}

export function createSender(deps: SenderDeps): Sender {
  const t: Transports = { ...defaultTransports(deps), ...deps.transports };

  async function sendOne(row: Notification, bookings: Map<string, LoadedBooking>, endpoints: Map<string, Endpoint>, now: number, templates: TemplateSet) {
    const p = row.payload as Payload;
    const booking = () => {
      const b = row.booking_id ? bookings.get(row.booking_id) : undefined;
      if (!b) throw new PermanentDeliveryError(`booking ${row.booking_id ?? '(none)'} no longer exists`);
      if (TIMED.has(row.kind) && !TIMED_STATUSES.has(b.status)) throw new StaleNotificationError(`booking is ${b.status}`);
      const late = lateReminder(row.kind, b.starts_at.getTime(), now);
      if (late) throw new StaleNotificationError(late);
      return b;
    };
    switch (row.channel) {
      case 'email': {
        // Messages about no booking (sign-in links, calendar notices, verification codes).
        const standalone = standaloneMessage(deps.config, row);
        if (standalone !== null) {
          await t.email({
            from: deps.config.mail.from, to: row.recipient, subject: standalone.subject, text: standalone.text, html: standalone.html,
            messageId: `<${row.id}@${new URL(deps.config.publicUrl).hostname}>`, headers: { 'Auto-Submitted': 'auto-generated' },
          });
          return;
        }
        const { rendered, ics, method, host } = composeMessage(deps.config, now, row, booking(), templates);
        await t.email({
          from: deps.config.mail.from,
          to: row.recipient,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          // A stable Message-ID lets receivers drop the rare duplicate of an at-least-once send.
          messageId: `<${row.id}@${host}>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
          attachments: ics ? [{
            filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
            content: ics,
            contentType: `text/calendar; charset=utf-8; method=${method}`,
            contentTransferEncoding: 'base64',
          }] : [],
        });
        return;
      }
      case 'sms':
        await t.sms(row.recipient, composeMessage(deps.config, now, row, booking(), templates).rendered.sms);
        return;
      case 'webhook': {
        const endpoint = p.endpointId ? endpoints.get(p.endpointId) : undefined;
        if (!endpoint || !endpoint.active) throw new PermanentDeliveryError('webhook endpoint was removed or deactivated');
        const secret = unseal(deps.config.secretKey, endpoint.secret_encrypted);
        await t.webhook(endpoint.url, secret, p.webhookId ?? row.id, now, JSON.stringify(p.event ?? {}));
        return;
      }
      case 'calendar':
        await t.calendar(row);
        return;
      case 'payment':
        await t.payment(row);
        return;
      case 'push': {
        // The specialist's own words for it: the email's subject, the short (SMS) line, the console link.
        const { rendered } = composeMessage(deps.config, now, row, booking(), templates);
        await t.push(row.recipient, row.id, {
          title: rendered.subject, body: rendered.sms, tag: row.booking_id ?? row.id,
          url: specialistUrl(deps.config.publicUrl, row.booking_id!) + (row.kind === 'specialist.reminder' ? '&action=join' : ''),
        });
        return;
      }
    }
  }

  return async (db, rows) => {
    const now = deps.clock.now();
    const bookingIds = [...new Set(rows.filter((r) => r.channel === 'email' || r.channel === 'sms' || r.channel === 'push').flatMap((r) => (r.booking_id ? [r.booking_id] : [])))];
    const endpointIds = [...new Set(rows.flatMap((r) => (r.channel === 'webhook' && (r.payload as Payload).endpointId ? [(r.payload as Payload).endpointId!] : [])))];
    // Two batched reads, then the sends.
    const bookings = await loadBookings(db, bookingIds);
    const endpoints = endpointIds.length === 0 ? new Map<string, Endpoint>() : new Map(
      (await db.selectFrom('webhook_endpoints').select(['id', 'url', 'secret_encrypted', 'active']).where('id', 'in', endpointIds).execute())
        .map((e) => [e.id, e]));
    // The owner's texts: a small table, read once per batch that renders a message.
    const templates: TemplateSet = bookingIds.length === 0 ? new Map() : new Map(
      (await db.selectFrom('message_templates').select(['kind', 'locale', 'subject', 'body']).execute())
        .map((t) => [templateKey(t.kind, t.locale as Locale), { subject: t.subject, body: t.body }]));
    return rows.map((row) => sendOne(row, bookings, endpoints, now, templates));
  };
}

interface Endpoint { id: string; url: string; secret_encrypted: string; active: boolean }
