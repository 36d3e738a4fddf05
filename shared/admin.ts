// Request and response schemas of the management API: the site owner's (/api/admin/...) and a
// specialist's own (/api/specialist/...). Records travel in camelCase with ISO-8601 UTC instants.
import { Type, type Static } from 'typebox';
import { BookingStatusSchema } from './bookings.ts';
import { HOST_REMINDER_RULES } from './reminders.ts';
import { CalendarDate, CancellationPolicy, IntakeQuestion, IsoInstant, PublicService, PublicSpecialist, TimeOfDay, TimeZoneName, Uuid } from './schemas.ts';

// `type: [x, 'null']` rather than anyOf: with coerceTypes on, an anyOf's first branch would
// turn a JSON null into 0 or "" before the null branch is tried.
const NullableInteger = (options: Record<string, unknown> = {}) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });
const NullableString = (options: Record<string, unknown> = {}) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });
const NullableInstant = NullableString({ format: 'date-time' });

export const MINUTES_PER_DAY = 1440;
const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Longest vacation range one request may block, in days (inclusive). */
export const MAX_VACATION_DAYS = 366;

/**
 * What a webhook endpoint can subscribe to (the notifications outbox's booking events), plus
 * the "booking.*" and "*" wildcards; an empty filter means all events.
 */
export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.confirmed',
  'booking.declined',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'booking.expired',
  'booking.reviewed',
  'booking.hold_expired',
  'booking.payment_refunded',
  'booking.*',
  '*',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const IdOrSlugParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'The record id (uuid) or its slug' }),
});

// ---- specialists ----

export const WeeklyInterval = Type.Object({
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday .. 7 = Sunday' }),
  start: TimeOfDay,
  end: TimeOfDay,
}, { additionalProperties: false });
export type WeeklyInterval = Static<typeof WeeklyInterval>;


const specialistFields = {
  slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 64, description: 'Lower-case words joined by hyphens; unique among all specialists, archived ones included' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone of the working hours, e.g. Europe/Berlin' }),
  bio: Type.String({ maxLength: 5000 }),
  specialty: Type.String({ maxLength: 200, description: 'One line under the name on the booking page, e.g. "Clinical psychologist"' }),
  photoUrl: Type.Union([Type.String({ pattern: '^https://[^\\s]+$', maxLength: 2048 }), Type.Null()], { description: 'An https image shown in the widget\'s specialist picker; null removes it' }),
  locale: Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('ru')], { description: 'Language of the specialist\'s emails and reminders (default en)' }),
  hostReminderMinutes: Type.Unsafe<number[] | null>({
    type: ['array', 'null'],
    items: { type: 'integer', minimum: HOST_REMINDER_RULES.minMinutes, maximum: HOST_REMINDER_RULES.maxMinutes },
    maxItems: HOST_REMINDER_RULES.maxCount,
    description: `Minutes before each session's start at which the specialist is reminded (email, and push where subscribed), `
      + `${HOST_REMINDER_RULES.minMinutes} to ${HOST_REMINDER_RULES.maxMinutes}, at most ${HOST_REMINDER_RULES.maxCount}, no repeats; `
      + 'stored largest first. [] for none; null: the server\'s HOST_REMINDER_MINUTES. Changing it reschedules the reminders of upcoming sessions.',
    examples: [[1440, 30]],
  }),
};

const specialistExample = {
  slug: 'dr-weber', name: 'Dr. Anna Weber', email: 'anna.weber@example.com',
  timezone: 'Europe/Berlin', bio: 'Sessions in English and German.', specialty: 'Clinical psychologist',
};

export const SpecialistCreate = Type.Object({
  slug: specialistFields.slug,
  name: specialistFields.name,
  email: specialistFields.email,
  timezone: specialistFields.timezone,
  bio: Type.Optional(specialistFields.bio),
  specialty: Type.Optional(specialistFields.specialty),
  photoUrl: Type.Optional(specialistFields.photoUrl),
  locale: Type.Optional(specialistFields.locale),
  hostReminderMinutes: Type.Optional(specialistFields.hostReminderMinutes),
  hours: Type.Optional(Type.Array(WeeklyInterval, {
    maxItems: 336,
    description: 'Weekly hours to start with. Omitted: Monday to Friday 09:00-17:00 in the specialist\'s zone, so a new practice has free times at once; [] for none.',
  })),
  invite: Type.Optional(Type.Boolean({ description: 'Email the specialist a sign-in link to the console at once (default false)' })),
}, { additionalProperties: false, examples: [specialistExample] });
export type SpecialistCreate = Static<typeof SpecialistCreate>;

