// Pure checks of management input that a JSON schema cannot express (cross-field rules, real
// zone and currency lists, interval overlaps). Each failure is a 400 naming the request field.
import { MINUTES_PER_DAY } from '../../shared/admin.ts';
import type { IntakeQuestion } from '../../shared/schemas.ts';
import { isValidTimeZone } from '../availability/zone.ts';
import { badRequest } from '../http/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { normalizeReminderMinutes } from '../../shared/reminders.ts';

/**
 * Paths take an id or a slug, so a slug must never look like an id, nor be "any", which the slots
 * and bookings APIs read as "any available specialist".
 */
export function checkSlug(slug: string | undefined): void {
  if (slug !== undefined && isUuid(slug)) throw badRequest('invalid_slug', 'A slug cannot have the shape of a uuid.', 'body.slug');
  if (slug === 'any') throw badRequest('invalid_slug', 'The slug "any" is reserved for "any available specialist".', 'body.slug');
}

/**
 * A valid zone, kept as the caller spelled it except for letter case where ICU knows the name
 * itself ('europe/berlin' -> 'Europe/Berlin'). ICU's own canonical form is not used: it maps
 * current names back to old ones (Asia/Kathmandu -> Asia/Katmandu, Europe/Kyiv -> Europe/Kiev).
 */
export function canonicalTimeZone(zone: string, field: string): string {
  if (!isValidTimeZone(zone)) throw badRequest('invalid_timezone', `"${zone}" is not an IANA time zone (e.g. Europe/Berlin).`, field);
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Upper-cased ISO 4217 code; the list is ICU's current ISO 4217 table. */
export function currencyCode(value: string, field: string): string {
  const code = value.toUpperCase();
  if (!CURRENCIES.has(code)) throw badRequest('invalid_currency', `"${value}" is not an ISO 4217 currency code (e.g. EUR, USD).`, field);
  return code;
}

/** 'HH:MM' (or '24:00') -> minutes of the day. The schema has already checked the shape. */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

interface Span { start: string; end: string }

/**
 * Every interval runs forwards and none overlaps another of its group (touching is fine).
 * `group` splits the list (weekly hours: by weekday); `field(i, key)` names item i's key.
 */
export function checkIntervals<T extends Span>(items: T[], field: (i: number, key: 'start' | 'end') => string, group: (item: T) => number = () => 0): void {
  items.forEach((it, i) => {
    if (minutesOf(it.start) >= minutesOf(it.end)) {
      throw badRequest('invalid_interval', `The interval ${it.start}–${it.end} ends before it starts.`, field(i, 'end'));
    }
  });
  const order = items.map((_, i) => i).sort((a, b) => group(items[a]!) - group(items[b]!) || minutesOf(items[a]!.start) - minutesOf(items[b]!.start) || a - b);
  for (let k = 1; k < order.length; k++) {
    const prev = items[order[k - 1]!]!, cur = items[order[k]!]!;
    if (group(prev) === group(cur) && minutesOf(cur.start) < minutesOf(prev.end)) {
      const later = Math.max(order[k]!, order[k - 1]!);
      throw badRequest('overlapping_intervals', `The interval ${cur.start}–${cur.end} overlaps ${prev.start}–${prev.end}.`, field(later, 'start'));
    }
  }
}

/** The service fields the cross-field rules look at, after a create's defaults or an update's merge. */
export interface ServiceRuleInput {
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  slotStepMin: number | null;
  minNoticeMin: number;
  horizonDays: number;
  priceCents: number | null;
  currency: string | null;
  intakeQuestions: IntakeQuestion[];
  videoEnabled: boolean;
  recordingEnabled: boolean;
  payment: 'none' | 'prepay';
}

/** Stripe's smallest charge is about 0.50 in most currencies: below that Checkout refuses. */
export const MIN_PREPAY_MINOR = 50;

/**
 * The slot step rule (also in the OpenAPI description): null means the duration; otherwise a
 * multiple of 5 that divides a day, and no longer than what one booking blocks.
 */
export function checkSlotStep(s: Pick<ServiceRuleInput, 'slotStepMin' | 'durationMin' | 'bufferBeforeMin' | 'bufferAfterMin'>): void {
  const step = s.slotStepMin;
  if (step === null) return;
  const field = 'body.slotStepMin';
  if (step % 5 !== 0 || MINUTES_PER_DAY % step !== 0) {
    throw badRequest('invalid_slot_step', `A slot step of ${step} min does not divide a day into 5-minute multiples (use e.g. 15, 30, 45, 60, 90, 120).`, field);
  }
  const blocked = s.durationMin + s.bufferBeforeMin + s.bufferAfterMin;
  if (step > blocked) {
    throw badRequest('invalid_slot_step', `A slot step of ${step} min is longer than one booking blocks (${blocked} min: duration plus buffers).`, field);
  }
}

export function checkIntakeQuestions(questions: IntakeQuestion[]): void {
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const at = `body.intakeQuestions[${i}]`;
    if (seen.has(q.id)) throw badRequest('duplicate_question_id', `Two intake questions have the id "${q.id}".`, `${at}.id`);
    seen.add(q.id);
    if (q.type === 'select') {
      if (!q.options || q.options.length === 0) throw badRequest('options_required', 'A select question needs at least one option.', `${at}.options`);
      if (new Set(q.options).size !== q.options.length) throw badRequest('duplicate_option', 'The options of a select question must differ.', `${at}.options`);
    } else if (q.options !== undefined) {
      throw badRequest('options_not_allowed', `Only select questions take options (this one is "${q.type}").`, `${at}.options`);
    }
    if (q.type !== 'file') {
      if (q.accept !== undefined) throw badRequest('accept_not_allowed', `Only file questions take accepted types (this one is "${q.type}").`, `${at}.accept`);
      if (q.maxBytes !== undefined) throw badRequest('max_bytes_not_allowed', `Only file questions take a size limit (this one is "${q.type}").`, `${at}.maxBytes`);
    }
  });
}

