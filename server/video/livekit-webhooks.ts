// LiveKit's webhooks: the Authorization header is a JWT signed with the API secret whose
// `sha256` claim is the body's digest (checked by the SDK's WebhookReceiver), so the raw body
// is verified before it is trusted. participant_joined / participant_left and room_finished drive the booking.
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import type { Config } from '../config.ts';
import { roleOfParticipant } from './calls.ts';
import type { CallEvent } from './events.ts';

type LiveKitConfig = NonNullable<Config['livekit']>;

/** The verified event, or null when the signature, digest or token lifetime is wrong. */
export async function verifyLiveKitWebhook(config: LiveKitConfig, rawBody: string, authorization: string | undefined): Promise<WebhookEvent | null> {
  try {
    return await new WebhookReceiver(config.apiKey, config.apiSecret).receive(rawBody, authorization);
  } catch {
    return null;
  }
}

const seconds = (value: bigint | undefined): Date | null => (value ? new Date(Number(value) * 1000) : null);

export function liveKitCallEvent(event: WebhookEvent): CallEvent | null {
  const room = event.room?.name;
  if (!room) return null;
  switch (event.event) {
    case 'participant_joined':
      if (!event.participant) return null;
      return { kind: 'joined', room, session: event.participant.sid || event.participant.identity, role: roleOfParticipant(event.participant.identity, undefined), at: seconds(event.participant.joinedAt) ?? seconds(event.createdAt) };
    case 'participant_left':
      if (!event.participant) return null;
      return { kind: 'left', room, session: event.participant.sid || event.participant.identity, role: roleOfParticipant(event.participant.identity, undefined), joinedAt: seconds(event.participant.joinedAt), at: seconds(event.createdAt) };
    case 'room_finished':
      // LiveKit closes the room departureTimeout after the last one left; started_at is the first join.
      return { kind: 'ended', room, startedAt: null, endedAt: seconds(event.createdAt) };
    default:
      return null;
  }
}
