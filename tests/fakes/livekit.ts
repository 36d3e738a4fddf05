// A local stand-in for LiveKit's RoomService (Twirp over HTTP with JSON bodies, as
// livekit-server-sdk speaks it): POST /twirp/livekit.RoomService/<Method>, authorized by a
// HS256 JWT signed with the API secret (iss = API key) carrying the needed video grant; errors
// as Twirp's `{ code, msg }`. The same port speaks livekit-client's signalling (livekit-signal.ts,
// with media through a forwarding page in Chromium) and delivers webhooks to `webhookTarget`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LiveKitSignal } from './livekit-signal.ts';

export interface FakeLiveKitRoom {
  sid: string;
  name: string;
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  metadata: string;
  creationTime: string;
}

export interface FakeEgress {
  egressId: string;
  roomName: string;
  filepath: string;
  layout: string;
  startedAt: number;
  ended?: boolean;
}

/** What a file is when no forwarding page records the room (node-only tests): bytes, not a video. */
const PLACEHOLDER = Buffer.from('fake egress output: open the forwarding page for a real recording\n');

export class FakeLiveKit {
  readonly apiKey = `APIfake${randomBytes(4).toString('hex')}`;
  readonly apiSecret = randomBytes(24).toString('base64url');
  readonly rooms = new Map<string, FakeLiveKitRoom>();
  readonly calls: string[] = [];
  readonly egresses = new Map<string, FakeEgress>();
  /** Participants of node-only tests (no browser): shown by ListParticipants beside the signalling ones. */
  readonly present = new Map<string, { sid: string; room: string; identity: string; name: string; joinedAt: number }>();
  /** Where egress writes its files (the app's LIVEKIT_RECORDINGS_DIR in tests). */
  recordingsDir: string | null = null;
  #server: Server | null = null;
  url = '';
  /** Where participant_joined / participant_left / room_finished go (the app's webhook route). */
  webhookTarget: string | null = null;
  /** Webhook deliveries in flight or done, in order (tests await them). */
  readonly deliveries: Promise<Response | null>[] = [];
  readonly signal = new LiveKitSignal({
    verify: (token) => this.verify(token),
    roomOptions: (name) => this.rooms.get(name) ?? null,
    roomClosed: (name) => { this.rooms.delete(name); },
    webhook: (event) => {
      if (this.webhookTarget) this.deliveries.push(this.sendWebhook(this.webhookTarget, event).catch(() => null));
    },
  });

  async start(): Promise<this> {
    this.#server = createServer(async (req, res) => {
      if (this.signal.handleHttp(req, res)) return;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const send = (status: number, value: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
      const twirpError = (status: number, code: string, msg: string) => send(status, { code, msg });
      const match = /^\/twirp\/livekit\.(?:RoomService|Egress)\/(\w+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return twirpError(404, 'bad_route', `no handler for ${req.method} ${req.url}`);
      const method = match[1];
      this.calls.push(method);
      const grants = this.#grants(req.headers.authorization);
      if (grants === null) return twirpError(401, 'unauthenticated', 'invalid token');
      let body: Record<string, unknown> = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>; } catch { return twirpError(400, 'malformed', 'bad JSON'); }
      const name = String(body.name ?? body.room ?? '');

      switch (method) {
        case 'CreateRoom': {
          if (!grants.roomCreate) return twirpError(403, 'permission_denied', 'roomCreate grant needed');
          const existing = this.rooms.get(name);
          if (existing) return send(200, existing);
          const room: FakeLiveKitRoom = {
            sid: `RM_${randomBytes(6).toString('hex')}`, name,
            emptyTimeout: Number(body.emptyTimeout ?? 300), departureTimeout: Number(body.departureTimeout ?? 20),
            maxParticipants: Number(body.maxParticipants ?? 0), metadata: String(body.metadata ?? ''),
            creationTime: String(Math.floor(Date.now() / 1000)),
          };
          this.rooms.set(name, room);
          return send(200, room);
        }
        case 'ListRooms': {
          if (!grants.roomList) return twirpError(403, 'permission_denied', 'roomList grant needed');
          const names = (body.names as string[] | undefined) ?? [];
          return send(200, { rooms: [...this.rooms.values()].filter((r) => names.length === 0 || names.includes(r.name)) });
        }
        case 'ListParticipants': {
          // LiveKit wants roomAdmin for the named room (the SDK's listParticipants asks for exactly that).
          if (!grants.roomAdmin || grants.room !== name) return twirpError(403, 'permission_denied', 'roomAdmin grant for the room needed');
          if (!this.rooms.has(name)) return twirpError(404, 'not_found', 'requested room does not exist');
          const connected = [...this.signal.participants.values()].filter((x) => x.room === name).map((x) => x.info().toJson());
          const added = [...this.present.values()].filter((x) => x.room === name)
            .map((x) => ({ sid: x.sid, identity: x.identity, name: x.name, state: 'ACTIVE', joinedAt: String(x.joinedAt), joinedAtMs: String(x.joinedAt * 1000) }));
          return send(200, { participants: [...connected, ...added] });
        }
        case 'DeleteRoom': {
          if (!grants.roomCreate) return twirpError(403, 'permission_denied', 'roomCreate grant needed');
          if (!this.rooms.delete(name)) return twirpError(404, 'not_found', 'room not found');
          return send(200, {});
        }
        case 'UpdateRoomMetadata': {
          if (!grants.roomAdmin || grants.room !== name) return twirpError(403, 'permission_denied', 'roomAdmin grant for the room needed');
          const room = this.rooms.get(name);
          if (!room) return twirpError(404, 'not_found', 'room not found');
          room.metadata = String(body.metadata ?? '');
          return send(200, room);
        }
        case 'StartRoomCompositeEgress': {
          if (!grants.roomRecord) return twirpError(403, 'permission_denied', 'roomRecord grant needed');
          const roomName = String(body.roomName ?? body.room_name ?? '');
          if (!this.rooms.has(roomName)) return twirpError(404, 'not_found', 'requested room does not exist');
          const outputs = (body.fileOutputs ?? body.file_outputs) as { filepath?: string }[] | undefined;
          const filepath = String(outputs?.[0]?.filepath ?? (body.file as { filepath?: string } | undefined)?.filepath ?? `${roomName}-{time}.mp4`);
          const egress: FakeEgress = { egressId: `EG_${randomBytes(6).toString('hex')}`, roomName, filepath, layout: String(body.layout ?? ''), startedAt: Date.now() };
          this.egresses.set(egress.egressId, egress);
          this.signal.startRecording(egress.egressId, roomName);
          return send(200, { egressId: egress.egressId, roomName, status: 'EGRESS_STARTING', startedAt: String(egress.startedAt * 1e6) });
        }
        case 'StopEgress': {
          if (!grants.roomRecord) return twirpError(403, 'permission_denied', 'roomRecord grant needed');
          const egress = this.egresses.get(String(body.egressId ?? body.egress_id ?? ''));
          if (!egress || egress.ended) return twirpError(412, 'failed_precondition', 'egress is not active');
          egress.ended = true;
          void this.#finishEgress(egress);
          return send(200, { egressId: egress.egressId, roomName: egress.roomName, status: 'EGRESS_ENDING' });
        }
        default:
          return twirpError(404, 'bad_route', `unknown method ${method}`);
      }
    });
    this.#server.on('upgrade', (req, socket, head) => this.signal.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  /** Someone is in the room (as if their browser had connected); answers their participant sid. */
  join(room: string, identity: string, joinedAtS = Math.floor(Date.now() / 1000)): string {
    const sid = `PA_${randomBytes(6).toString('hex')}`;
    this.present.set(sid, { sid, room, identity, name: identity, joinedAt: joinedAtS });
    return sid;
  }

