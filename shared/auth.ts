// Console sign-in and sessions (/api/auth/...): the schemas the API validates and documents, and
// the types the console reads. Sessions are short-lived bearer tokens, never cookies, so the
// console works embedded in another site's page.
import { Type, type Static } from 'typebox';
import { IsoInstant, Uuid } from './schemas.ts';

export const ConsoleRole = Type.Union([Type.Literal('specialist'), Type.Literal('owner')], {
  description: 'specialist: their own bookings, schedule and calendars; owner: the whole practice',
});
export type ConsoleRole = Static<typeof ConsoleRole>;

const Locale = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'Language of the email (en, de, ru)' });

export const EmailSignInBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  role: Type.Optional(ConsoleRole),
  locale: Type.Optional(Locale),
  booking: Type.Optional(Uuid),
  action: Type.Optional(Type.Literal('join')),
}, {
  additionalProperties: false,
  description: 'Emails a single-use sign-in link (15 minutes). `booking` (and `action: "join"`) make the link open that booking after sign-in.',
  examples: [{ email: 'anna.weber@example.com', role: 'specialist', locale: 'de' }],
});
export type EmailSignInBody = Static<typeof EmailSignInBody>;

export const SignInSent = Type.Object({
  sent: Type.Literal(true, { description: 'Always true: whether an account has this address is not revealed' }),
  expiresInMin: Type.Integer(),
});

export const LinkSignInBody = Type.Object({
  token: Type.String({ minLength: 16, maxLength: 200, description: 'The `signin` parameter of the emailed link' }),
}, { additionalProperties: false });

export const KeySignInBody = Type.Object({
  key: Type.String({ minLength: 16, maxLength: 512, description: 'A specialist credential the site owner issued, or ADMIN_TOKEN' }),
}, { additionalProperties: false });

const SessionMethod = Type.Union([Type.Literal('link'), Type.Literal('credential'), Type.Literal('admin_token')]);

export const SessionInfo = Type.Object({
  id: Uuid,
  role: ConsoleRole,
  method: SessionMethod,
  createdAt: IsoInstant,
  expiresAt: IsoInstant,
  specialist: Type.Union([Type.Object({
    id: Uuid, slug: Type.String(), name: Type.String(), email: Type.String(), timezone: Type.String(),
  }), Type.Null()]),
  owner: Type.Union([Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String(), email: Type.String() }), Type.Null()]),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const IssuedSession = Type.Object({
  ...SessionInfo.properties,
  token: Type.String({ description: 'Shown once; send it as `Authorization: Bearer <token>` until expiresAt. The server keeps its hash only.' }),
});
export type IssuedSession = Static<typeof IssuedSession>;

export const SessionSummary = Type.Object({
  id: Uuid,
  role: ConsoleRole,
  method: SessionMethod,
  label: Type.String({ description: 'The browser that signed in (its user agent)' }),
  createdAt: IsoInstant,
  expiresAt: IsoInstant,
  lastUsedAt: Type.Union([IsoInstant, Type.Null()]),
  current: Type.Boolean({ description: 'The session of this request' }),
});
export type SessionSummary = Static<typeof SessionSummary>;
export const SessionList = Type.Object({ sessions: Type.Array(SessionSummary) }, {
  examples: [{
    sessions: [{
      id: '7d9c1e2a-4b5f-4c6d-8e7f-9a0b1c2d3e4f', role: 'specialist', method: 'link', label: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      createdAt: '2026-11-22T09:00:00.000Z', expiresAt: '2026-11-22T17:00:00.000Z', lastUsedAt: '2026-11-22T10:12:00.000Z', current: true,
    }],
  }],
});

export const SessionParams = Type.Object({ sessionId: Uuid });

// ---- owner accounts ----

export const OwnerCreate = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  invite: Type.Optional(Type.Boolean({ description: 'Email a sign-in link at once (default true)' })),
}, { additionalProperties: false, examples: [{ email: 'office@example-clinic.com', name: 'Front office' }] });
export type OwnerCreate = Static<typeof OwnerCreate>;

export const OwnerAccount = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  archivedAt: Type.Union([IsoInstant, Type.Null()]),
  createdAt: IsoInstant,
}, { examples: [{ id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', email: 'office@example-clinic.com', name: 'Front office', archivedAt: null, createdAt: '2026-11-22T09:00:00.000Z' }] });
export type OwnerAccount = Static<typeof OwnerAccount>;
export const OwnerList = Type.Object({ owners: Type.Array(OwnerAccount) });

export const InviteBody = Type.Object({ locale: Type.Optional(Locale) }, { additionalProperties: false, examples: [{ locale: 'de' }] });
