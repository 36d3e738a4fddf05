// Outbound requests to URLs the site owner typed (webhooks) may only reach public addresses:
// checked when the URL is saved and again at every delivery, after DNS resolution, and the
// connection goes to the very address that was checked (a lookup function handed to the socket),
// so a name that resolves differently a second later (DNS rebinding) cannot slip through.
// Redirects are not followed. Failures read the same whatever happened on the network, so the
// error text never tells a closed port from an open one. WEBHOOK_ALLOW_PRIVATE_TARGETS lifts the
// address rule for trusted networks (and tests that deliver to 127.0.0.1).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Every range that is not the public internet (IANA special-purpose registries, RFC 6890). */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4], ['255.255.255.255', 32],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // (IPv4-mapped ::ffff:0:0/96 is not listed: BlockList judges those by the IPv4 rules above.)
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
  ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-mapped IPv6 is judged as the IPv4 address it carries (BlockList checks it that way too).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !NOT_PUBLIC.check(mapped[1]!, 'ipv4');
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundRefused extends Error {
  constructor(message = 'The URL does not resolve to a public internet address.') {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export interface OutboundPolicy {
  allowPrivate: boolean;
  /** Name resolution; tests replace it to play a rebinding DNS server. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

const systemResolve = (host: string) => new Promise<LookupAddress[]>((resolve, reject) =>
  dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** The addresses a URL's host stands for, each checked; throws OutboundRefused for any that is not public. */
export async function checkedAddresses(url: URL, policy: OutboundPolicy): Promise<LookupAddress[]> {
  const host = bare(url.hostname);
  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw new OutboundRefused('The URL\'s host name does not resolve.');
    }
  }
  if (addresses.length === 0) throw new OutboundRefused('The URL\'s host name does not resolve.');
  if (!policy.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) throw new OutboundRefused();
  return addresses;
}

/** At save time: the URL must resolve, and only to public addresses (unless private targets are allowed). */
export async function checkOutboundUrl(value: string, policy: OutboundPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  await checkedAddresses(new URL(value), policy);
}

export interface PostResult { status: number }

/** The one text for every network-level failure: reachability details stay on our side. */
export const UNREACHABLE = 'The webhook endpoint could not be reached or did not answer with HTTP.';

/**
 * POSTs `body` to `url` through the policy: the connection goes to an address checked just now,
 * redirects are answered as the status they are, the answer body is discarded.
 */
export async function postChecked(url: string, headers: Record<string, string>, body: string, policy: OutboundPolicy, timeoutMs = 10_000): Promise<PostResult> {
  const target = new URL(url);
  const addresses = await checkedAddresses(target, policy);
  const pinned: LookupFunction = (_host, options, callback) => {
    const all = (options as { all?: boolean }).all;
    if (all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: isIP(bare(target.hostname)) === 0 ? pinned : undefined,
      // A fresh connection each time: a pooled socket was opened for some earlier lookup.
      agent: false,
      timeout: timeoutMs,
    }, (res) => {
      res.resume();
      res.on('error', () => {});
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => { req.destroy(); reject(new Error(UNREACHABLE)); });
    req.end(body);
  });
}