  /**
   * Egress ends: the forwarding page's recording of the room (MediaRecorder over the forwarded
   * tracks) when it is open, placeholder bytes otherwise; written under `recordingsDir` at the
   * requested filepath ({time} filled in) and announced with egress_ended.
   */
  async #finishEgress(egress: FakeEgress): Promise<void> {
    const recorded = await this.signal.stopRecording(egress.egressId);
    let filename = egress.filepath.replace('{time}', new Date(egress.startedAt).toISOString().replace(/[:.]/g, '-')).replace('{room_name}', egress.roomName);
    if (recorded && recorded.type.includes('webm')) filename = filename.replace(/\.mp4$/, '.webm');
    const bytes = recorded?.bytes ?? PLACEHOLDER;
    if (this.recordingsDir) {
      const file = path.join(this.recordingsDir, filename);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    }
    const now = Date.now();
    this.signal.emit({
      event: 'egress_ended',
      egressInfo: {
        egressId: egress.egressId, roomName: egress.roomName, status: 'EGRESS_COMPLETE',
        startedAt: String(egress.startedAt * 1e6), endedAt: String(now * 1e6),
        fileResults: [{ filename, location: filename, size: String(bytes.length), duration: String((now - egress.startedAt) * 1e6) }],
      },
    });
  }

  async stop(): Promise<void> {
    this.signal.close();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /**
   * Delivers a webhook as LiveKit does: JSON body, `Authorization: <JWT>` signed with the API
   * secret (iss = API key) whose `sha256` claim is the base64 SHA-256 of the body.
   */
  async sendWebhook(target: string, event: Record<string, unknown>, options: { secret?: string; tamper?: boolean } = {}): Promise<Response> {
    const body = JSON.stringify({ id: `EV_${randomBytes(6).toString('hex')}`, createdAt: String(Math.floor(Date.now() / 1000)), ...event });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: this.apiKey, nbf: now, exp: now + 600, sha256: createHash('sha256').update(body).digest('base64') };
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
    const jwt = `${head}.${createHmac('sha256', options.secret ?? this.apiSecret).update(head).digest('base64url')}`;
    const headers = { 'content-type': 'application/webhook+json', authorization: jwt };
    const sent = options.tamper ? body.replace('"room":{', '"room":{"x":1,') : body;
    this.lastDelivery = { target, headers, body: sent };
    return fetch(target, { method: 'POST', headers, body: sent });
  }

  /** The last delivery exactly as sent, for replaying it within the token's lifetime. */
  lastDelivery: { target: string; headers: Record<string, string>; body: string } | null = null;

  replayLast(): Promise<Response> {
    const d = this.lastDelivery!;
    return fetch(d.target, { method: 'POST', headers: d.headers, body: d.body });
  }

  /** The claims of a token signed with this server's secret, or null. */
  verify(token: string): Record<string, unknown> | null {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return null;
    if (createHmac('sha256', this.apiSecret).update(`${head}.${body}`).digest('base64url') !== sig) return null;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    return claims.iss === this.apiKey ? claims : null;
  }

  #grants(header: string | undefined): Record<string, unknown> | null {
    const token = header?.replace(/^Bearer /, '') ?? '';
    const claims = this.verify(token);
    return (claims?.video as Record<string, unknown> | undefined) ?? null;
  }
}
