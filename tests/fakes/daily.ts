// A local stand-in for Daily's REST API (https://docs.daily.co/reference/rest-api), following
// its documented contract: Bearer API key on every call; errors as `{ error, info }` with
// authentication-error (401), invalid-request-error (400) and not-found (404); rooms
// create/get/update/delete; `GET /` for the domain (the app signs meeting tokens itself, checked
// by verifyToken); cloud recordings started and stopped per room; recording access links; room
// presence (GET /rooms/:name/presence: `{ total_count, data: [{ room, id, userId, userName,
// joinTime, duration }] }`, `id` being the session id the webhooks call session_id), filled by
// tests through join()/leave() as if the person's browser were in the call.
// It also plays Daily's webhook sender: signed deliveries (X-Webhook-Signature /
// X-Webhook-Timestamp, base64 HMAC-SHA256 of `${timestamp}.${body}` under the base64 secret).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRoom {
  id: string;
  name: string;
  api_created: boolean;
  privacy: 'public' | 'private';
  url: string;
  created_at: string;
  config: Record<string, unknown>;
}

export interface RequestLog {
  method: string;
  path: string;
  body: unknown;
}

/** Room properties this fake understands (a subset of Daily's; unknown ones are refused like Daily does). */
const ROOM_PROPERTIES = new Set([
  'nbf', 'exp', 'max_participants', 'eject_at_room_exp', 'enable_prejoin_ui', 'enable_recording',
  'enable_chat', 'enable_knocking', 'start_video_off', 'start_audio_off', 'lang', 'eject_after_elapsed',
]);
const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export class FakeDaily {
  readonly apiKey: string;
  readonly domainName = 'fake-consult';
  readonly domainId = randomUUID();
  /** The webhook's hmac secret, base64 encoded as Daily hands it out. */
  readonly webhookSecret = randomBytes(32).toString('base64');
  readonly rooms = new Map<string, FakeRoom>();
  readonly recordings = new Map<string, { id: string; room_name: string }>();
  readonly requests: RequestLog[] = [];
  readonly activeRecordings = new Map<string, { room: string; startedAt: number }>();
  /** Who is in which room now, by session id (join() / leave()). */
  readonly present = new Map<string, { room: string; id: string; userId: string; userName: string; joinTime: number }>();
  /** Where recording.ready-to-download goes after a stop (the app's webhook route). */
  webhookTarget: string | null = null;
  /** The time the fake's own deliveries are stamped with (tests with a fake clock set it). */
  clock: () => number = Date.now;
  readonly deliveries: Promise<Response | null>[] = [];
  #server: Server | null = null;
  #failures: { status: number; error: string; info: string }[] = [];
  url = '';

  constructor(apiKey = `fake-daily-key-${randomBytes(8).toString('hex')}`) {
    this.apiKey = apiKey;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => { void this.#handle(req, res); });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /** The next call answers this error instead (e.g. 500 server-error, 429 rate-limit-error). */
  failNext(status: number, error: string, info = 'injected failure'): void {
    this.#failures.push({ status, error, info });
  }

  count(method: string, pathPrefix: string): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
  }

  /** A finished cloud recording of a room, as after `recording.ready-to-download`. */
  addRecording(roomName: string): string {
    const id = randomUUID();
    this.recordings.set(id, { id, room_name: roomName });
    return id;
  }

  /** Someone is in the room now (their browser joined): shown by room presence; answers the session id. */
  join(room: string, who: { userId: string; userName?: string; at?: number }): string {
    const id = randomUUID();
    this.present.set(id, { room, id, userId: who.userId, userName: who.userName ?? who.userId, joinTime: who.at ?? this.clock() });
    return id;
  }

  leave(session: string): void {
    this.present.delete(session);
  }

  /** Decodes a meeting token and checks it the way Daily would: signed with this domain's API key. */
  verifyToken(token: string): Record<string, unknown> {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) throw new Error('not a JWT');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'HS256') throw new Error(`unexpected alg ${header.alg}`);
    const expected = createHmac('sha256', this.apiKey).update(`${head}.${body}`).digest('base64url');
    if (expected !== sig) throw new Error('bad token signature');
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  }

  /** Signs and POSTs a webhook event the way Daily delivers it. */
  async sendWebhook(target: string, type: string, payload: Record<string, unknown>, options: { now?: number; secret?: string; tamper?: boolean } = {}): Promise<Response> {
    const now = options.now ?? Date.now();
    const body = JSON.stringify({ version: '1.0.0', type, id: `${type}-${randomUUID()}`, payload, event_ts: now / 1000 });
    const timestamp = String(Math.floor(now / 1000));
    const signature = createHmac('sha256', Buffer.from(options.secret ?? this.webhookSecret, 'base64')).update(`${timestamp}.${body}`).digest('base64');
    const headers = { 'content-type': 'application/json', 'x-webhook-signature': signature, 'x-webhook-timestamp': timestamp };
    const sent = options.tamper ? body.replace('"payload":{', '"payload":{"tampered":true,') : body;
    this.lastDelivery = { target, headers, body: sent };
    return fetch(target, { method: 'POST', headers, body: sent });
  }

  /** The last delivery exactly as sent, for replaying it (what an attacker who captured it can do). */
  lastDelivery: { target: string; headers: Record<string, string>; body: string } | null = null;

  replayLast(): Promise<Response> {
    const d = this.lastDelivery!;
    return fetch(d.target, { method: 'POST', headers: d.headers, body: d.body });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0].replace(/^\/v1/, '') || '/';
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const error = (status: number, code: string, info: string) => send(status, { error: code, info });

    if (text) {
      try { body = JSON.parse(text); } catch { return error(400, 'invalid-request-error', 'body is not valid JSON'); }
    }
    this.requests.push({ method, path, body });

    const auth = req.headers.authorization;
    if (!auth || !/^Bearer /.test(auth)) return error(400, 'invalid-request-error', 'bad Authorization header format');
    if (auth.slice(7) !== this.apiKey) return error(401, 'authentication-error', 'the API key is not valid');
    const failure = this.#failures.shift();
    if (failure) return error(failure.status, failure.error, failure.info);

    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const input = (body ?? {}) as { name?: unknown; privacy?: unknown; properties?: Record<string, unknown> };

    if (method === 'GET' && segments.length === 0) {
      return send(200, { domain_name: this.domainName, domain_id: this.domainId, config: {} });
    }
    // Cloud recording of a room (https://docs.daily.co/reference/rest-api/rooms/recordings):
    // start needs a room with enable_recording "cloud"; stop without an active one is a 400.
    if (segments[0] === 'rooms' && segments[2] === 'recordings' && method === 'POST') {
      const room = this.rooms.get(segments[1]!);
      if (!room) return error(404, 'not-found', `room ${segments[1]} was not found`);
      const input = (body ?? {}) as { instanceId?: string; type?: string };
      const instanceId = input.instanceId ?? randomUUID();
      if (segments[3] === 'start') {
        if (room.config.enable_recording !== 'cloud') return error(400, 'invalid-request-error', 'recording is not enabled for this room');
        if (this.activeRecordings.has(instanceId)) return error(400, 'invalid-request-error', 'a recording with this instanceId is already running');
        this.activeRecordings.set(instanceId, { room: room.name, startedAt: Date.now() });
        return send(200, { instanceId });
      }
      if (segments[3] === 'stop') {
        const active = this.activeRecordings.get(instanceId);
        if (!active) return error(400, 'invalid-request-error', 'no active recording');
        this.activeRecordings.delete(instanceId);
        const id = this.addRecording(active.room);
        if (this.webhookTarget) {
          const target = this.webhookTarget;
          // Daily processes the file, then announces it.
          setTimeout(() => {
            this.deliveries.push(this.sendWebhook(target, 'recording.ready-to-download', {
              type: 'cloud', recording_id: id, room_name: active.room, start_ts: Math.floor(active.startedAt / 1000), status: 'finished',
              max_participants: 2, duration: Math.round((Date.now() - active.startedAt) / 1000), s3_key: `${this.domainName}/${active.room}/${id}`,
            }, { now: this.clock() }).catch(() => null));
          }, 10);
        }
        return send(200, { instanceId });
      }
    }
    if (segments[0] === 'rooms' && segments[2] === 'presence' && method === 'GET' && segments.length === 3) {
      if (!this.rooms.has(segments[1]!)) return error(404, 'not-found', `room ${segments[1]} was not found`);
      const query = new URL(req.url ?? '/', 'http://fake').searchParams;
      const now = this.clock();
      const data = [...this.present.values()]
        .filter((p) => p.room === segments[1] && (!query.get('userId') || p.userId === query.get('userId')) && (!query.get('userName') || p.userName === query.get('userName')))
        .map((p) => ({ room: p.room, id: p.id, userId: p.userId, userName: p.userName, joinTime: new Date(Math.floor(p.joinTime / 1000) * 1000).toISOString(), duration: Math.max(0, Math.floor((now - p.joinTime) / 1000)) }));
      const limit = Number(query.get('limit') ?? 'NaN');
      const shown = Number.isInteger(limit) && limit > 0 ? data.slice(0, limit) : data;
      return send(200, { total_count: data.length, data: shown });
    }
    if (segments[0] === 'rooms') {
      const name = segments[1];
      if (method === 'POST' && name === undefined) {
        const roomName = typeof input.name === 'string' ? input.name : randomBytes(8).toString('hex');
        if (!ROOM_NAME.test(roomName)) return error(400, 'invalid-request-error', 'name must be 1-128 characters of A-Z, a-z, 0-9, - and _');
        if (this.rooms.has(roomName)) return error(400, 'invalid-request-error', `a room named ${roomName} already exists`);
        const bad = this.#badProperties(input);
        if (bad) return error(400, 'invalid-request-error', bad);
        const room: FakeRoom = {
          id: randomUUID(), name: roomName, api_created: true,
          privacy: input.privacy === 'private' ? 'private' : 'public',
          url: `https://${this.domainName}.daily.co/${roomName}`,
          created_at: new Date().toISOString(),
          config: { ...(input.properties ?? {}) },
        };
        this.rooms.set(roomName, room);
        return send(200, room);
      }
      if (name === undefined) return error(404, 'not-found', `no route ${method} ${path}`);
      const room = this.rooms.get(name);
      if (room === undefined) return error(404, 'not-found', `room ${name} was not found`);
      if (method === 'GET') return send(200, room);
      if (method === 'POST') {
        const bad = this.#badProperties(input);
        if (bad) return error(400, 'invalid-request-error', bad);
        if (input.privacy === 'private' || input.privacy === 'public') room.privacy = input.privacy;
        Object.assign(room.config, input.properties ?? {});
        return send(200, room);
      }
      if (method === 'DELETE') {
        this.rooms.delete(name);
        return send(200, { deleted: true, name });
      }
    }
    if (segments[0] === 'recordings' && segments.length === 2 && method === 'DELETE') {
      if (!this.recordings.delete(segments[1]!)) return error(404, 'not-found', `recording ${segments[1]} was not found`);
      return send(200, { deleted: true, id: segments[1] });
    }
    if (segments[0] === 'recordings' && segments[2] === 'access-link' && method === 'GET') {
      const recording = this.recordings.get(segments[1]);
      if (!recording) return error(404, 'not-found', `recording ${segments[1]} was not found`);
      const expires = Math.floor(Date.now() / 1000) + 3600;
      return send(200, { download_link: `https://download.fake-daily.test/${this.domainName}/${recording.room_name}/${recording.id}.mp4?Expires=${expires}&Signature=fake`, expires });
    }
    return error(404, 'not-found', `no route ${method} ${path}`);
  }

  #badProperties(input: { properties?: unknown }): string | null {
    if (input.properties === undefined) return null;
    if (typeof input.properties !== 'object' || input.properties === null) return 'properties must be an object';
    for (const [key, value] of Object.entries(input.properties)) {
      if (!ROOM_PROPERTIES.has(key)) return `unknown room property ${key}`;
      if ((key === 'nbf' || key === 'exp' || key === 'max_participants') && !Number.isInteger(value)) return `${key} must be an integer`;
    }
    return null;
  }
}