/** The weekly hours a new specialist starts with unless told otherwise. */
export const DEFAULT_HOURS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

export const SpecialistUpdate = Type.Partial(Type.Object(specialistFields), {
  additionalProperties: false, minProperties: 1, examples: [{ timezone: 'Europe/Vienna', bio: 'Now seeing clients in Vienna.' }],
});
export type SpecialistUpdate = Static<typeof SpecialistUpdate>;

/** What a specialist may change about themselves (PATCH /api/specialist/me). */
export const SpecialistSettings = Type.Partial(Type.Object({ locale: specialistFields.locale, hostReminderMinutes: specialistFields.hostReminderMinutes }), {
  additionalProperties: false, minProperties: 1, examples: [{ hostReminderMinutes: [1440, 30] }],
});
export type SpecialistSettings = Static<typeof SpecialistSettings>;

// The full records are the public ones (shared/schemas.ts) plus what only the site owner sees.
export const AdminSpecialist = Type.Object({
  ...PublicSpecialist.properties,
  email: Type.String(),
  locale: specialistFields.locale,
  hostReminderMinutes: specialistFields.hostReminderMinutes,
  archivedAt: NullableInstant,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
}, {
  examples: [{
    id: '5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21', ...specialistExample, locale: 'de', hostReminderMinutes: null,
    services: ['0e6f2b8c-7d4a-4c3e-8b1f-2a9d5e6c7b80'], archivedAt: null,
    createdAt: '2026-11-22T09:00:00.000Z', updatedAt: '2026-11-22T09:00:00.000Z',
  }],
});
export type AdminSpecialist = Static<typeof AdminSpecialist>;

export const ArchiveFilter = Type.Object({
  archived: Type.Optional(Type.Enum(['include', 'exclude', 'only'], {
    description: 'Whether archived records are listed: include (default), exclude or only',
  })),
});

export const AdminSpecialistList = Type.Object({ specialists: Type.Array(AdminSpecialist) });

// ---- services ----

const SLOT_STEP_RULE = 'Distance between offered start times, in minutes. Null: the duration. Otherwise a multiple of 5 '
  + 'that divides a day evenly (5, 10, 15, 20, 30, 45, 60, 90, 120, ...), so starts fall on the same clock times every day, '
  + 'and no longer than the time one booking blocks (durationMin + bufferBeforeMin + bufferAfterMin), so back-to-back '
  + 'bookings leave no hole that no booking could fill.';

