// What cancelling now would refund under the service's policy (issue 4's table), shown before
// the visitor confirms. The server computes and stores the real refund when it cancels; this is
// only the preview, used when the booking view does not carry one.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function refundPercent(policy: string | undefined, start: number, now: number): number {
  const ahead = start - now;
  switch (policy) {
    case 'flexible': return ahead >= DAY ? 100 : 0;
    case 'moderate': return ahead >= 5 * DAY ? 100 : ahead >= DAY ? 50 : 0;
    case 'strict': return ahead >= 14 * DAY ? 50 : 0;
    default: return 0;
  }
}
