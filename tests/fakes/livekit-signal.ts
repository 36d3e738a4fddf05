// The signalling half of the LiveKit stand-in, on the fake's own port like a real LiveKit server:
// `GET /rtc/v1` upgrades to livekit-client's WebSocket (binary protobuf SignalRequest /
// SignalResponse from @livekit/protocol; the join request, with the first offer, travels in the
// `join_request` query parameter as a base64url WrappedJoinRequest, gzip or plain), and
// `/rtc/v1/validate` answers the client's probe after a failed upgrade (401 for a bad token).
// The media goes through the forwarding page (livekit-sfu-page.ts, `GET /sfu`), which a test opens
// in Chromium before anyone joins. Joins, departures and the room's end are delivered as
// LiveKit webhooks (participant_joined, participant_left, room_finished) when a target is set.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import {
  JoinRequest, JoinResponse, ParticipantInfo, ParticipantInfo_State, ParticipantPermission, ParticipantUpdate, Room as RoomInfo,
  ServerInfo, ServerInfo_Edition, SessionDescription, SignalRequest, SignalResponse, SignalTarget, TrackInfo, TrackPublishedResponse,
  Pong, RoomUpdate, TrackType, TrickleRequest, MediaSectionsRequirement, LeaveRequest, LeaveRequest_Action, DisconnectReason,
  WrappedJoinRequest, WrappedJoinRequest_Compression, protoInt64,
} from '@livekit/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { SFU_PAGE_SCRIPT } from './livekit-sfu-page.ts';

export interface SignalHost {
  /** The claims of a token signed with the fake's secret, or null. */
  verify(token: string): Record<string, unknown> | null;
  /** Room options as created through the RoomService (emptyTimeout / departureTimeout in seconds). */
  roomOptions(name: string): { sid: string; emptyTimeout: number; departureTimeout: number; maxParticipants: number } | null;
  /** The room closed (everyone left and its departure timeout passed): forget it. */
  roomClosed(name: string): void;
  webhook(event: Record<string, unknown>): void;
}

interface Published { sid: string; cid: string; info: TrackInfo; mid: string | null }
interface Participant {
  sid: string;
  identity: string;
  name: string;
  room: string;
  ws: WebSocket;
  joinedAt: number;
  info: () => ParticipantInfo;
  tracks: Map<string, Published>;
  offers: number;
}

const sid = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

export class LiveKitSignal {
  readonly #host: SignalHost;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly participants = new Map<string, Participant>();
  #sfu: WebSocket | null = null;
  #sfuReady: Promise<void>;
  #markReady!: () => void;
  readonly #closing = new Map<string, ReturnType<typeof setTimeout>>();
  /** Every signal message seen, by direction and case (tests read it when something hangs). */
  readonly log: string[] = [];
  /** Scales the rooms' departure/empty timeouts (tests shorten them). */
  timeoutScale = 1;

  constructor(host: SignalHost) {
    this.#host = host;
    this.#sfuReady = new Promise((resolve) => { this.#markReady = resolve; });
  }

  /** Serves the forwarding page and the validate probe; false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/sfu') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>sfu</title><script type="module">${SFU_PAGE_SCRIPT}</script>`);
      return true;
    }
    if (req.method === 'GET' && /^\/rtc(\/v1)?\/validate$/.test(url.pathname)) {
      const claims = this.#host.verify(url.searchParams.get('access_token') ?? '');
      res.writeHead(claims ? 200 : 401, { 'content-type': 'text/plain' });
      res.end(claims ? 'success' : 'invalid token');
      return true;
    }
    return false;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname === '/sfu-control') {
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#attachSfu(ws));
      return;
    }
    if (url.pathname !== '/rtc/v1') {
      // The v0 path (two peer connections) is not served: livekit-client 2.x defaults to v1.
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const claims = this.#host.verify(url.searchParams.get('access_token') ?? '');
    const grant = claims?.video as { room?: string; roomJoin?: boolean; canPublish?: boolean; canSubscribe?: boolean } | undefined;
    if (!claims || !grant?.roomJoin || !grant.room || typeof claims.sub !== 'string') {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    let join: JoinRequest;
    try {
      join = parseJoinRequest(url.searchParams.get('join_request') ?? '');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      void this.#join(ws, { room: grant.room!, identity: claims.sub as string, name: String(claims.name ?? ''), grant, join });
    });
  }

  /** Delivers a webhook through the host (egress events come from the fake's Egress service). */
  emit(event: Record<string, unknown>): void {
    this.#host.webhook(event);
  }

