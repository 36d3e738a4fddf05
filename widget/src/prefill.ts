// What a page already knows about its visitor, put into the details form: the element's `name`,
// `email`, `phone` and `answers` (JSON: question id -> value) attributes, or the page address's
// bw_name, bw_email, bw_phone, bw_locale and bw_q_<question id> parameters (a CRM's or a
// newsletter's link). Attributes win over the address. Nothing is sent anywhere before the
// visitor presses Book, and the parameters leave the address bar once read.
import type { DetailsValues, PublicService } from './types.ts';

export interface Prefill {
  name?: string;
  email?: string;
  phone?: string;
  locale?: string;
  /** Raw text per question id; read against the service's questions when one is chosen. */
  answers: Record<string, string>;
}

/** The bw_* parameters of a query string, and the names to drop from the address bar. */
export function fromAddress(search: string): { prefill: Prefill; read: string[] } {
  const q = new URLSearchParams(search);
  const prefill: Prefill = { answers: {} };
  const read: string[] = [];
  for (const [key, value] of q) {
    const field = /^bw_(name|email|phone|locale)$/.exec(key)?.[1] as 'name' | 'email' | 'phone' | 'locale' | undefined;
    const answer = /^bw_q_([\w-]{1,40})$/.exec(key)?.[1];
    if (field) prefill[field] = value.slice(0, 300);
    else if (answer) prefill.answers[answer] = value.slice(0, 2000);
    else continue;
    read.push(key);
  }
  return { prefill, read };
}

/** The `answers` attribute: a JSON object of question id -> text, number or boolean. Anything else is ignored. */
export function parseAnswers(json: string | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const data: unknown = JSON.parse(json);
    if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
    return Object.fromEntries(Object.entries(data).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/** Fills the empty fields of `values` for `service`: a checkbox from yes/true/1, a select only with one of its options. */
export function applyPrefill(values: DetailsValues, prefill: Prefill, service: PublicService): DetailsValues {
  const answers = { ...values.answers };
  for (const q of service.intakeQuestions) {
    const raw = prefill.answers[q.id];
    if (raw === undefined || (answers[q.id] !== undefined && answers[q.id] !== '')) continue;
    if (q.type === 'checkbox') answers[q.id] = /^(1|true|yes|on)$/i.test(raw);
    else if (q.type === 'select') { if (q.options?.includes(raw)) answers[q.id] = raw; }
    else answers[q.id] = raw;
  }
  return {
    name: values.name || prefill.name || '',
    email: values.email || prefill.email || '',
    phone: values.phone || prefill.phone || '',
    answers,
  };
}
