// How a failure reads to a person, shared by the widget and the console: the network, a missing
// record, the server's own message; and why a call could not be entered.
import { describeError, ApiError } from './api.ts';
import { t } from './i18n.ts';

/** `page`: a failure loading what the widget was set up with (specialist, service), not a booking. */
export function failureText(err: unknown, locale: string, subject: 'booking' | 'page' = 'booking'): string {
  const d = describeError(err);
  if (d.code === 'network') return t(locale, 'networkError');
  if (d.status === 404) return subject === 'page' ? t(locale, 'pageNotFound', { message: d.message }) : t(locale, 'notFound');
  // The server is up but something it needs is not (and said so): a message of its own, not "network".
  if (d.status === 503) return t(locale, 'serviceUnavailable');
  return t(locale, 'genericError', { message: d.message });
}

/** Why entering the call failed; `leadMin` is how long before the start the room opens for this person. */
export function joinProblem(err: unknown, locale: string, leadMin: number): string {
  const d = describeError(err);
  if (d.code === 'too_early') {
    const left = err instanceof ApiError ? (err.body.details as { secondsLeft?: number } | undefined)?.secondsLeft : undefined;
    return t(locale, 'enterHint', { n: leadMin }) + (left ? ` (${Math.ceil(left / 60)} min)` : '');
  }
  if (d.code === 'video_not_configured') return t(locale, 'videoNotConfigured');
  if (d.status === 410) return t(locale, 'callEndedError');
  return failureText(err, locale);
}
