// The site owner's message texts (server/notifications/template-routes.ts): a subject and an
// opening paragraph per message kind and locale, variables only; and a message as the preview
// renders it. Shared by the API's schemas and the console's types.
import { Type, type Static } from 'typebox';

export const TemplateLocale = Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('ru')]);
export type TemplateLocale = Static<typeof TemplateLocale>;

export const TemplateTexts = Type.Object({
  subject: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()])),
  body: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 5000 }), Type.Null()])),
}, { additionalProperties: false });
export type TemplateTexts = Static<typeof TemplateTexts>;

export const TemplateOverride = Type.Object({
  kind: Type.String(), locale: TemplateLocale,
  subject: Type.Union([Type.String(), Type.Null()]), body: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type TemplateOverride = Static<typeof TemplateOverride>;

export const TemplateOverview = Type.Object({
  kinds: Type.Array(Type.String(), { description: 'Every message kind, e.g. visitor.confirmation' }),
  variables: Type.Array(Type.String(), { description: 'The names texts may use as {{name}}' }),
  overrides: Type.Array(TemplateOverride),
});
export type TemplateOverview = Static<typeof TemplateOverview>;

export const RenderedMessage = Type.Object({
  subject: Type.String(), text: Type.String(), html: Type.String({ description: 'The email\'s HTML part; every text in it escaped' }), sms: Type.String(),
});
export type RenderedMessage = Static<typeof RenderedMessage>;
