// LiveKit behind the same contract: RoomServiceClient for rooms, AccessToken for join tokens.
// LiveKit rooms have no opening hours of their own, so the window travels in the room metadata
// (for operators and agents) and is enforced where tokens are handed out (the join route).
import { rm } from 'node:fs/promises';
import { AccessToken, EgressClient, EncodedFileOutput, EncodedFileType, ParticipantInfo_State, RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import { recordingPath } from './recording-files.ts';
import type { Config } from '../config.ts';
import { REJOIN_GRACE_MS } from './policy.ts';
import { VideoProviderError, type JoinCredential, type PresentParticipant, type RecordingLink, type Room, type RoomSpec, type TokenRequest, type VideoProvider } from './provider.ts';

type LiveKitConfig = NonNullable<Config['livekit']>;

/** Seconds the room stays open after the last participant left, so one who dropped can come back. */
const DEPARTURE_TIMEOUT_S = REJOIN_GRACE_MS / 1000;
/**
 * Seconds a room nobody entered stays open. Rooms made ahead of time (at confirmation) lapse and
 * are created again by the join route, which always ensures the room before handing out a token.
 */
const EMPTY_TIMEOUT_S = 5 * 60;

const metadata = (spec: RoomSpec) => JSON.stringify({ nbf: spec.nbf, exp: spec.exp, recording: spec.recording });

function isNotFound(err: unknown): boolean {
  return (err as { status?: number }).status === 404 || (err as { code?: string }).code === 'not_found';
}

export class LiveKitProvider implements VideoProvider {
  readonly kind = 'livekit' as const;
  readonly #config: LiveKitConfig;
  readonly #rooms: RoomServiceClient;
  readonly #egress: EgressClient;

  constructor(config: LiveKitConfig) {
    this.#config = config;
    this.#rooms = new RoomServiceClient(config.url, config.apiKey, config.apiSecret, { requestTimeout: 10 });
    this.#egress = new EgressClient(config.url, config.apiKey, config.apiSecret, { requestTimeout: 10 });
  }

  async #rpc<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof VideoProviderError) throw err;
      const e = err as { status?: number; message?: string; code?: string };
      throw new VideoProviderError(`LiveKit refused to ${what}.`, { provider: 'livekit', status: e.status, error: e.code, info: e.message });
    }
  }

  async ensureRoom(spec: RoomSpec): Promise<Room> {
    // CreateRoom answers the existing room when the name is taken: idempotent by itself.
    const room = await this.#rpc('create the room', () => this.#rooms.createRoom({
      name: spec.name,
      maxParticipants: spec.maxParticipants,
      emptyTimeout: EMPTY_TIMEOUT_S,
      departureTimeout: DEPARTURE_TIMEOUT_S,
      metadata: metadata(spec),
    }));
    if (room.metadata !== metadata(spec)) await this.#rpc('update the room', () => this.#rooms.updateRoomMetadata(spec.name, metadata(spec)));
    return { name: spec.name, url: this.#config.url };
  }

  async updateRoom(spec: RoomSpec): Promise<boolean> {
    const [room] = await this.#rpc('list rooms', () => this.#rooms.listRooms([spec.name]));
    if (!room) return false;
    await this.#rpc('update the room', () => this.#rooms.updateRoomMetadata(spec.name, metadata(spec)));
    return true;
  }

  async deleteRoom(name: string): Promise<void> {
    await this.#rpc('delete the room', async () => {
      try {
        await this.#rooms.deleteRoom(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }

  async issueToken(request: TokenRequest): Promise<string> {
    const token = new AccessToken(this.#config.apiKey, this.#config.apiSecret, {
      identity: request.userId,
      name: request.userName,
      // The SDK counts the lifetime from the real clock; the room's end is what bounds it.
      ttl: Math.max(1, request.exp - Math.floor(request.now / 1000)),
    });
    token.addGrant({ room: request.room, roomJoin: true, roomAdmin: request.owner, canPublish: true, canSubscribe: true, canPublishData: true });
    return token.toJwt();
  }

  /**
   * A token we issued (signed with the API secret, issuer the API key, not expired: the SDK's
   * TokenVerifier, on the real clock as AccessToken counts its ttl): identity `sub`, grant's room.
   */
  async readToken(token: string): Promise<JoinCredential | null> {
    try {
      const claims = await new TokenVerifier(this.#config.apiKey, this.#config.apiSecret).verify(token, 0);
      const room = (claims.video as { room?: unknown } | undefined)?.room;
      return typeof claims.sub === 'string' && typeof room === 'string' ? { room, userId: claims.sub } : null;
    } catch {
      return null;
    }
  }

  /** RoomService ListParticipants: the connected ones (JOINED or ACTIVE), by sid as the webhooks name them. */
  async presence(room: string): Promise<PresentParticipant[]> {
    const list = await this.#rpc('list the participants', async () => {
      try {
        return await this.#rooms.listParticipants(room);
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    });
    return list
      .filter((p) => p.state === ParticipantInfo_State.JOINED || p.state === ParticipantInfo_State.ACTIVE)
      .map((p) => ({ session: p.sid || p.identity, userId: p.identity, joinedAt: p.joinedAt ? new Date(Number(p.joinedAt) * 1000) : null }));
  }

  /**
   * Room-composite egress (both people, LiveKit's grid layout) to an MP4 under the recordings
   * folder the egress service shares with this server; egress_ended names the file.
   */
  async startRecording(room: string): Promise<string> {
    const file = new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath: `${room}/{time}.mp4` });
    const info = await this.#rpc('start the recording', () => this.#egress.startRoomCompositeEgress(room, { file }, { layout: 'grid' }));
    return info.egressId;
  }

  async stopRecording(_room: string, session: string): Promise<void> {
    await this.#rpc('stop the recording', async () => {
      try {
        await this.#egress.stopEgress(session);
      } catch (err) {
        // Already ended (the room closed, or a repeated stop): nothing left to stop.
        if (!isNotFound(err) && (err as { code?: string }).code !== 'failed_precondition') throw err;
      }
    });
  }

  /** The recording is a file in the shared folder (its id is the path egress reported, relative). */
  async deleteRecording(recordingId: string): Promise<void> {
    const file = recordingPath(this.#config.recordingsDir, recordingId);
    if (file !== null) await rm(file, { force: true });
  }

  async recordingLink(_recordingId: string): Promise<RecordingLink | null> {
    // Served by this server (recording-files.ts): the file is ours, not at a provider's CDN.
    return null;
  }
}
