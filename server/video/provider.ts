// The video provider behind consultations: private rooms with a time window, and per-person
// tokens for one room. Daily is the default; LiveKit implements the same contract (see
// select.ts for which one serves). The rest of the module only sees this interface.
import { HttpError } from '../http/errors.ts';

/** What a booking's room must look like; instants in Unix seconds. */
export interface RoomSpec {
  name: string;
  nbf: number;
  exp: number;
  maxParticipants: number;
  recording: boolean;
}

export interface Room {
  name: string;
  url: string;
}

export interface TokenRequest {
  room: string;
  /** Stable id of the person: shows up again in the provider's participant events. */
  userId: string;
  userName: string;
  owner: boolean;
  nbf: number;
  exp: number;
  /** The app's clock (ms), so tokens follow the same time as everything else. */
  now: number;
}

/** Someone the provider shows in a room right now (one connection). */
export interface PresentParticipant {
  /** The connection's id, the same one the provider's participant webhooks carry (Daily session_id, LiveKit sid). */
  session: string;
  /** The user id we put in their token (participantUserId). */
  userId: string;
  joinedAt: Date | null;
}

/** What a join token this server issued names. */
export interface JoinCredential {
  room: string;
  userId: string;
}

export interface RecordingLink {
  url: string;
  expiresAt: number;
}

export interface VideoProvider {
  readonly kind: 'daily' | 'livekit' | 'google_meet' | 'teams';
  /** Creates the room, or brings an existing one to the spec (times moved, settings drifted). */
  ensureRoom(spec: RoomSpec): Promise<Room>;
  /** Moves an existing room's window; false when there is no such room (nothing to move). */
  updateRoom(spec: RoomSpec): Promise<boolean>;
  /** Deletes the room; deleting a missing room is not an error. */
  deleteRoom(name: string): Promise<void>;
  issueToken(request: TokenRequest): Promise<string>;
  /**
   * The room and person of a join token this server issued (its signature checked, not expired),
   * or null when it is not one of ours. `now` is the app's clock (ms).
   */
  readToken(token: string, now: number): Promise<JoinCredential | null>;
  /** Who the provider shows in the room now (Daily room presence, LiveKit ListParticipants); [] when there is no such room. */
  presence(room: string): Promise<PresentParticipant[]>;
  /**
   * Starts recording the room (Daily cloud recording; LiveKit room-composite egress to a file).
   * Answers the provider's handle of this recording, which stopRecording takes.
   */
  startRecording(room: string): Promise<string>;
  /** Stops it; stopping one that already ended is not an error. The provider's webhook says when the file is ready. */
  stopRecording(room: string, session: string): Promise<void>;
  /** A short-lived download link, or null when the provider keeps no such recording. */
  recordingLink(recordingId: string): Promise<RecordingLink | null>;
  /** Deletes a recording (erasure, retention); deleting a missing one is not an error. */
  deleteRecording(recordingId: string): Promise<void>;
}

/** The provider failed or refused; the caller did nothing wrong, so it is a 502, never a 500. */
export class VideoProviderError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(502, 'video_provider_error', message, { details });
  }
}
