// A local stand-in for the push service behind Chromium's PushManager (Google's GCM/FCM), so a
// real Chromium can subscribe and receive pushes offline. Chromium is pointed at it with its own
// switches (--gcm-checkin-url, --gcm-registration-url, --gcm-mcs-endpoint); it plays the three
// parts Chromium talks to:
// - checkin (protobuf AndroidCheckinResponse: a device id and security token),
// - registration (a form POST answering "token=..."; for Web Push the form's `sender` is the
//   applicationServerKey the page subscribed with, and `X-subtype` names the subscription),
// - MCS, the TLS connection Chromium keeps open for messages (version 41, tag + varint-length
//   framed protobufs: LoginRequest/LoginResponse, then DataMessageStanza per push).
// And the part a server talks to: the push endpoint (https://jmt17.google.com/fcm/send/<token>,
// the address Chromium builds from the token; CHROMIUM_PUSH_HOSTS), which checks the VAPID authorization like
// tests/fakes/push-service.ts and hands the aes128gcm body, still encrypted, to Chromium over
// MCS. Chromium decrypts it (RFC 8291) with its own keys: a payload that arrives in the service
// worker proves the encryption right.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FakeServer } from './http.ts';
import { checkVapid, selfSignedCertificate } from './push-service.ts';

/** The hosts of the endpoints Chromium builds from a token (156 says jmt17.google.com; earlier versions fcm.googleapis.com). */
export const CHROMIUM_PUSH_HOSTS = ['jmt17.google.com', 'fcm.googleapis.com'];

const MCS_VERSION = 41;
const TAG = { heartbeatPing: 0, heartbeatAck: 1, loginRequest: 2, loginResponse: 3, close: 4, iqStanza: 7, dataMessage: 8 } as const;

// ---- protobuf, as much as these messages need ----
const varint = (n: number | bigint) => {
  let v = BigInt(n);
  const out: number[] = [];
  do { let b = Number(v & 0x7fn); v >>= 7n; if (v > 0n) b |= 0x80; out.push(b); } while (v > 0n);
  return Buffer.from(out);
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, value: Buffer | string) => {
  const b = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([key(field, 2), varint(b.length), b]);
};
const varintField = (field: number, value: number | bigint | boolean) => Buffer.concat([key(field, 0), varint(typeof value === 'boolean' ? Number(value) : value)]);
const fixed64Field = (field: number, value: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(value); return Buffer.concat([key(field, 1), b]); };

/** Reads a varint at `at`: [value, next offset], or null when the buffer ends first. */
function readVarint(buf: Buffer, at: number): [number, number] | null {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length; i++) {
    value += (buf[i]! & 0x7f) * 2 ** shift;
    shift += 7;
    if ((buf[i]! & 0x80) === 0) return [value, i + 1];
  }
  return null;
}

export interface GcmRegistration { token: string; app: string; subtype: string | null; sender: string; device: string }
export interface ForwardedPush { token: string; vapidSubject: string; contentEncoding: string; bytes: number }

export class FakeGcm extends FakeServer {
  readonly registrations: GcmRegistration[] = [];
  readonly forwarded: ForwardedPush[] = [];
  /** What the push endpoint refused, and why (VAPID, encoding, unknown token). */
  readonly rejected: string[] = [];
  readonly androidId = 0x1122334455667788n;
  readonly securityToken = 0x0102030405060708n;
  /** The push endpoint's certificate (for the server process to trust). */
  ca = '';
  /** The push endpoint, on loopback (the server process maps CHROMIUM_PUSH_HOSTS here). */
  pushPort = 0;
  private mcsPort = 0;
  private mcs: TlsServer | null = null;
  private push: HttpsServer | null = null;
  private sockets = new Set<TLSSocket>();
  private loggedIn: TLSSocket | null = null;
  private queue: Buffer[] = [];
  private streamId = 0;
  private dir = '';

  override async start(): Promise<this> {
    await super.start();
    this.dir = mkdtempSync(path.join(tmpdir(), 'bw-gcm-'));
    const mcsCert = selfSignedCertificate(this.dir, ['IP:127.0.0.1']);
    this.mcs = createTlsServer({ key: mcsCert.key, cert: mcsCert.cert }, (socket) => this.onMcs(socket));
    await new Promise<void>((resolve) => this.mcs!.listen(0, '127.0.0.1', resolve));
    this.mcsPort = (this.mcs.address() as AddressInfo).port;
    const pushCert = selfSignedCertificate(this.dir, ['DNS:jmt17.google.com', 'DNS:fcm.googleapis.com']);
    this.ca = pushCert.cert;
    this.push = createHttpsServer({ key: pushCert.key, cert: pushCert.cert }, (req, res) => this.onPush(req, res));
    await new Promise<void>((resolve) => this.push!.listen(0, '127.0.0.1', resolve));
    this.pushPort = (this.push.address() as AddressInfo).port;
    return this;
  }