const serviceFields = {
  slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 64, description: 'Unique among all services, archived ones included' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 5000 }),
  durationMin: Type.Integer({ minimum: 5, maximum: MINUTES_PER_DAY, description: 'Length of a session in minutes (5 to 1440)' }),
  priceCents: NullableInteger({ minimum: 0, maximum: 100_000_000, description: 'Price in the currency\'s minor unit; null: free. Set together with currency.' }),
  currency: NullableString({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code (e.g. EUR); null exactly when priceCents is null' }),
  bufferBeforeMin: Type.Integer({ minimum: 0, maximum: MINUTES_PER_DAY, description: 'Free minutes needed before a session (at most one day)' }),
  bufferAfterMin: Type.Integer({ minimum: 0, maximum: MINUTES_PER_DAY, description: 'Free minutes needed after a session (at most one day)' }),
  slotStepMin: NullableInteger({ minimum: 5, maximum: MINUTES_PER_DAY, description: SLOT_STEP_RULE }),
  minNoticeMin: Type.Integer({ minimum: 0, maximum: 365 * MINUTES_PER_DAY, description: 'Earliest booking is now plus this many minutes; less than the horizon' }),
  horizonDays: Type.Integer({ minimum: 1, maximum: 730, description: 'How many days ahead bookings are offered' }),
  maxPerDay: NullableInteger({ minimum: 1, maximum: MINUTES_PER_DAY, description: 'Cap on this service\'s bookings per specialist and local day; null: none' }),
  requiresApproval: Type.Boolean({ description: 'Bookings stay pending until the specialist approves them' }),
  cancellationPolicy: CancellationPolicy,
  payment: Type.Union([Type.Literal('none'), Type.Literal('prepay')], {
    description: 'none: booked without paying online; prepay: paid through Stripe Checkout when booking (needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, and a price of at least 50 minor units)',
  }),
  intakeQuestions: Type.Array(IntakeQuestion, {
    maxItems: 30, description: 'Asked when booking. Ids are unique; select questions need options, other types take none.',
  }),
  videoEnabled: Type.Boolean(),
  recordingEnabled: Type.Boolean({ description: 'Needs videoEnabled' }),
};

const serviceExample = {
  slug: 'consultation', name: 'Video consultation', description: 'A 50-minute one-on-one video session.',
  durationMin: 50, priceCents: 9000, currency: 'EUR', bufferBeforeMin: 0, bufferAfterMin: 10, slotStepMin: 60,
  minNoticeMin: 120, horizonDays: 60, maxPerDay: 6, requiresApproval: false, cancellationPolicy: 'moderate',
  intakeQuestions: [
    { id: 'topic', label: 'What would you like to talk about?', type: 'textarea', required: true },
    { id: 'first_visit', label: 'Is this your first session?', type: 'select', required: true, options: ['Yes', 'No'] },
  ],
  videoEnabled: true, recordingEnabled: false,
};

export const ServiceCreate = Type.Object({
  slug: serviceFields.slug,
  name: serviceFields.name,
  durationMin: serviceFields.durationMin,
  description: Type.Optional(serviceFields.description),
  priceCents: Type.Optional(serviceFields.priceCents),
  currency: Type.Optional(serviceFields.currency),
  bufferBeforeMin: Type.Optional(serviceFields.bufferBeforeMin),
  bufferAfterMin: Type.Optional(serviceFields.bufferAfterMin),
  slotStepMin: Type.Optional(serviceFields.slotStepMin),
  minNoticeMin: Type.Optional(serviceFields.minNoticeMin),
  horizonDays: Type.Optional(serviceFields.horizonDays),
  maxPerDay: Type.Optional(serviceFields.maxPerDay),
  requiresApproval: Type.Optional(serviceFields.requiresApproval),
  cancellationPolicy: Type.Optional(serviceFields.cancellationPolicy),
  payment: Type.Optional(serviceFields.payment),
  intakeQuestions: Type.Optional(serviceFields.intakeQuestions),
  videoEnabled: Type.Optional(serviceFields.videoEnabled),
  recordingEnabled: Type.Optional(serviceFields.recordingEnabled),
}, {
  additionalProperties: false,
  description: 'Omitted fields take their defaults: free, no buffers, a start every 15 minutes (the duration for sessions shorter than that), '
    + '2 hours minimum notice, 60 days ahead, no daily cap, no approval, flexible cancellation, no online payment, no questions, video on, recording off.',
  examples: [serviceExample],
});
export type ServiceCreate = Static<typeof ServiceCreate>;

export const ServiceUpdate = Type.Partial(Type.Object(serviceFields), {
  additionalProperties: false, minProperties: 1,
  description: 'Changes apply to future bookings only: existing bookings keep the terms they were made under.',
  examples: [{ priceCents: 9500, bufferAfterMin: 15 }],
});
export type ServiceUpdate = Static<typeof ServiceUpdate>;

export const AdminService = Type.Object({
  ...PublicService.properties,
  bufferBeforeMin: Type.Integer(),
  bufferAfterMin: Type.Integer(),
  slotStepMin: NullableInteger(),
  maxPerDay: NullableInteger(),
  recordingEnabled: Type.Boolean(),
  archivedAt: NullableInstant,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
}, {
  examples: [{
    id: '0e6f2b8c-7d4a-4c3e-8b1f-2a9d5e6c7b80', ...serviceExample,
    specialists: ['5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21'], archivedAt: null,
    createdAt: '2026-11-22T09:00:00.000Z', updatedAt: '2026-11-22T09:00:00.000Z',
  }],
});
export type AdminService = Static<typeof AdminService>;

export const AdminServiceList = Type.Object({ services: Type.Array(AdminService) });

export const ServiceSpecialists = Type.Object({
  specialistIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
    maxItems: 500, uniqueItems: true,
    description: 'The complete set of specialists offering the service, by id or slug (replaces the current set). Archived specialists already offering it may stay; new ones must be active.',
  }),
}, { additionalProperties: false, examples: [{ specialistIds: ['dr-weber', '5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21'] }] });
export type ServiceSpecialists = Static<typeof ServiceSpecialists>;

// ---- schedules ----

export const Interval = Type.Object({
  start: TimeOfDay,
  end: TimeOfDay,
}, { additionalProperties: false, description: 'Wall-clock HH:MM in the specialist\'s zone; start before end; end may be 24:00' });
export type Interval = Static<typeof Interval>;


const hoursExample = {
  hours: [
    { weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '13:00', end: '17:00' },
    { weekday: 3, start: '09:00', end: '17:00' },
  ],
};

