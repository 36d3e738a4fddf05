// Intake answers checked against the service's questions (pure). Returns the answers to store:
// trimmed, only known questions, unanswered optional ones left out.
import type { IntakeQuestion } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { ParsedPhone } from '../phone/number.ts';
import { isUuid } from '../../shared/ids.ts';

export type Answers = Record<string, string | boolean>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 500;
const MAX_TEXTAREA = 5000;

const invalid = (id: string, message: string) =>
  new HttpError(400, 'invalid_answer', message, { field: `body.answers.${id}` });

/**
 * `given` is whatever the client sent: each value is checked against its question's type. Phone
 * answers are stored in E.164, as `parsePhone` reads them (in the visitor's region).
 */
export function validateAnswers(questions: readonly IntakeQuestion[], given: Record<string, unknown> = {}, parsePhone?: (text: string) => ParsedPhone | null): Answers {
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(given)) {
    if (!known.has(id)) throw invalid(id, `"${id}" is not a question of this service.`);
  }
  const out: Answers = {};
  for (const q of questions) {
    const raw = given[q.id] ?? undefined; // null counts as unanswered
    if (q.type === 'checkbox') {
      if (raw !== undefined && typeof raw !== 'boolean') throw invalid(q.id, `"${q.label}" must be true or false.`);
      // A required checkbox is a consent ("I agree"): it must be ticked.
      if (q.required && raw !== true) throw invalid(q.id, `"${q.label}" must be checked.`);
      if (raw !== undefined) out[q.id] = raw;
      continue;
    }
    if (q.type === 'file') {
      // The id POST /api/uploads answered; that it is this question's unclaimed upload is checked
      // when the booking claims it (intake-files/store.ts, in the booking's transaction).
      if (raw !== undefined && (typeof raw !== 'string' || !isUuid(raw))) throw invalid(q.id, `"${q.label}" must be the id of an uploaded file.`);
      if (raw === undefined && q.required) throw invalid(q.id, `"${q.label}" is required: attach a file.`);
      if (raw !== undefined) out[q.id] = raw.toLowerCase();
      continue;
    }
    if (raw !== undefined && typeof raw !== 'string') throw invalid(q.id, `"${q.label}" must be text.`);
    const value = raw?.trim() ?? '';
    if (value === '') {
      if (q.required) throw invalid(q.id, `"${q.label}" is required.`);
      continue;
    }
    const max = q.type === 'textarea' ? MAX_TEXTAREA : MAX_TEXT;
    if (value.length > max) throw invalid(q.id, `"${q.label}" must be at most ${max} characters.`);
    if (q.type === 'select' && !(q.options ?? []).includes(value)) {
      throw invalid(q.id, `"${q.label}" must be one of: ${(q.options ?? []).join(', ')}.`);
    }
    if (q.type === 'email' && !EMAIL.test(value)) throw invalid(q.id, `"${q.label}" must be an email address.`);
    if (q.type === 'phone') {
      const phone = parsePhone?.(value) ?? null;
      if (phone === null) throw invalid(q.id, `"${q.label}" must be a valid phone number (with the country code, e.g. +49 …).`);
      out[q.id] = phone.e164;
      continue;
    }
    out[q.id] = value;
  }
  return out;
}
