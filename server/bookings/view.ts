// A booking as callers see it (pure): both time zones, what the caller may do now and what a
// cancellation now would refund. Visitors, specialists and the site owner get the same shape;
// only the actions and the refund preview depend on who asks.
import type { Actor, Booking } from '../db/schema.ts';
import { offsetMinutes } from '../availability/zone.ts';
import type { BookingView } from '../../shared/bookings.ts';
import { isCaptured, paymentSummary, type PaymentWithRefunds } from '../payments/store.ts';
import { allowedActions } from './lifecycle.ts';
import { refundFor } from './policy.ts';
import { recordingState } from '../video/recording-state.ts';

export interface ViewSpecialist { id: string; slug: string; name: string; timezone: string }
export interface ViewMove { from_starts_at: Date; to_starts_at: Date; moved_by: Actor; moved_at: Date }

const pad = (n: number) => String(n).padStart(2, '0');

/** The instant as local time with its offset in `zone`, e.g. 2026-11-23T10:00:00+01:00. */
export function localIso(epochMs: number, zone: string): string {
  const offset = Math.round(offsetMinutes(epochMs, zone));
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function bookingView(b: Booking, specialist: ViewSpecialist, moves: readonly ViewMove[], actor: Actor, now: number,
  payment: PaymentWithRefunds | null = null): BookingView {
  const start = b.starts_at.getTime();
  const end = b.ends_at.getTime();
  const terms = b.service_terms;
  const actions = allowedActions({ status: b.status, startsAt: start }, actor, now);
  // Only money taken online can come back.
  const paid = payment !== null && isCaptured(payment.status) ? { cents: payment.amount_cents, currency: payment.currency } : null;
  const local = (zone: string) => ({ timezone: zone, start: localIso(start, zone), end: localIso(end, zone) });
  return {
    id: b.id,
    status: b.status,
    start: b.starts_at.toISOString(),
    end: b.ends_at.toISOString(),
    specialist: { id: specialist.id, slug: specialist.slug, name: specialist.name, timezone: specialist.timezone },
    service: {
      id: b.service_id,
      name: terms.name,
      durationMin: terms.durationMin,
      priceCents: terms.priceCents,
      currency: terms.currency,
      cancellationPolicy: terms.cancellationPolicy,
      videoEnabled: terms.videoEnabled,
    },
    visitor: { name: b.visitor_name, email: b.visitor_email, phone: b.visitor_phone, timezone: b.visitor_timezone },
    times: { specialist: local(specialist.timezone), visitor: local(b.visitor_timezone) },
    answers: b.answers as Record<string, string | boolean>,
    actions,
    refundPreview: actions.includes('cancel') && paid !== null ? refundFor(terms, start, now, actor, paid) : null,
    cancellation: b.status === 'cancelled' && b.cancelled_at !== null && b.cancelled_by !== null ? {
      at: b.cancelled_at.toISOString(),
      by: b.cancelled_by,
      reason: b.cancel_reason,
      refund: b.refund_percent === null ? null : { percent: b.refund_percent, cents: b.refund_cents, currency: payment?.currency ?? terms.currency },
    } : null,
    payment: payment === null ? null : paymentSummary(payment, b.hold_expires_at, now),
    noShow: b.status === 'no_show' ? {
      party: b.no_show_party ?? 'visitor',
      refund: b.no_show_party === 'specialist' && b.refund_percent !== null ? { percent: b.refund_percent, cents: b.refund_cents, currency: payment?.currency ?? terms.currency } : null,
    } : null,
    attendance: b.attendance_check ?? null,
    moves: moves.map((m) => ({
      from: m.from_starts_at.toISOString(),
      to: m.to_starts_at.toISOString(),
      by: m.moved_by,
      at: m.moved_at.toISOString(),
    })),
    summary: b.summary,
    recording: recordingState(b),
    createdAt: b.created_at.toISOString(),
  };
}