/** Cross-field rules of a service; returns it with the currency in canonical form. */
export function checkServiceRules<T extends ServiceRuleInput>(s: T, { paymentsEnabled }: { paymentsEnabled: boolean }): T {
  if ((s.priceCents === null) !== (s.currency === null)) {
    throw s.priceCents === null
      ? badRequest('price_required', 'A currency needs a price (or set both to null for a free service).', 'body.priceCents')
      : badRequest('currency_required', 'A price needs its ISO 4217 currency.', 'body.currency');
  }
  const currency = s.currency === null ? null : currencyCode(s.currency, 'body.currency');
  checkSlotStep(s);
  if (s.minNoticeMin >= s.horizonDays * MINUTES_PER_DAY) {
    throw badRequest('invalid_notice', `A minimum notice of ${s.minNoticeMin} min reaches past the ${s.horizonDays}-day horizon: nothing could be booked.`, 'body.minNoticeMin');
  }
  checkIntakeQuestions(s.intakeQuestions);
  if (s.payment === 'prepay') {
    if (!paymentsEnabled) {
      throw badRequest('payments_not_configured', 'Online payment needs Stripe: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET on the server first.', 'body.payment');
    }
    if (s.priceCents === null || s.priceCents < MIN_PREPAY_MINOR) {
      throw badRequest('price_required', `A prepaid service needs a price of at least ${MIN_PREPAY_MINOR} minor units (e.g. 0.50 EUR).`, 'body.priceCents');
    }
  }
  if (s.recordingEnabled && !s.videoEnabled) {
    throw badRequest('recording_needs_video', 'Recording needs video: enable videoEnabled or turn recording off.', 'body.recordingEnabled');
  }
  return { ...s, currency };
}

/** An embedding origin in the form browsers send in the Origin header: scheme://host[:port]. */
export function normaliseOrigin(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badRequest('invalid_origin', `"${value}" is not a URL (expected e.g. https://www.example.com).`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('invalid_origin', 'An embedding origin is an http or https URL.', field);
  if (url.username || url.password) throw badRequest('invalid_origin', 'An origin carries no user name or password.', field);
  return url.origin;
}

export function checkWebhookUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badRequest('invalid_url', `"${value}" is not a URL.`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('invalid_url', 'A webhook URL is http or https.', field);
  if (url.username || url.password) throw badRequest('invalid_url', 'Put no credentials in the URL: verify the signature instead.', field);
  return url.toString();
}

/** A specialist's reminder offsets, largest first (the schema has checked range and count); repeats are a 400. */
export function checkReminderMinutes<T extends readonly number[] | null | undefined>(minutes: T): T extends readonly number[] ? number[] : T {
  if (minutes === null || minutes === undefined) return minutes as never;
  const checked = normalizeReminderMinutes(minutes);
  if ('problem' in checked) throw badRequest('invalid_reminders', `Reminders: ${checked.problem}.`, 'body.hostReminderMinutes');
  return checked.ok as never;
}
