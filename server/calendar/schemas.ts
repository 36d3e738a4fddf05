// Request and response schemas of the calendar routes.
import { Type, type Static } from 'typebox';

export const Provider = Type.Union([Type.Literal('google'), Type.Literal('outlook')], { description: 'Calendar provider' });
export const ProviderParams = Type.Object({ provider: Provider });

export const SendUpdates = Type.Union([Type.Literal('all'), Type.Literal('externalOnly'), Type.Literal('none')], {
  description: 'Whether the provider emails the visitor about the booking event (Google sendUpdates). Default none: the visitor already gets our confirmation.',
});

export const ConnectUrl = Type.Object({
  url: Type.String({ description: 'The provider consent page; open it in the specialist\'s browser. Valid for 10 minutes.' }),
});

export const ConnectQuery = Type.Object({
  returnTo: Type.Optional(Type.String({
    maxLength: 2000,
    description: 'Where the browser lands after the consent page (the console embedding it); its origin must be an allowed embedding origin. Default: PUBLIC_URL/console/.',
  })),
});

export const CallbackQuery = Type.Object({
  state: Type.String({ minLength: 1, maxLength: 2048 }),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  scope: Type.Optional(Type.String({ maxLength: 2000 })),
  session_state: Type.Optional(Type.String({ maxLength: 200 })),
  authuser: Type.Optional(Type.String({ maxLength: 20 })),
  prompt: Type.Optional(Type.String({ maxLength: 50 })),
  hd: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: true });

export const Connection = Type.Object({
  provider: Provider,
  status: Type.Union([Type.Literal('active'), Type.Literal('broken')]),
  accountEmail: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Why the connection broke (e.g. the grant was revoked): reconnect to fix.' }),
  busyCalendarIds: Type.Array(Type.String()),
  writeCalendarId: Type.String(),
  sendUpdates: SendUpdates,
  busyFetchedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  servingCachedBusy: Type.Boolean({ description: 'Slots are computed from busy time that is not being refreshed (broken or stale connection).' }),
  meetingAttendance: Type.Optional(Type.Union([Type.Literal('granted'), Type.Literal('missing'), Type.Null()], { description: 'With this calendar\'s meetings as the video provider (Google Meet, Teams): whether the grant lets the server read who attended, so sessions are marked by themselves; missing: reconnect to allow it. null: not this calendar\'s meetings' })),
});
export type Connection = Static<typeof Connection>;

export const CalendarStatus = Type.Object({
  providers: Type.Object({ google: Type.Boolean(), outlook: Type.Boolean() }, { description: 'Providers configured on this server' }),
  connections: Type.Array(Connection),
});

export const CalendarList = Type.Object({
  calendars: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    primary: Type.Boolean(),
    writable: Type.Boolean(),
    busy: Type.Boolean({ description: 'Counts as busy time now' }),
    write: Type.Boolean({ description: 'Bookings are written to it now' }),
  })),
});

export const SelectionBody = Type.Object({
  busyCalendarIds: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 0, maxItems: 50, uniqueItems: true }),
  writeCalendarId: Type.String({ minLength: 1, maxLength: 1024 }),
  sendUpdates: Type.Optional(SendUpdates),
}, { additionalProperties: false });
