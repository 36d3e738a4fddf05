// Daily's webhooks (https://docs.daily.co/reference/rest-api/webhooks): each delivery carries
// X-Webhook-Timestamp and X-Webhook-Signature, the base64 HMAC-SHA256 of `${timestamp}.${body}`
// under the webhook's base64-encoded hmac secret. The raw body is what was signed, so it is
// verified before any parsing.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../auth/tokens.ts';
import { roleOfParticipant } from './calls.ts';
import type { CallEvent } from './events.ts';

/** Deliveries older or newer than this are refused, so a captured one cannot be replayed later. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export function dailySignature(secretBase64: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(`${timestamp}.${rawBody}`).digest('base64');
}

/** Seconds or milliseconds since the epoch, as a number of ms; null when not a timestamp. */
function timestampMs(value: string): number | null {
  if (!/^\d{1,16}$/.test(value)) return null;
  const n = Number(value);
  return n < 1e12 ? n * 1000 : n;
}

export function verifyDailyWebhook(secretBase64: string, headers: { timestamp?: string; signature?: string }, rawBody: string, now: number): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return false;
  const at = timestampMs(timestamp);
  if (at === null || Math.abs(now - at) > WEBHOOK_TOLERANCE_MS) return false;
  return safeEqual(dailySignature(secretBase64, timestamp, rawBody), signature);
}

export interface DailyEvent {
  type?: unknown;
  id?: unknown;
  event_ts?: unknown;
  payload?: Record<string, unknown>;
}

const seconds = (value: unknown): Date | null => (typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The call event a verified Daily delivery describes, or null for events we do not act on. */
export function dailyCallEvent(event: DailyEvent): CallEvent | null {
  const payload = event.payload ?? {};
  switch (event.type) {
    case 'participant.joined': {
      const room = text(payload.room);
      const session = text(payload.session_id) ?? text(payload.user_id);
      return room === null || session === null ? null : { kind: 'joined', room, session, role: roleOfParticipant(payload.user_id, payload.owner), at: seconds(payload.joined_at) };
    }
    case 'participant.left': {
      const room = text(payload.room);
      const session = text(payload.session_id) ?? text(payload.user_id);
      if (room === null || session === null) return null;
      const joinedAt = seconds(payload.joined_at);
      const duration = typeof payload.duration === 'number' && Number.isFinite(payload.duration) ? payload.duration : null;
      const at = joinedAt !== null && duration !== null ? new Date(joinedAt.getTime() + duration * 1000) : seconds(event.event_ts);
      return { kind: 'left', room, session, role: roleOfParticipant(payload.user_id, payload.owner), joinedAt, at };
    }
    case 'meeting.ended': {
      const room = text(payload.room);
      return room === null ? null : { kind: 'ended', room, startedAt: seconds(payload.start_ts), endedAt: seconds(payload.end_ts) };
    }
    case 'recording.ready-to-download': {
      const room = text(payload.room_name);
      const recordingId = text(payload.recording_id);
      return room === null || recordingId === null ? null : { kind: 'recorded', room, recordingId };
    }
    default:
      return null;
  }
}
