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
export const IsoInstant = Type.String({ format: 'date-time', description: 'ISO-8601 instant, UTC' });
export const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const TimeOfDay = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM, 24:00 allowed as an end' });
export const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 });
export const TimeZoneName = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });

export const IntakeQuestion = Type.Object({
  id: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$' }),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Union(['text', 'textarea', 'select', 'email', 'phone', 'checkbox'].map((t) => Type.Literal(t))),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
});
export type IntakeQuestion = Static<typeof IntakeQuestion>;

export const CancellationPolicy = Type.Union(['none', 'flexible', 'moderate', 'strict'].map((p) => Type.Literal(p)));

export const PublicSpecialist = Type.Object({
  id: Uuid,
  slug: Slug,
  name: Type.String(),
  bio: Type.String(),
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
  intakeQuestions: Type.Array(IntakeQuestion),
  videoEnabled: Type.Boolean(),
  specialists: Type.Array(Uuid, { description: 'Ids of the specialists offering it' }),
});
export type PublicService = Static<typeof PublicService>;

export const Slot = Type.Object({ start: IsoInstant, end: IsoInstant });
export type Slot = Static<typeof Slot>;

export const SlotsResponse = Type.Object({
  timezone: TimeZoneName,
  specialist: Type.Optional(Uuid),
  days: Type.Array(Type.Object({ date: CalendarDate, slots: Type.Array(Slot) })),
});
export type SlotsResponse = Static<typeof SlotsResponse>;

export const Health = Type.Object({ status: Type.String() });
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('fail'), Type.Literal('not_configured')])),
});
