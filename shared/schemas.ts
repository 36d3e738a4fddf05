// Request and response schemas shared by the API (validation, serialisation, OpenAPI) and the
// widget (types only: the widget imports with `import type`, so no schema code ships to it).
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Machine-readable code, e.g. invalid_timezone' }),
    message: Type.String({ description: 'Human-readable explanation' }),
    field: Type.Optional(Type.String({ description: 'The offending request field, when one is to blame' })),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error', description: 'Every error answers with this shape.' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Uuid = Type.String({ format: 'uuid' });
/**
 * RFC 3339 instants with an explicit offset (`Z` or `±HH:MM`), years 2000-2200, no leap seconds;
 * answers use UTC (`Z`). The server's validator reads this format strictly (server/http/dates.ts).
 */
export const IsoInstant = Type.String({ format: 'date-time', maxLength: 40, description: 'RFC 3339 instant with offset (Z or ±HH:MM), years 2000-2200; answers are UTC' });
export const CalendarDate = Type.String({ format: 'date', maxLength: 10, description: 'YYYY-MM-DD, a real calendar day in 2000-2200' });
export const TimeOfDay = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM, 24:00 allowed as an end' });
export const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 });
export const TimeZoneName = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });

/** Documents a visitor may attach (intake questions of type file), recognised by their content. */
export const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
// Literals spelled out: a mapped array would make the static type `never`.
export const FileType = Type.Union([Type.Literal('application/pdf'), Type.Literal('image/jpeg'), Type.Literal('image/png'), Type.Literal('image/webp')]);
export type FileType = (typeof FILE_TYPES)[number];
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const IntakeQuestion = Type.Object({
  id: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$' }),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('textarea'), Type.Literal('select'), Type.Literal('email'), Type.Literal('phone'), Type.Literal('checkbox'), Type.Literal('file')]),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  accept: Type.Optional(Type.Array(FileType, {
    minItems: 1, maxItems: 4, description: 'file questions: the accepted types, checked by content (default: all four)',
  })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: MAX_FILE_BYTES, description: `file questions: the largest file in bytes (default and maximum ${MAX_FILE_BYTES}, 10 MiB)` })),
});
export type IntakeQuestion = Static<typeof IntakeQuestion>;

// Literals spelled out: a mapped array would make the static type `never`.
export const CancellationPolicy = Type.Union([Type.Literal('none'), Type.Literal('flexible'), Type.Literal('moderate'), Type.Literal('strict')]);

export const ServicePayment = Type.Union([Type.Literal('none'), Type.Literal('prepay')], {
  description: 'none: booked without paying online; prepay: paid through Stripe Checkout when booking, which confirms it',
});

export const PublicSpecialist = Type.Object({
  id: Uuid,
  slug: Slug,
  name: Type.String(),
  bio: Type.String(),
  specialty: Type.String({ description: 'One line under the name, e.g. "Clinical psychologist"' }),
  photoUrl: Type.Union([Type.String(), Type.Null()], { description: 'An https image of the specialist (the widget\'s specialist picker), or null' }),
  timezone: TimeZoneName,
  services: Type.Array(Uuid, { description: 'Ids of the services this specialist offers' }),
});
export type PublicSpecialist = Static<typeof PublicSpecialist>;

export const PublicService = Type.Object({
  id: Uuid,
  slug: Slug,
  name: Type.String(),
  description: Type.String(),
  durationMin: Type.Integer(),
  priceCents: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  minNoticeMin: Type.Integer(),
  horizonDays: Type.Integer(),
  requiresApproval: Type.Boolean(),
  cancellationPolicy: CancellationPolicy,
  payment: ServicePayment,
  intakeQuestions: Type.Array(IntakeQuestion),
  videoEnabled: Type.Boolean(),
  specialists: Type.Array(Uuid, { description: 'Ids of the specialists offering it' }),
});
export type PublicService = Static<typeof PublicService>;

export const Slot = Type.Object({
  start: IsoInstant,
  end: IsoInstant,
  free: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), {
    description: 'Only for specialist "any": who is free at this time, as positions in `team`',
  })),
});
export type Slot = Static<typeof Slot>;

export const SlotsDay = Type.Object({
  date: CalendarDate,
  slots: Type.Array(Slot),
});
export type SlotsDay = Static<typeof SlotsDay>;

export const SlotsResponse = Type.Object({
  timezone: TimeZoneName,
  specialist: Type.Optional(Uuid),
  team: Type.Optional(Type.Array(Uuid, {
    description: 'Only for specialist "any": every active specialist offering the service, in id order; slots name them by position (`free`)',
  })),
  lastDate: Type.Optional(CalendarDate),
  days: Type.Array(SlotsDay),
});
export type SlotsResponse = Static<typeof SlotsResponse>;

