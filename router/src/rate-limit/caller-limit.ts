import type { AsyncLocalStorage } from 'node:async_hooks';
import { isIPv4, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';
import type { Viewer } from '@supergraph/server-kit/auth';
import { sendRefusal } from '../errors.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from './rate-limiter.js';
import type { RateLimitDecision } from './token-bucket.js';

/**
 * Whose budgets a request spends: always the client address's, and the signed-in user's too. Both
 * are charged, so a token (say, of an account registered a moment ago) buys no requests beyond the
 * address's budget, and a user spread over many addresses still has one budget. Behind a proxy the
 * address is only right when TRUST_PROXY names it (express `req.ip`).
 */
export function callerKeys(viewer: Viewer | null, ip: string | undefined): string[] {
  return [`ip:${addressKey(ip)}`, ...(viewer ? [`user:${viewer.id}`] : [])];
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

/**
 * Express middleware, after authentication: one token per request from each of the caller's
 * buckets (callerKeys), the address's first, so that a request the address's bucket refuses costs the
 * user's bucket nothing. The emptiest bucket decides: its RateLimit headers go on every response
 * let through, and an empty one is answered 429 with Retry-After and RATE_LIMITED before anything is
 * parsed or planned. A user's bucket refusing after the address's allowed has spent one of the
 * address's tokens, which that client could have spent anonymously anyway.
 */
export function limitCallers(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const decisions: RateLimitDecision[] = [];
    for (const key of callerKeys((res.locals.viewer as Viewer | null | undefined) ?? null, req.ip)) {
      const decision = await limiter.take(key);
      if (!decision.isAllowed) {
        sendRefusal(res, rateLimitedError(decision, 'requests'));
        return;
      }
      decisions.push(decision);
    }
    res.set(rateLimitHeaders(tightest(decisions)));
    next();
  };
}

/** The decision closest to refusing: fewest tokens left, then the longest until full. */
function tightest(decisions: RateLimitDecision[]): RateLimitDecision {
  return decisions.reduce((tighter, decision) =>
    decision.remaining < tighter.remaining ||
    (decision.remaining === tighter.remaining && decision.resetSeconds > tighter.resetSeconds)
      ? decision
      : tighter,
  );
}

/**
 * Keeps the client's address for the rest of the request, where Apollo Server's plugins run without
 * the express request: the account-mutation limit charges it (request-limits.ts).
 */
export function rememberClientAddress(addresses: AsyncLocalStorage<string>): RequestHandler {
  return (req, _res, next) => {
    addresses.run(addressKey(req.ip), next);
  };
}