export const WeeklyHoursBody = Type.Object({
  hours: Type.Array(WeeklyInterval, {
    maxItems: 336,
    description: 'The whole week: replaces every interval at once. Intervals of one weekday must not overlap (touching is fine); a weekday without intervals is a day off.',
  }),
}, { additionalProperties: false, examples: [hoursExample] });
export type WeeklyHoursBody = Static<typeof WeeklyHoursBody>;

export const WeeklyHours = Type.Object({
  specialistId: Uuid,
  timezone: TimeZoneName,
  hours: Type.Array(WeeklyInterval, { description: 'Sorted by weekday, then start' }),
}, { examples: [{ specialistId: '5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21', timezone: 'Europe/Berlin', ...hoursExample }] });
export type WeeklyHours = Static<typeof WeeklyHours>;

export const DateOverrideBody = Type.Object({
  date: CalendarDate,
  intervals: Type.Array(Interval, { maxItems: 48, description: 'Hours of that date, replacing its weekly hours; empty: the day is blocked' }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
}, {
  additionalProperties: false,
  description: 'Sets the override of one date; an existing override of that date is replaced.',
  examples: [{ date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }], reason: 'Short day' }],
});
export type DateOverrideBody = Static<typeof DateOverrideBody>;

export const VacationBody = Type.Object({
  from: CalendarDate,
  to: CalendarDate,
  reason: Type.Optional(Type.String({ maxLength: 200 })),
}, {
  additionalProperties: false,
  description: `Blocks every date from \`from\` to \`to\` (inclusive, at most ${MAX_VACATION_DAYS} days): one blocked override per date, replacing existing overrides of those dates.`,
  examples: [{ from: '2026-12-27', to: '2027-01-02', reason: 'Holidays' }],
});
export type VacationBody = Static<typeof VacationBody>;

export const DateOverride = Type.Object({
  id: Uuid,
  date: CalendarDate,
  intervals: Type.Array(Interval),
  blocked: Type.Boolean({ description: 'True when the date has no hours at all' }),
  reason: Type.String(),
}, { examples: [{ id: '9a1c0d2e-3b4f-4a5b-8c6d-7e8f9a0b1c2d', date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }], blocked: false, reason: 'Short day' }] });
export type DateOverride = Static<typeof DateOverride>;

export const DateOverrideList = Type.Object({ overrides: Type.Array(DateOverride, { description: 'Sorted by date' }) });
export type DateOverrideList = Static<typeof DateOverrideList>;

export const OverrideQuery = Type.Object({
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
});

export const OverrideParams = Type.Object({ overrideId: Uuid });

// ---- credentials ----

export const CredentialCreate = Type.Object({
  label: Type.Optional(Type.String({ maxLength: 100, description: 'What the credential is for, e.g. "laptop"' })),
}, { additionalProperties: false, examples: [{ label: 'Office laptop' }] });

export const Credential = Type.Object({
  id: Uuid,
  specialistId: Uuid,
  label: Type.String(),
  createdAt: IsoInstant,
  lastUsedAt: NullableInstant,
  revokedAt: NullableInstant,
}, {
  examples: [{
    id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', specialistId: '5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21', label: 'Office laptop',
    createdAt: '2026-11-22T09:00:00.000Z', lastUsedAt: null, revokedAt: null,
  }],
});
export type Credential = Static<typeof Credential>;

export const IssuedCredential = Type.Object({
  ...Credential.properties,
  token: Type.String({ description: 'Shown only in this response: the server keeps only its hash. Send it as `Authorization: Bearer <token>`.' }),
}, {
  examples: [{
    id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', specialistId: '5b0f6c1e-2f59-4a8e-9a57-0d7f1a3c9e21', label: 'Office laptop',
    createdAt: '2026-11-22T09:00:00.000Z', lastUsedAt: null, revokedAt: null, token: 'spk_3q2-7wEAAAB8fQ0pYmH6kKc1m0dQ2w4N',
  }],
});
export type IssuedCredential = Static<typeof IssuedCredential>;

export const CredentialList = Type.Object({ credentials: Type.Array(Credential) });
export const CredentialParams = Type.Object({ id: IdOrSlugParams.properties.id, credentialId: Uuid });

// ---- allowed embedding origins ----

export const OriginBody = Type.Object({
  origin: Type.String({ minLength: 1, maxLength: 300, description: 'http(s) URL; stored in origin form (scheme, host, port), so a path is dropped' }),
}, { additionalProperties: false, examples: [{ origin: 'https://www.example-clinic.com' }] });

