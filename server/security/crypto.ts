// Secrets at rest (calendar OAuth tokens, webhook secrets) are sealed with AES-256-GCM under
// SECRET_KEY; short-lived values handed to browsers (OAuth state) are HMAC-signed with an expiry.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { safeEqual } from '../auth/tokens.ts';

const VERSION = 'v1';

/** The key as a key object, once per key (every booking seals its manage token: see subkeyObject). */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObjectOf(key: Buffer): KeyObject {
  let k = keyObjects.get(key);
  if (k === undefined) keyObjects.set(key, k = createSecretKey(key));
  return k;
}

/** Encrypts text into "v1.<iv>.<tag>.<ciphertext>" (base64url parts). */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypts a sealed value; throws if it was tampered with or sealed under another key. */
export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keyObjectOf(key), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** A URL-safe signed payload that expires: "<payload>.<expiresAt>.<hmac>". */
export function signState(key: Buffer, payload: Record<string, unknown>, expiresAt: number): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const mac = createHmac('sha256', key).update(`${body}.${expiresAt}`).digest('base64url');
  return `${body}.${expiresAt}.${mac}`;
}

/** The payload of a signed state, or null when forged, malformed or expired at `now`. */
export function verifyState<T = Record<string, unknown>>(key: Buffer, state: string, now: number): T | null {
  const [body, expires, mac] = state.split('.');
  if (!body || !expires || !mac || !/^\d+$/.test(expires)) return null;
  const expected = createHmac('sha256', key).update(`${body}.${expires}`).digest('base64url');
  if (!safeEqual(mac, expected) || Number(expires) < now) return null;
  try { return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T; } catch { return null; }
}

/**
 * A key of its own for one purpose, derived from SECRET_KEY (HMAC-SHA256 of the purpose), so a
 * value keyed for one use (a pseudonymous email key, a challenge signature) is useless for another.
 */
export function subkey(key: Buffer, purpose: string): Buffer {
  return createHmac('sha256', key).update(`booking-widget:${purpose}`).digest();
}

/**
 * Derived keys as key objects, once per key and purpose: a raw Buffer key is turned into a key
 * object by every createHmac call, which (twice for each of two pseudonyms) was ~5 % of a
 * booking request's CPU.
 */
const derived = new WeakMap<Buffer, Map<string, KeyObject>>();
function subkeyObject(key: Buffer, purpose: string): KeyObject {
  let byPurpose = derived.get(key);
  if (byPurpose === undefined) derived.set(key, byPurpose = new Map());
  let k = byPurpose.get(purpose);
  if (k === undefined) byPurpose.set(purpose, k = createSecretKey(subkey(key, purpose)));
  return k;
}

/** A keyed, one-way pseudonym of a value (hex): equal values match, the value cannot be read back. */
export function keyedHash(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', subkeyObject(key, purpose)).update(value, 'utf8').digest('hex');
}