  readonly #recordings = new Map<string, (result: { bytes: Buffer; type: string } | null) => void>();

  /** The forwarding page starts recording what the room's participants publish. */
  /** Tells the room's participants whether it is being recorded (Room.activeRecording, as LiveKit does). */
  #announceRecording(room: string, active: boolean): void {
    const options = this.#host.roomOptions(room);
    for (const p of this.participants.values()) {
      if (p.room === room) this.#send(p, { case: 'roomUpdate', value: new RoomUpdate({ room: new RoomInfo({ sid: options?.sid ?? '', name: room, activeRecording: active }) }) });
    }
  }

  readonly #recordingRooms = new Map<string, string>();

  startRecording(egressId: string, room: string): void {
    this.#recordingRooms.set(egressId, room);
    this.#announceRecording(room, true);
    const tracks = [...this.participants.values()].filter((p) => p.room === room).flatMap((p) => [...p.tracks.values()].filter((t) => t.mid !== null).map((t) => t.sid));
    this.#toSfu({ op: 'record', egressId, tracks });
  }

  /** The page's recording (null without a page, or when it does not answer in time). */
  stopRecording(egressId: string): Promise<{ bytes: Buffer; type: string } | null> {
    const room = this.#recordingRooms.get(egressId);
    this.#recordingRooms.delete(egressId);
    if (room) this.#announceRecording(room, false);
    if (this.#sfu === null) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#recordings.delete(egressId); resolve(null); }, 10_000);
      this.#recordings.set(egressId, (result) => { clearTimeout(timer); resolve(result); });
      this.#toSfu({ op: 'stop-record', egressId });
    });
  }

  /** Resolves once the forwarding page is connected. */
  sfuReady(): Promise<void> {
    return this.#sfuReady;
  }

  close(): void {
    for (const p of this.participants.values()) p.ws.terminate();
    this.#sfu?.terminate();
    for (const t of this.#closing.values()) clearTimeout(t);
    this.#wss.close();
  }

  #attachSfu(ws: WebSocket) {
    this.#sfu = ws;
    ws.on('message', (data) => this.#fromSfu(JSON.parse(String(data)) as Record<string, any>));
  }

  #toSfu(msg: Record<string, unknown>) {
    this.#sfu?.send(JSON.stringify(msg));
  }

  #send(p: Participant, message: SignalResponse['message']) {
    this.log.push(`-> ${p.identity} ${message.case}`);
    if (p.ws.readyState === p.ws.OPEN) p.ws.send(new SignalResponse({ message }).toBinary());
  }

  #others(p: Participant): Participant[] {
    return [...this.participants.values()].filter((o) => o.room === p.room && o !== p);
  }

  async #join(ws: WebSocket, who: { room: string; identity: string; name: string; grant: { canPublish?: boolean; canSubscribe?: boolean }; join: JoinRequest }) {
    await this.#sfuReady;
    const options = this.#host.roomOptions(who.room);
    const roomSid = options?.sid ?? sid('RM');
    clearTimeout(this.#closing.get(who.room));
    this.#closing.delete(who.room);
    // One connection per identity, as LiveKit does: a second join replaces the first.
    for (const old of this.participants.values()) {
      if (old.room === who.room && old.identity === who.identity) {
        this.#send(old, { case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.DUPLICATE_IDENTITY, action: LeaveRequest_Action.DISCONNECT }) });
        this.#depart(old);
      }
    }
    const p: Participant = {
      sid: sid('PA'), identity: who.identity, name: who.name, room: who.room, ws, joinedAt: Math.floor(Date.now() / 1000),
      tracks: new Map(), offers: 0,
      info: () => new ParticipantInfo({
        sid: p.sid, identity: p.identity, name: p.name, state: ParticipantInfo_State.ACTIVE, joinedAt: protoInt64.parse(p.joinedAt),
        tracks: [...p.tracks.values()].filter((t) => t.mid !== null).map((t) => t.info),
        permission: new ParticipantPermission({ canSubscribe: who.grant.canSubscribe !== false, canPublish: who.grant.canPublish !== false, canPublishData: true }),
        version: p.offers + 1,
      }),
    };
    this.participants.set(p.sid, p);
    ws.on('message', (data) => {
      try {
        this.#fromClient(p, SignalRequest.fromBinary(new Uint8Array(data as Buffer)));
      } catch (err) {
        this.log.push(`!! ${p.identity} ${String(err)}`);
      }
    });
    ws.on('close', () => this.#depart(p));
    this.#send(p, {
      case: 'join',
      value: new JoinResponse({
        room: new RoomInfo({ sid: roomSid, name: who.room, emptyTimeout: options?.emptyTimeout ?? 300, departureTimeout: options?.departureTimeout ?? 20, maxParticipants: options?.maxParticipants ?? 0, creationTime: protoInt64.parse(Math.floor(Date.now() / 1000)), numParticipants: this.#others(p).length + 1 }),
        participant: p.info(),
        otherParticipants: this.#others(p).map((o) => o.info()),
        serverVersion: '1.9.0',
        serverInfo: new ServerInfo({ edition: ServerInfo_Edition.Standard, version: '1.9.0', protocol: 16, nodeId: 'fake' }),
        subscriberPrimary: false,
        pingTimeout: 15,
        pingInterval: 5,
      }),
    });
    for (const o of this.#others(p)) this.#send(o, { case: 'update', value: new ParticipantUpdate({ participants: [p.info()] }) });
    this.#host.webhook({ event: 'participant_joined', room: { sid: roomSid, name: who.room }, participant: { sid: p.sid, identity: p.identity, name: p.name, joinedAt: String(p.joinedAt), state: 'ACTIVE' } });
    const offer = who.join.publisherOffer;
    if (offer) this.#offer(p, offer);
  }

  /** The tracks `p` should receive: everything the others publish (auto-subscribe). */
  #assignment(p: Participant) {
    return this.#others(p).flatMap((o) => [...o.tracks.values()].filter((t) => t.mid !== null).map((t) => ({
      trackSid: t.sid, participantSid: o.sid, kind: t.info.type === TrackType.AUDIO ? 'audio' : 'video',
    })));
  }

  #offer(p: Participant, sd: SessionDescription) {
    p.offers++;
    this.#toSfu({ op: 'offer', peer: p.sid, id: sd.id, sdp: sd.sdp, assign: this.#assignment(p) });
  }

  #fromClient(p: Participant, req: SignalRequest) {
    const m = req.message;
    this.log.push(`<- ${p.identity} ${m.case}`);
    switch (m.case) {
      case 'offer':
        return this.#offer(p, m.value);
      case 'trickle':
        return this.#toSfu({ op: 'ice', peer: p.sid, candidate: JSON.parse(m.value.candidateInit) });
      case 'addTrack': {
        const t: Published = {
          sid: sid('TR'), cid: m.value.cid, mid: null,
          info: new TrackInfo({ type: m.value.type, source: m.value.source, name: m.value.name, muted: m.value.muted, width: m.value.width, height: m.value.height, mimeType: m.value.type === TrackType.AUDIO ? 'audio/opus' : 'video/VP8', stream: m.value.stream }),
        };
        t.info.sid = t.sid;
        p.tracks.set(t.sid, t);
        return this.#send(p, { case: 'trackPublished', value: new TrackPublishedResponse({ cid: t.cid, track: t.info }) });
      }
      case 'mute': {
        const t = p.tracks.get(m.value.sid);
        if (!t) return;
        t.info.muted = m.value.muted;
        return this.#broadcast(p);
      }
      case 'ping':
        return this.#send(p, { case: 'pong', value: protoInt64.parse(Date.now()) });
      case 'pingReq':
        return this.#send(p, { case: 'pongResp', value: new Pong({ lastPingTimestamp: m.value.timestamp, timestamp: protoInt64.parse(Date.now()) }) });
      case 'leave':
        return this.#depart(p);
      default:
        return; // subscription and layer settings: everything is forwarded at one quality
    }
  }

  #broadcast(p: Participant) {
    for (const o of this.#others(p)) this.#send(o, { case: 'update', value: new ParticipantUpdate({ participants: [p.info()] }) });
  }

  #fromSfu(msg: Record<string, any>) {
    if (msg.op === 'hello') { this.#markReady(); return; }
    if (msg.op === 'recorded') {
      const done = this.#recordings.get(msg.egressId);
      this.#recordings.delete(msg.egressId);
      done?.(msg.data ? { bytes: Buffer.from(msg.data, 'base64'), type: String(msg.type) } : null);
      return;
    }
    const p = this.participants.get(msg.peer);
    if (!p) return;
    switch (msg.op) {
      case 'answer':
        return this.#send(p, { case: 'answer', value: new SessionDescription({ type: 'answer', sdp: msg.sdp, id: msg.id, midToTrackId: msg.midToTrackId }) });
      case 'ice':
        return this.#send(p, { case: 'trickle', value: new TrickleRequest({ candidateInit: JSON.stringify(msg.candidate), target: SignalTarget.PUBLISHER }) });
      case 'published': {
        const t = [...p.tracks.values()].find((x) => x.cid === msg.cid);
        if (!t || t.mid === msg.mid) return;
        t.mid = msg.mid;
        t.info.mid = msg.mid;
        this.#toSfu({ op: 'track', peer: p.sid, mid: msg.mid, trackSid: t.sid });
        this.#broadcast(p);
        // The others need a receive section for it and a new negotiation (LiveKit's v1 way).
        const audio = t.info.type === TrackType.AUDIO ? 1 : 0;
        for (const o of this.#others(p)) this.#send(o, { case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement({ numAudios: audio, numVideos: 1 - audio }) });
        return;
      }
      case 'unpublished': {
        const t = [...p.tracks.values()].find((x) => x.cid === msg.cid);
        if (!t) return;
        p.tracks.delete(t.sid);
        this.#toSfu({ op: 'untrack', trackSid: t.sid });
        this.#broadcast(p);
        for (const o of this.#others(p)) this.#send(o, { case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement({ numAudios: 0, numVideos: 0 }) });
        return;
      }
      case 'error':
        this.log.push(`!! sfu ${p.identity} ${msg.message}`);
        return;
    }
  }

  #depart(p: Participant) {
    if (!this.participants.delete(p.sid)) return;
    this.#toSfu({ op: 'close', peer: p.sid });
    for (const t of p.tracks.values()) this.#toSfu({ op: 'untrack', trackSid: t.sid });
    const gone = new ParticipantInfo({ ...p.info(), state: ParticipantInfo_State.DISCONNECTED, tracks: [] });
    for (const o of this.#others(p)) this.#send(o, { case: 'update', value: new ParticipantUpdate({ participants: [gone] }) });
    if (p.ws.readyState === p.ws.OPEN) p.ws.close();
    const options = this.#host.roomOptions(p.room);
    const room = { sid: options?.sid ?? '', name: p.room };
    this.#host.webhook({ event: 'participant_left', room, participant: { sid: p.sid, identity: p.identity, name: p.name, joinedAt: String(p.joinedAt), state: 'DISCONNECTED' } });
    if (this.#others(p).length === 0) {
      // LiveKit closes a room departureTimeout seconds after the last participant left.
      const seconds = options?.departureTimeout ?? 20;
      this.#closing.set(p.room, setTimeout(() => {
        this.#closing.delete(p.room);
        if ([...this.participants.values()].some((o) => o.room === p.room)) return;
        this.#host.roomClosed(p.room);
        this.#host.webhook({ event: 'room_finished', room });
      }, seconds * 1000 * this.timeoutScale));
    }
  }
}

function parseJoinRequest(param: string): JoinRequest {
  const wrapped = WrappedJoinRequest.fromBinary(Buffer.from(param, 'base64url'));
  const bytes = wrapped.compression === WrappedJoinRequest_Compression.GZIP ? gunzipSync(wrapped.joinRequest) : wrapped.joinRequest;
  return JoinRequest.fromBinary(new Uint8Array(bytes));
}
