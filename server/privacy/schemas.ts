// Response schemas of the privacy routes (export and erasure), for the site owner and the visitor.
import { Type } from 'typebox';

const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);

export const VisitorExport = Type.Object({
  email: Type.String(),
  exportedAt: Instant,
  verifiedAt: NullableInstant,
  bookings: Type.Array(Type.Object({
    id: Type.String(),
    status: Type.String(),
    start: Instant,
    end: Instant,
    specialist: Type.String(),
    service: Type.String(),
    visitor: Type.Object({
      name: Type.String(), email: Type.String(), phone: Type.Union([Type.String(), Type.Null()]), timezone: Type.String(), locale: Type.String(),
    }),
    answers: Type.Record(Type.String(), Type.Unknown()),
    summary: Type.String(),
    notes: Type.Optional(Type.String({ description: 'The specialist\'s private notes: in the site owner\'s export only' })),
    cancellation: Type.Union([Type.Object({ at: Instant, by: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    joinedAt: NullableInstant,
    recording: Type.Boolean(),
    createdAt: Instant,
  })),
  messages: Type.Array(Type.Object({
    bookingId: Type.Union([Type.String(), Type.Null()]),
    kind: Type.String(),
    channel: Type.String(),
    status: Type.String(),
    to: Type.String(),
    sendAt: Instant,
    sentAt: NullableInstant,
  })),
});

export const ErasureReport = Type.Object({
  bookings: Type.Integer({ description: 'Bookings anonymised' }),
  cancelled: Type.Integer({ description: 'Upcoming bookings cancelled first' }),
  calendarEvents: Type.Integer({ description: 'Calendar event deletions queued' }),
  recordingsDeleted: Type.Integer(),
  recordingsPending: Type.Integer({ description: 'Recordings whose deletion failed now and is retried' }),
});

export const EmailQuery = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) });
