import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Where a webhook may be delivered. A registration names a URL; a process that delivered to any URL would
 * let whoever registers it reach what the service can reach (SSRF): its own port, the machine's loopback,
 * the cloud's metadata address, the intranet. So the host must be, and resolve to, a public address only,
 * unless the operator lets a network through (`BANLI_WEBHOOK_ALLOW_NETWORKS`, CIDR list), and `https`
 * is required unless the operator allows `http` (`BANLI_WEBHOOK_ALLOW_HTTP`).
 */
export interface TargetPolicy {
  readonly allowHttp: boolean;
  /** Networks let through although not public: the operator's intranet receivers, the tests' loopback. */
  readonly allowNetworks: readonly string[];
  /** The service's own port: never a target on any of the machine's own addresses, whatever is allowed. */
  readonly ownPort?: () => number | undefined;
  /** Name resolution; the system's resolver unless a spec gives one. */
  readonly resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** Why a target was refused: a stable reason, shown to the caller at registration. */
export class WebhookTargetRefused extends Error {
  constructor(
    readonly reason: 'scheme' | 'credentials' | 'host' | 'address' | 'own-port' | 'unresolvable',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

/**
 * Not public: unspecified, loopback, private, shared (CGNAT), link-local, documentation (2001:db8::/32,
 * 3fff::/20), benchmark, local-use NAT64 (64:ff9b:1::/48), SRv6 (5f00::/16), multicast and reserved ranges.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['3fff::', 20], ['5f00::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** The sixteen bytes of an IPv6 address. */
function bytes6(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail = ''] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = text.includes('::') && tail ? tail.split(':') : [];
  const groups = text.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::) or 6to4 (2002:). */
function embeddedIPv4(address: string): string | undefined {
  const b = bytes6(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (at: number) => b.slice(at, at + 4).join('.');
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12);
  if (zeros(0, 12) && !zeros(12, 16)) return quad(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return quad(12);
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2);
  return undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether the service itself answers on this address: loopback, unspecified, or one of the machine's interfaces. */
function isOwnAddress(address: string): boolean {
  const v4 = isIP(address) === 6 ? embeddedIPv4(address) : undefined;
  const plain = (v4 ?? address).toLowerCase();
  const mine = new Set(['0.0.0.0', '::', ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.toLowerCase()))]);
  return mine.has(plain) || mine.has(address.toLowerCase()) || LOOPBACK.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

/** Why this address may not be a target, or undefined when it may. */
export function addressRefusal(address: string, policy: Pick<TargetPolicy, 'allowNetworks'>): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an address`;
  const allowed = new BlockList();
  for (const cidr of policy.allowNetworks) {
    const [net, prefix] = cidr.split('/');
    allowed.addSubnet(net, Number(prefix), isIP(net) === 6 ? 'ipv6' : 'ipv4');
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(address, type)) return undefined;
  const inner = family === 6 ? embeddedIPv4(address) : undefined;
  if (inner !== undefined) return allowed.check(inner, 'ipv4') ? undefined : NOT_PUBLIC.check(inner, 'ipv4') ? `${address} carries the non-public address ${inner}` : undefined;
  return NOT_PUBLIC.check(address, type) ? `${address} is not a public address` : undefined;
}

export interface CheckedTarget {
  readonly url: URL;
  /** The address that was checked: delivery connects to it and to nothing else. */
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Checks a URL and resolves its host; every address the name resolves to must pass, so a name with one
 * public and one private record is refused. Called at registration and again before every delivery.
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetRefused('host', 'Not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new WebhookTargetRefused('scheme', policy.allowHttp ? 'Only http and https URLs are delivered to' : 'Only https URLs are delivered to (BANLI_WEBHOOK_ALLOW_HTTP)');
  }
  if (url.username || url.password) throw new WebhookTargetRefused('credentials', 'A URL with a user name or password is not accepted: use the signing secret');
  // The URL parser has already normalised the IPv4 spellings (127.1, 2130706433, 0x7f.1) and IPv6 forms.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (host === '' || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) {
    throw new WebhookTargetRefused('host', `${host || 'an empty host'} is not a public host`);
  }
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (policy.resolve ?? ((h: string) => dnsLookup(h, { all: true, verbatim: true })))(host);
    } catch {
      throw new WebhookTargetRefused('unresolvable', `${host} does not resolve`);
    }
    if (addresses.length === 0) throw new WebhookTargetRefused('unresolvable', `${host} does not resolve`);
  }
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new WebhookTargetRefused('address', refusal);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const own = policy.ownPort?.();
  if (own !== undefined && port === own && addresses.some(({ address }) => isOwnAddress(address))) {
    throw new WebhookTargetRefused('own-port', 'The service does not deliver webhooks to itself');
  }
  return { url, address: addresses[0].address, family: isIP(addresses[0].address) as 4 | 6 };
}

export interface DeliveryAnswer {
  readonly status: number;
}

/** What went wrong with a delivery, as a class only: no host names, addresses or messages from the network. */
export type DeliveryErrorClass = 'timeout' | 'connection refused' | 'connection reset' | 'unresolvable' | 'refused address' | 'tls' | 'network';

export class DeliveryError extends Error {
  constructor(readonly errorClass: DeliveryErrorClass) {
    super(errorClass);
    this.name = 'DeliveryError';
  }
}

/** At most this much of a receiver's answer is ever read: a receiver answering gigabytes is cut off. */
export const MAX_ANSWER_BYTES = 4096;

/**
 * POSTs to the checked address and nowhere else (the name is not resolved again between check and
 * connect), follows no redirect, reads at most a few KB of the answer, and gives up after `connectMs`
 * to connect and `timeoutMs` in all.
 */
export function post(target: CheckedTarget, headers: Record<string, string>, body: string, options: { connectMs: number; timeoutMs: number; signal: AbortSignal }): Promise<DeliveryAnswer> {
  return new Promise((resolve, reject) => {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // Pinned: the connection goes to the address that was checked.
        lookup: (_host, opts, callback) => {
          const all = (opts as { all?: boolean }).all;
          if (all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
          else (callback as (e: null, a: string, f: number) => void)(null, target.address, target.family);
        },
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
        agent: false,
      },
      (res: IncomingMessage) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    const connectTimer = setTimeout(() => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), options.connectMs);
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      socket.once('connect', () => clearTimeout(connectTimer));
      socket.once('secureConnect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (options.signal.aborted) return reject(error);
      reject(new DeliveryError(errorClassOf(error)));
    });
    req.end(body);
  });
}

function errorClassOf(error: NodeJS.ErrnoException): DeliveryErrorClass {
  const code = error.code ?? (error.name === 'AbortError' || error.name === 'TimeoutError' ? 'ETIMEDOUT' : '');
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unresolvable';
  if (/CERT|SSL|TLS|ERR_TLS/.test(code)) return 'tls';
  return 'network';
}
