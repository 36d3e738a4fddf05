// A specialist's reminders before their sessions: minutes before the start, the same rules for
// the server-wide default (HOST_REMINDER_MINUTES) and each specialist's own setting. Pure.

/** Offsets are whole minutes from 1 to a week before the start, at most this many, no repeats. */
export const HOST_REMINDER_RULES = { minMinutes: 1, maxMinutes: 7 * 24 * 60, maxCount: 5 } as const;

/** The server's default when HOST_REMINDER_MINUTES is unset: an hour and ten minutes before. */
export const DEFAULT_HOST_REMINDER_MINUTES: readonly number[] = [60, 10];

/**
 * The offsets in their stored order (largest first), or why they break the rules: a number out
 * of range, too many, or one given twice (the message names which).
 */
export function normalizeReminderMinutes(minutes: readonly number[]): { ok: number[] } | { problem: string } {
  const { minMinutes, maxMinutes, maxCount } = HOST_REMINDER_RULES;
  const bad = minutes.find((m) => !Number.isInteger(m) || m < minMinutes || m > maxMinutes);
  if (bad !== undefined) return { problem: `${bad} is not a whole number of minutes from ${minMinutes} to ${maxMinutes}` };
  if (minutes.length > maxCount) return { problem: `at most ${maxCount} reminders (got ${minutes.length})` };
  const twice = minutes.find((m, i) => minutes.indexOf(m) !== i);
  if (twice !== undefined) return { problem: `${twice} minutes is given twice` };
  return { ok: [...minutes].sort((a, b) => b - a) };
}
