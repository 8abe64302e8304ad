import { isIPv4, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';
import type { Viewer } from '@supergraph/server-kit';
import { sendLimitError } from '../limit-errors.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from './rate-limiter.js';

/**
 * Whose budget a request spends: the signed-in user's, wherever they call from, or else the client
 * address's. Behind a proxy the address is only right when TRUST_PROXY names it (express `req.ip`).
 */
export function callerKey(viewer: Viewer | null, ip: string | undefined): string {
  return viewer ? `user:${viewer.id}` : `ip:${addressKey(ip)}`;
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
  const zeros = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => group.padStart(4, '0'));
}

/**
 * Express middleware, after authentication: one token per request from the caller's bucket. Every
 * response it lets through carries the RateLimit headers; an empty bucket is answered 429 with
 * Retry-After and RATE_LIMITED before anything is parsed or planned.
 */
export function limitCallers(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.take(callerKey((res.locals.viewer as Viewer | null | undefined) ?? null, req.ip));
    if (decision.isAllowed) {
      res.set(rateLimitHeaders(decision));
      next();
      return;
    }
    sendLimitError(res, rateLimitedError(decision, 'requests'));
  };
}
