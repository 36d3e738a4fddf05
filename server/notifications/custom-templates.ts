// Owner-written message texts: a subject and an opening paragraph per kind and locale, with
// variables only ({{serviceName}}, {{otherName}}, {{start}}, ...): no expressions, no markup. The
// values are substituted as text; the HTML part escapes the result like every other line, so an
// owner's text (or a visitor's name inside it) can never inject markup. Pure.
import { formatInstant, type Locale, type MessageView } from './templates.ts';

export const TEMPLATE_VARIABLES = ['serviceName', 'otherName', 'recipientName', 'start', 'end', 'minutesBefore'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateOverride { subject: string | null; body: string | null }

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The placeholders of a text that are not variables (empty: the text is valid). */
export function unknownVariables(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n));
}

export function substitute(text: string, v: MessageView): string {
  const values: Record<TemplateVariable, string> = {
    serviceName: v.serviceName,
    otherName: v.otherName,
    recipientName: v.recipientName ?? '',
    start: formatInstant(v.start, v.recipientZone, v.locale),
    end: formatInstant(v.end, v.recipientZone, v.locale),
    minutesBefore: String(v.minutesBefore ?? ''),
  };
  return text.replace(PLACEHOLDER, (all, name: string) => (name in values ? values[name as TemplateVariable] : all));
}

/** Overrides keyed "kind locale". */
export type TemplateSet = ReadonlyMap<string, TemplateOverride>;
export const templateKey = (kind: string, locale: Locale) => `${kind} ${locale}`;
