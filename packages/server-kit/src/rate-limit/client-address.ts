import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { Request } from 'express';

/**
 * The header through which the router tells a subgraph whose request it forwards: the client's IP
 * address as the router saw it (after TRUST_PROXY). A subgraph believes it only on requests that
 * carry its router secret (requireRouterSecret runs first on /graphql), so only a holder of the
 * secret can name an address; any other router must be configured to send it (docs/routers.md).
 */
export const CLIENT_ADDRESS_HEADER = 'x-client-address';

/**
 * The client's address for a request that passed requireRouterSecret: the router's
 * x-client-address when it names an IP address, else the peer's own address (a router that does not
 * forward it: every client then shares that router's budget, which errs on the side of refusing).
 */
export function clientAddressOf(req: Pick<Request, 'headers' | 'socket'>): { address: string; isForwarded: boolean } {
  const forwarded = req.headers[CLIENT_ADDRESS_HEADER];
  if (typeof forwarded === 'string' && isIP(forwarded.trim()) !== 0) return { address: forwarded.trim(), isForwarded: true };
  return { address: req.socket.remoteAddress ?? 'unknown', isForwarded: false };
}

/**
 * An IPv4 address as it is (IPv4-mapped IPv6 included); an IPv6 address by its /64, the block one
 * subscriber gets, so that an attacker cannot get a fresh budget per address of their own network.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return ip;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted quad (::1.2.3.4) is the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => group.padStart(4, '0'));
}
