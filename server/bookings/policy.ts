// Cancellation refunds: pure functions of the policy stored in the booking's terms, the start and
// the moment of cancelling. "N h before" means at least N h between cancelling and the start, so
// cancelling exactly 24 h before still counts as 24 h before.
import type { CancelledBy, CancellationPolicy, ServiceTerms } from '../db/schema.ts';
import type { Refund } from '../../shared/bookings.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** [minimum lead time, percent] tiers, longest lead first; no tier reached means no refund. */
const TIERS: Record<CancellationPolicy, readonly (readonly [number, number])[]> = {
  none: [],
  flexible: [[24 * HOUR, 100]],
  moderate: [[5 * DAY, 100], [24 * HOUR, 50]],
  strict: [[14 * DAY, 50]],
};

/** Percent refunded when a visitor cancels at `now` a booking starting at `startsAt` (epoch ms). */
export function refundPercent(policy: CancellationPolicy, startsAt: number, now: number): number {
  const lead = startsAt - now;
  for (const [minLead, percent] of TIERS[policy]) if (lead >= minLead) return percent;
  return 0;
}

/**
 * The refund of a cancellation of `paid` (money taken online; nothing paid, nothing refunded). The
 * policy binds the visitor; when the practice cancels (the specialist, the site owner, or a
 * declined request) the visitor did nothing wrong and gets all back.
 */
export function refundFor(terms: Pick<ServiceTerms, 'cancellationPolicy'>, startsAt: number, now: number, cancelledBy: CancelledBy,
  paid: { cents: number; currency: string }): Refund {
  const percent = cancelledBy === 'visitor' ? refundPercent(terms.cancellationPolicy, startsAt, now) : 100;
  return { percent, cents: Math.round((paid.cents * percent) / 100), currency: paid.currency };
}