export const AllowedOrigin = Type.Object({
  origin: Type.String(),
  source: Type.Union([Type.Literal('config'), Type.Literal('admin')], {
    description: 'config: from PUBLIC_URL / ALLOWED_ORIGINS (change the environment to remove it); admin: added through this API',
  }),
  createdAt: NullableInstant,
}, { examples: [{ origin: 'https://www.example-clinic.com', source: 'admin', createdAt: '2026-11-22T09:00:00.000Z' }] });
export type AllowedOrigin = Static<typeof AllowedOrigin>;

export const AllowedOriginList = Type.Object({ origins: Type.Array(AllowedOrigin) });
export const OriginQuery = Type.Object({ origin: Type.String({ minLength: 1, maxLength: 300, examples: ['https://www.example-clinic.com'] }) });

// ---- webhooks ----

const WebhookEventName = Type.Enum([...WEBHOOK_EVENTS]);

export const WebhookCreate = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL without credentials' }),
  events: Type.Optional(Type.Array(WebhookEventName, { uniqueItems: true, description: 'Events to deliver; empty or omitted: all' })),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, examples: [{ url: 'https://crm.example-clinic.com/hooks/bookings', events: ['booking.created', 'booking.cancelled'] }] });
export type WebhookCreate = Static<typeof WebhookCreate>;

export const WebhookUpdate = Type.Partial(Type.Object({
  url: WebhookCreate.properties.url,
  events: WebhookCreate.properties.events,
  active: WebhookCreate.properties.active,
}), { additionalProperties: false, minProperties: 1, description: 'Inactive endpoints receive nothing; the secret stays the same.', examples: [{ active: false }] });
export type WebhookUpdate = Static<typeof WebhookUpdate>;

export const Webhook = Type.Object({
  id: Uuid,
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: IsoInstant,
}, {
  examples: [{
    id: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70', url: 'https://crm.example-clinic.com/hooks/bookings',
    events: ['booking.created', 'booking.cancelled'], active: true, createdAt: '2026-11-22T09:00:00.000Z',
  }],
});
export type Webhook = Static<typeof Webhook>;

export const CreatedWebhook = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'Signing secret (Standard Webhooks, whsec_ + base64), shown only in this response' }),
}, {
  examples: [{
    id: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70', url: 'https://crm.example-clinic.com/hooks/bookings',
    events: ['booking.created', 'booking.cancelled'], active: true, createdAt: '2026-11-22T09:00:00.000Z',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }],
});
export type CreatedWebhook = Static<typeof CreatedWebhook>;

export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) });
export const WebhookParams = Type.Object({ id: Uuid });

// ---- bookings across the practice ----

export const AdminBookingQuery = Type.Object({
  from: Type.Optional(IsoInstant),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Bookings starting before this instant (exclusive)' })),
  specialist: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Specialist id or slug' })),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Service id or slug' })),
  status: Type.Optional(Type.Array(BookingStatusSchema, { maxItems: 8, description: 'One or more statuses (repeat the parameter)' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the visitor\'s name or email, any letter case' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'By start time; default asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size, default 50' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
});
export type AdminBookingQuery = Static<typeof AdminBookingQuery>;

export const AdminBookingCsvQuery = Type.Omit(AdminBookingQuery, ['limit', 'cursor']);

export const SpecialistSessionsRevoked = Type.Object({ revoked: Type.Integer({ description: 'How many sessions ended' }) }, { examples: [{ revoked: 2 }] });

export const InviteSent = Type.Object({ sent: Type.Literal(true), email: Type.String() }, { examples: [{ sent: true, email: 'anna.weber@example.com' }] });

export const WebhookDelivery = Type.Object({
  id: Uuid,
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('cancelled')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoInstant,
  sentAt: Type.Union([IsoInstant, Type.Null()]),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;
export const WebhookDeliveryList = Type.Object({ deliveries: Type.Array(WebhookDelivery, { description: 'Newest first, at most 20' }) }, {
  examples: [{
    deliveries: [{
      id: 'f0e1d2c3-b4a5-4968-8776-655443322110', event: 'booking.created', status: 'sent', attempts: 1, lastError: null,
      createdAt: '2026-11-22T09:00:00.000Z', sentAt: '2026-11-22T09:00:01.000Z',
    }],
  }],
});
export const TestDeliveryQueued = Type.Object({ deliveryId: Uuid }, { examples: [{ deliveryId: 'f0e1d2c3-b4a5-4968-8776-655443322110' }] });