export const SlotsQuery = Type.Object({
  service: Type.String({ minLength: 1, maxLength: 64, description: 'Service id or slug' }),
  // Plain strings: malformed dates and zones must answer invalid_range / invalid_timezone.
  from: Type.String({ description: 'First date, YYYY-MM-DD in `timezone`, inclusive' }),
  to: Type.String({ description: 'Last date, YYYY-MM-DD in `timezone`, inclusive (at most 62 days)' }),
  timezone: Type.Optional(Type.String({ description: "IANA zone of the visitor; defaults to the specialist's" })),
});
export type SlotsQuery = Static<typeof SlotsQuery>;

export const Health = Type.Object({ status: Type.String() });
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')], {
    description: '`unavailable` (503): cannot serve, take the instance out of rotation. `degraded` (200): serves bookings, an optional dependency (Redis) is down',
  }),
  checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('fail'), Type.Literal('not_configured')])),
});

export const RecordingState = Type.Object({
  offered: Type.Boolean({ description: 'The service records calls, with the visitor\'s consent' }),
  consent: Type.Union([Type.Boolean(), Type.Null()], { description: 'The visitor\'s answer; null until asked' }),
  status: Type.Union([Type.Literal('none'), Type.Literal('recording'), Type.Literal('processing'), Type.Literal('ready')]),
});
export type RecordingState = Static<typeof RecordingState>;

// Video consultations (server/video): joining the call, recordings, notes and history.
export const JoinResponse = Type.Object({
  roomUrl: Type.String({ description: 'The room to open with the provider\'s client: a Daily room URL (Daily Prebuilt), or the LiveKit server URL (livekit-client, with `token`)' }),
  token: Type.String({ description: 'Meeting token for this room only, expiring when the room closes' }),
  startsAt: IsoInstant,
  endsAt: IsoInstant,
  role: Type.Union([Type.Literal('visitor'), Type.Literal('specialist')]),
  provider: Type.Union([Type.Literal('daily'), Type.Literal('livekit'), Type.Literal('google_meet'), Type.Literal('teams')], { description: 'Which client opens the room; google_meet / teams: `roomUrl` is the meeting\'s own link (opened in its app), `token` empty' }),
  closesAt: Type.Optional(IsoInstant),
  recording: Type.Optional(Type.Boolean({ description: 'The host may start and stop a recording from the call (POST /api/specialist/bookings/:id/recording): the service records and the visitor agreed' })),
  recordingState: Type.Optional(RecordingState),
});
export type JoinResponse = Static<typeof JoinResponse>;

export const CallPresenceReport = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 4096, description: 'The `token` of the join answer this person is in the call with' }),
}, { additionalProperties: false });
export const CallPresence = Type.Object({
  role: Type.Union([Type.Literal('visitor'), Type.Literal('specialist')]),
  joinedAt: IsoInstant,
  status: Type.String({ description: 'The booking\'s status after the report (in_progress once someone is in the call)' }),
});
export type CallPresence = Static<typeof CallPresence>;

export const RecordingLink = Type.Object({ url: Type.String(), expiresAt: IsoInstant });
export type RecordingLink = Static<typeof RecordingLink>;

export const ConsultationNotes = Type.Object({
  bookingId: Uuid,
  notes: Type.String({ description: 'Private to the specialist' }),
  summary: Type.String({ description: 'Shared with the visitor' }),
  summarySentAt: Type.Union([IsoInstant, Type.Null()], { description: 'When this summary was emailed to the visitor; null once it changed since' }),
  updatedAt: IsoInstant,
});
export type ConsultationNotes = Static<typeof ConsultationNotes>;

export const ConsultationHistoryItem = Type.Object({
  bookingId: Uuid,
  status: Type.String(),
  startsAt: IsoInstant,
  endsAt: IsoInstant,
  serviceName: Type.String(),
  specialistName: Type.String(),
  summary: Type.String(),
  notes: Type.Optional(Type.String({ description: 'Only in the specialist\'s history' })),
});
export type ConsultationHistoryItem = Static<typeof ConsultationHistoryItem>;
export const ConsultationHistory = Type.Object({
  scope: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('booking')], {
    description: 'email: every consultation under the verified address (GET /api/visitor/history); booking: this booking only (a manage token)',
  })),
  consultations: Type.Array(ConsultationHistoryItem),
});
export type ConsultationHistory = Static<typeof ConsultationHistory>;
