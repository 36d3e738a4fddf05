// LiveKit's webhooks: the Authorization header is a JWT signed with the API secret whose
// `sha256` claim is the body's digest (checked by the SDK's WebhookReceiver), so the raw body
// is verified before it is trusted. participant_joined / participant_left and room_finished drive the booking; egress_ended stores
// the recording.
import path from 'node:path';
import { EgressStatus, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
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

/** egress_ended's file, as a path relative to the shared recordings folder (egress may report it absolute). */
function recordingFile(recordingsDir: string, filename: string): string {
  return path.isAbsolute(filename) ? path.relative(recordingsDir, filename) : filename.replace(/^\.\//, '');
}

export function liveKitCallEvent(event: WebhookEvent, recordingsDir: string): CallEvent | null {
  if (event.event === 'egress_ended' && event.egressInfo) {
    const info = event.egressInfo;
    const file = info.fileResults[0]?.filename;
    if (info.status === EgressStatus.EGRESS_COMPLETE && file) return { kind: 'recorded', room: info.roomName, recordingId: recordingFile(recordingsDir, file) };
    return { kind: 'recording_failed', room: info.roomName, session: info.egressId };
  }
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
