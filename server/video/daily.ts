// Daily (https://docs.daily.co/reference/rest-api) over plain fetch: rooms, the domain id for
// self-signed meeting tokens, and recording access links. Errors answer `{ error, info }`.
import { createHmac, randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import { safeEqual } from '../auth/tokens.ts';
import { VideoProviderError, type JoinCredential, type PresentParticipant, type RecordingLink, type Room, type RoomSpec, type TokenRequest, type VideoProvider } from './provider.ts';

type DailyConfig = NonNullable<Config['daily']>;

interface DailyRoom {
  name: string;
  url: string;
  privacy: string;
  config?: Record<string, unknown>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const TIMEOUT_MS = 10_000;

/** Room properties for a booking's room (https://docs.daily.co/reference/rest-api/rooms/config). */
export function roomProperties(spec: RoomSpec): Record<string, unknown> {
  return {
    nbf: spec.nbf,
    exp: spec.exp,
    max_participants: spec.maxParticipants,
    eject_at_room_exp: true,
    enable_prejoin_ui: true,
    // Recording is off unless the service turned it on: omitted, the room cannot record.
    ...(spec.recording ? { enable_recording: 'cloud' } : {}),
  };
}

function roomMatches(room: DailyRoom, spec: RoomSpec): boolean {
  const c = room.config ?? {};
  return room.privacy === 'private' && c.nbf === spec.nbf && c.exp === spec.exp
    && c.max_participants === spec.maxParticipants
    // Turning recording on is healed; a room created recording keeps it (omitting the property
    // on update does not unset it), which only matters if the service changed meanwhile.
    && (!spec.recording || c.enable_recording === 'cloud');
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 JWT (RFC 7519), as Daily accepts for self-signed meeting tokens. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** The claims of an HS256 JWT signed with `secret`, or null when it is not one (wrong signature, algorithm or shape). */
export function verifyHs256(token: string, secret: string): Record<string, unknown> | null {
  const [head, body, sig] = token.split('.');
  if (!head || !body || !sig || token.split('.').length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'HS256') return null;
    if (!safeEqual(createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url'), sig)) return null;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    return claims !== null && typeof claims === 'object' ? claims as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

export class DailyProvider implements VideoProvider {
  readonly kind = 'daily' as const;
  readonly #config: DailyConfig;
  #domainId: Promise<string> | null = null;

  constructor(config: DailyConfig) {
    this.#config = config;
  }

  async #call(method: string, path: string, body?: unknown): Promise<Answer> {
    let res: Response;
    try {
      res = await fetch(`${this.#config.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#config.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new VideoProviderError(`Daily could not be reached (${(err as Error).name}). Please try again in a moment.`);
    }
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try { parsed = text ? JSON.parse(text) as Record<string, unknown> : {}; } catch { /* a non-JSON answer keeps {} */ }
    return { status: res.status, body: parsed };
  }

  /** A non-2xx answer as a 502 carrying Daily's own `{ error, info }`. */
  #fail(what: string, answer: Answer): never {
    const { error, info } = answer.body;
    throw new VideoProviderError(`Daily refused to ${what} (HTTP ${answer.status}).`, { provider: 'daily', status: answer.status, error, info });
  }

  async #getRoom(name: string): Promise<DailyRoom | null> {
    const answer = await this.#call('GET', `/rooms/${encodeURIComponent(name)}`);
    if (answer.status === 404) return null;
    if (answer.status !== 200) this.#fail('read the room', answer);
    return answer.body as unknown as DailyRoom;
  }

  async #setRoom(spec: RoomSpec, properties: Record<string, unknown>): Promise<DailyRoom | null> {
    const answer = await this.#call('POST', `/rooms/${encodeURIComponent(spec.name)}`, { privacy: 'private', properties });
    if (answer.status === 404) return null;
    if (answer.status !== 200) this.#fail('update the room', answer);
    return answer.body as unknown as DailyRoom;
  }

  async ensureRoom(spec: RoomSpec): Promise<Room> {
    let room = await this.#getRoom(spec.name);
    if (room === null) {
      const answer = await this.#call('POST', '/rooms', { name: spec.name, privacy: 'private', properties: roomProperties(spec) });
      if (answer.status === 200) return { name: spec.name, url: String(answer.body.url) };
      // A concurrent join may have created it first (Daily answers 400 "already exists").
      room = await this.#getRoom(spec.name);
      if (room === null) this.#fail('create the room', answer);
    }
    // Self-healing: a room whose window or settings drifted (a reschedule that missed its
    // listener, a service setting changed) is brought back to the booking's spec.
    if (!roomMatches(room, spec)) room = (await this.#setRoom(spec, roomProperties(spec))) ?? room;
    return { name: spec.name, url: room.url };
  }

  async updateRoom(spec: RoomSpec): Promise<boolean> {
    return (await this.#setRoom(spec, roomProperties(spec))) !== null;
  }

  async deleteRoom(name: string): Promise<void> {
    const answer = await this.#call('DELETE', `/rooms/${encodeURIComponent(name)}`);
    if (answer.status !== 200 && answer.status !== 404) this.#fail('delete the room', answer);
  }

  /** The domain id (`d` claim) from `GET /`, fetched once; a failed fetch is retried next time. */
  #domain(): Promise<string> {
    this.#domainId ??= this.#call('GET', '/').then((answer) => {
      if (answer.status !== 200 || typeof answer.body.domain_id !== 'string') this.#fail('describe the domain', answer);
      return answer.body.domain_id as string;
    });
    this.#domainId.catch(() => { this.#domainId = null; });
    return this.#domainId;
  }

  /**
   * Self-signed with the API key (Daily's abbreviated claims): no round trip per join, and the
   * token is bound to one room (`r`) and one domain (`d`), expiring with the room.
   */
  async issueToken(request: TokenRequest): Promise<string> {
    const claims = {
      r: request.room,
      d: await this.#domain(),
      o: request.owner,
      u: request.userName,
      ud: request.userId,
      iat: Math.floor(request.now / 1000),
      nbf: request.nbf,
      exp: request.exp,
    };
    return signHs256(claims, this.#config.apiKey);
  }

  /** A meeting token we signed (issueToken): room `r`, user `ud`, still within nbf..exp. */
  async readToken(token: string, now: number): Promise<JoinCredential | null> {
    const claims = verifyHs256(token, this.#config.apiKey);
    if (claims === null || typeof claims.r !== 'string' || typeof claims.ud !== 'string' || typeof claims.exp !== 'number') return null;
    const s = now / 1000;
    if (s >= claims.exp || (typeof claims.nbf === 'number' && s < claims.nbf)) return null;
    return { room: claims.r, userId: claims.ud };
  }

  /**
   * GET /rooms/:name/presence (https://docs.daily.co/reference/rest-api/rooms/get-room-presence):
   * `{ total_count, data: [{ room, id, userId, userName, joinTime, duration }] }`, where `id` is the
   * participant's session id (the webhooks' session_id). Daily may lag up to 15 s behind the call.
   */
  async presence(room: string): Promise<PresentParticipant[]> {
    const answer = await this.#call('GET', `/rooms/${encodeURIComponent(room)}/presence`);
    if (answer.status === 404) return [];
    if (answer.status !== 200) this.#fail('read who is in the room', answer);
    const data = Array.isArray(answer.body.data) ? answer.body.data as Record<string, unknown>[] : [];
    return data.flatMap((p) => {
      if (typeof p.id !== 'string' || typeof p.userId !== 'string') return [];
      const joined = typeof p.joinTime === 'string' ? new Date(p.joinTime) : null;
      return [{ session: p.id, userId: p.userId, joinedAt: joined && !Number.isNaN(joined.getTime()) ? joined : null }];
    });
  }

  /**
   * POST /rooms/:name/recordings/start with our own instanceId (Daily's handle for one of several
   * recordings of a room), so stop names exactly this one. 400 "already recording" is a repeat.
   */
  async startRecording(room: string): Promise<string> {
    const instanceId = randomUUID();
    const answer = await this.#call('POST', `/rooms/${encodeURIComponent(room)}/recordings/start`, { type: 'cloud', instanceId });
    if (answer.status !== 200) this.#fail('start the recording', answer);
    return instanceId;
  }

  async stopRecording(room: string, session: string): Promise<void> {
    const answer = await this.#call('POST', `/rooms/${encodeURIComponent(room)}/recordings/stop`, { type: 'cloud', instanceId: session });
    // 400: no recording is active (it ended with the meeting): nothing left to stop.
    if (answer.status !== 200 && answer.status !== 400) this.#fail('stop the recording', answer);
  }

  /** DELETE /recordings/:id answers `{ deleted: true, id }`, or 404 when there is no such recording. */
  async deleteRecording(recordingId: string): Promise<void> {
    const answer = await this.#call('DELETE', `/recordings/${encodeURIComponent(recordingId)}`);
    if (answer.status !== 200 && answer.status !== 404) this.#fail('delete the recording', answer);
  }

  async recordingLink(recordingId: string): Promise<RecordingLink | null> {
    const answer = await this.#call('GET', `/recordings/${encodeURIComponent(recordingId)}/access-link`);
    if (answer.status === 404) return null;
    if (answer.status !== 200 || typeof answer.body.download_link !== 'string') this.#fail('link the recording', answer);
    return { url: answer.body.download_link as string, expiresAt: Number(answer.body.expires) };
  }
}