  override async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([
      super.stop(),
      new Promise<void>((resolve) => (this.mcs ? this.mcs.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.push ? this.push.close(() => resolve()) : resolve())),
    ]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Chromium's switches that point its GCM client here (the MCS certificate is self-signed). */
  chromiumArgs(): string[] {
    return [
      `--gcm-checkin-url=${this.url}/checkin`,
      `--gcm-registration-url=${this.url}/c2dm/register3`,
      `--gcm-mcs-endpoint=https://127.0.0.1:${this.mcsPort}`,
      '--ignore-certificate-errors',
    ];
  }

  /** Whether Chromium has logged in over MCS (it can be sent messages). */
  get connected(): boolean {
    return this.loggedIn !== null;
  }

  // ---- checkin and registration (HTTP) ----
  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname === '/checkin') {
      // AndroidCheckinResponse: stats_ok (1), android_id (7), security_token (8).
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end(Buffer.concat([varintField(1, true), fixed64Field(7, this.androidId), fixed64Field(8, this.securityToken)]));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/c2dm/register3') {
      const form = new URLSearchParams(body.toString('utf8'));
      const auth = String(req.headers.authorization ?? '');
      if (auth !== `AidLogin ${this.androidId}:${this.securityToken}`) { res.writeHead(401).end('Error=AUTHENTICATION_FAILED'); return; }
      const token = `${randomBytes(8).toString('hex')}:APA91b${randomBytes(24).toString('base64url')}`;
      this.registrations.push({ token, app: form.get('app') ?? '', subtype: form.get('X-subtype'), sender: form.get('sender') ?? '', device: form.get('device') ?? '' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`token=${token}`);
      return;
    }
    res.writeHead(404).end();
  }

  // ---- the push endpoint (what web-push posts to) ----
  private onPush(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = decodeURIComponent((req.url ?? '').replace(/^\/fcm\/send\//, ''));
      const reg = this.registrations.find((r) => r.token === token);
      if (req.method !== 'POST' || !reg) { this.rejected.push(`unknown token ${token.slice(0, 12)}`); res.writeHead(404).end(); return; }
      // The JWT's audience is the origin the server addressed (the Host it sent).
      const host = String(req.headers.host ?? '');
      if (!CHROMIUM_PUSH_HOSTS.includes(host)) { this.rejected.push(`host ${host}`); res.writeHead(421).end(); return; }
      const vapid = checkVapid(String(req.headers.authorization ?? ''), `https://${host}`);
      if (typeof vapid === 'string') { this.rejected.push(vapid); res.writeHead(403).end(vapid); return; }
      // FCM refuses a push signed by another key than the subscription was made with.
      if (vapid.publicKey !== reg.sender) { this.rejected.push('VAPID key is not the subscription\'s applicationServerKey'); res.writeHead(403).end(); return; }
      const encoding = String(req.headers['content-encoding'] ?? '');
      if (encoding !== 'aes128gcm') { this.rejected.push(`content-encoding ${encoding}`); res.writeHead(415).end(); return; }
      const body = Buffer.concat(chunks);
      this.forwarded.push({ token, vapidSubject: vapid.sub, contentEncoding: encoding, bytes: body.length });
      this.send(this.dataMessage(reg, body));
      res.writeHead(201, { location: `https://${host}/fcm/message/${randomBytes(8).toString('hex')}` }).end();
    });
  }

  /** DataMessageStanza: from = the sender (applicationServerKey), category + subtype = the subscription's app, raw_data = the encrypted body. */
  private dataMessage(reg: GcmRegistration, body: Buffer): Buffer {
    const appData = (k: string, v: string) => bytesField(7, Buffer.concat([bytesField(1, k), bytesField(2, v)]));
    return Buffer.concat([
      bytesField(2, randomBytes(6).toString('hex')),
      bytesField(3, reg.sender),
      bytesField(5, reg.app),
      ...(reg.subtype ? [appData('subtype', reg.subtype)] : []),
      appData('content-encoding', 'aes128gcm'),
      bytesField(9, `0:${Date.now()}%${randomBytes(4).toString('hex')}`),
      varintField(17, 3600),
      bytesField(21, body),
    ]);
  }

  private send(stanza: Buffer) {
    if (!this.loggedIn) { this.queue.push(stanza); return; }
    this.streamId++;
    this.loggedIn.write(Buffer.concat([Buffer.from([TAG.dataMessage]), varint(stanza.length), stanza]));
  }

  // ---- MCS ----
  private onMcs(socket: TLSSocket) {
    this.sockets.add(socket);
    socket.on('close', () => { this.sockets.delete(socket); if (this.loggedIn === socket) this.loggedIn = null; });
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    let versionRead = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!versionRead) {
        if (buf.length < 1) return;
        versionRead = true;
        buf = buf.subarray(1);
      }
      for (;;) {
        if (buf.length < 2) return;
        const tag = buf[0]!;
        const size = readVarint(buf, 1);
        if (!size || buf.length < size[1] + size[0]) return;
        buf = buf.subarray(size[1] + size[0]);
        this.onPacket(socket, tag);
      }
    });
  }

  private onPacket(socket: TLSSocket, tag: number) {
    if (tag === TAG.loginRequest) {
      // LoginResponse: id (1), stream_id (5), last_stream_id_received (6), server_timestamp (8).
      const login = Buffer.concat([bytesField(1, 'fake-gcm'), varintField(5, 1), varintField(6, 1), varintField(8, BigInt(Date.now()))]);
      socket.write(Buffer.concat([Buffer.from([MCS_VERSION, TAG.loginResponse]), varint(login.length), login]));
      this.loggedIn = socket;
      const waiting = this.queue.splice(0);
      for (const s of waiting) this.send(s);
    } else if (tag === TAG.heartbeatPing) {
      socket.write(Buffer.concat([Buffer.from([TAG.heartbeatAck]), varint(0)]));
    }
  }
}
