// A local stand-in for a Web Push service (RFC 8030) that checks what a real one and a browser
// would: the VAPID Authorization header (RFC 8292: "vapid t=<JWT>, k=<public key>", an ES256 JWT
// whose aud is the endpoint's origin, exp at most 24 h ahead, sub a mailto:/https: contact,
// signed by k) and the aes128gcm payload (RFC 8188/8291), which it decrypts with the
// subscription's private key and auth secret as the browser does. HTTPS on loopback with a
// self-signed certificate made by openssl at start (web-push only speaks https).
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeSubscription { endpoint: string; keys: { p256dh: string; auth: string } }
export interface ReceivedPush { id: string; payload: string; topic: string | undefined; ttl: string | undefined; urgency: string | undefined; subject: string }

interface Browser { id: string; ecdh: ReturnType<typeof createECDH>; auth: Buffer }

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 §3.4 + RFC 8188: the browser side of aes128gcm (one record). */
export function decryptAes128gcm(body: Buffer, ecdh: ReturnType<typeof createECDH>, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(asPublic);
  const prkKey = hmac(authSecret, shared);
  const ikm = hmac(prkKey, Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 and zero padding.
  const end = plain.lastIndexOf(2);
  if (end < 0) throw new Error('no padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}

export class FakePushService {
  readonly received: ReceivedPush[] = [];
  readonly rejected: string[] = [];
  /** Subscriptions that the service answers 410 Gone for (the browser unsubscribed). */
  readonly gone = new Set<string>();
  private readonly browsers = new Map<string, Browser>();
  private server: Server | null = null;
  private dir = '';
  ca = '';
  origin = '';

  async start(): Promise<this> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'bw-push-'));
    const { key, cert } = selfSignedCertificate(this.dir, ['IP:127.0.0.1', 'DNS:localhost']);
    this.ca = cert;
    this.server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = (req.url ?? '').replace(/^\/push\//, '');
        const browser = this.browsers.get(id);
        if (req.method !== 'POST' || !browser) { res.writeHead(404).end(); return; }
        if (this.gone.has(id)) { res.writeHead(410).end(); return; }
        const problem = checkVapid(String(req.headers.authorization ?? ''), this.origin);
        if (typeof problem === 'string') { this.rejected.push(problem); res.writeHead(403).end(problem); return; }
        if (req.headers['content-encoding'] !== 'aes128gcm') { this.rejected.push('not aes128gcm'); res.writeHead(415).end(); return; }
        let payload: string;
        try { payload = decryptAes128gcm(Buffer.concat(chunks), browser.ecdh, browser.auth); } catch (err) {
          this.rejected.push(`decryption failed: ${(err as Error).message}`); res.writeHead(400).end(); return;
        }
        this.received.push({
          id, payload, subject: problem.sub,
          topic: req.headers.topic as string | undefined, ttl: req.headers.ttl as string | undefined, urgency: req.headers.urgency as string | undefined,
        });
        res.writeHead(201, { location: `${this.origin}/message/${randomBytes(8).toString('hex')}` }).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What a browser's PushManager.subscribe() returns: the endpoint and the keys to encrypt to. */
  subscribe(): FakeSubscription {
    const id = randomBytes(8).toString('hex');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.browsers.set(id, { id, ecdh, auth });
    return { endpoint: `${this.origin}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
  }

  idOf(endpoint: string): string {
    return endpoint.split('/').pop()!;
  }
}

/** A key and a self-signed certificate for `names` ("IP:127.0.0.1", "DNS:localhost"), made by openssl in `dir`. */
export function selfSignedCertificate(dir: string, names: string[]): { key: string; cert: string } {
  const key = path.join(dir, `key-${names.length}.pem`);
  const cert = path.join(dir, `cert-${names.length}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', `/CN=${names[0]!.replace(/^\w+:/, '')}`, '-addext', `subjectAltName=${names.join(',')}`], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** The claims when the header is a valid VAPID authorization (RFC 8292) for the push service at `origin`, else why not. */
export function checkVapid(header: string, origin: string): { sub: string; publicKey: string } | string {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) return `not a vapid authorization: ${header.slice(0, 40)}`;
  const [h, c, sig] = m[1]!.split('.');
  if (!h || !c || !sig) return 'malformed JWT';
  const head = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
  if (head.alg !== 'ES256') return `alg ${head.alg}`;
  const raw = Buffer.from(m[2]!, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return 'k is not an uncompressed P-256 key';
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))) return 'bad JWT signature';
  if (claims.aud !== origin) return `aud ${claims.aud}`;
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) return 'exp out of range';
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) return 'sub missing';
  return { sub: claims.sub, publicKey: m[2]! };
}
