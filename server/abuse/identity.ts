// Who is asking, as the booking limits count it: the visitor's email without the parts that
// make one mailbox look like many, and the client's address with an IPv6 /64 as one client
// (one household or server gets a whole /64). Both are stored only as keyed hashes.
import { isIPv4, isIPv6 } from 'node:net';
import { keyedHash } from '../security/crypto.ts';

/** Lower case, trimmed, without a "+tag" in the local part: vera+1@x and Vera@x are one mailbox. */
export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at <= 0) return e;
  const local = e.slice(0, at).replace(/\+.*$/, '');
  return `${local || e.slice(0, at)}@${e.slice(at + 1)}`;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.split('%')[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let extra: number[] = [];
  if (tail) {
    const o = tail[1]!.split('.').map(Number);
    extra = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    text = text.slice(0, -tail[1]!.length);
    if (!text.endsWith('::')) text = text.slice(0, -1); // the ':' before the IPv4 part
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const a = parse(head), b = rest === undefined ? [] : parse(rest);
  const missing = 8 - extra.length - a.length - b.length;
  if (rest === undefined && missing !== 0) return null;
  const groups = [...a, ...new Array(Math.max(0, missing)).fill(0), ...b, ...extra];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** The client an address stands for: an IPv4 address, or the /64 network of an IPv6 one. */
export function clientOf(ip: string): string {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const g = ipv6Groups(ip);
  if (g === null) return ip;
  // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 client itself.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** The pseudonym of an exact address (case-insensitive): how verified addresses are recorded. */
export function emailHash(secretKey: Buffer, email: string): string {
  return keyedHash(secretKey, 'verified-email', email.trim().toLowerCase());
}

export interface BookingIdentity {
  emailKey: string;
  clientKey: string;
}

export function bookingIdentity(secretKey: Buffer, email: string, ip: string): BookingIdentity {
  return {
    emailKey: keyedHash(secretKey, 'limit-email', normaliseEmail(email)),
    clientKey: keyedHash(secretKey, 'limit-client', clientOf(ip)),
  };
}
