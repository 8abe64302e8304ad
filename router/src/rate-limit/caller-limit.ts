import type { Request, Response } from 'express';
import type { Viewer } from '@supergraph/server-kit/auth';
import { addressKey, rateLimitHeaders, type RateLimitDecision, type RateLimiter } from '@supergraph/server-kit/rate-limit';
import { RateLimitedError, sendRefusal } from '../errors.js';

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
 * After authentication: one token per request from each of the caller's
 * buckets (callerKeys), the address's first, so that a request the address's bucket refuses costs the
 * user's bucket nothing. The emptiest bucket decides: its RateLimit headers go on every response
 * let through, and an empty one is answered 429 with Retry-After and RATE_LIMITED before anything is
 * parsed or planned. A user's bucket refusing after the address's allowed has spent one of the
 * address's tokens, which that client could have spent anonymously anyway. True when the request
 * may go on (its RateLimit headers set), false when it was answered 429.
 */
export async function takeCallerBudgets(limiter: RateLimiter, req: Request, res: Response): Promise<boolean> {
  const decisions: RateLimitDecision[] = [];
  for (const key of callerKeys((res.locals.viewer as Viewer | null | undefined) ?? null, req.ip)) {
    const decision = await limiter.take(key);
    if (!decision.isAllowed) {
      sendRefusal(res, new RateLimitedError(decision, 'requests'));
      return false;
    }
    decisions.push(decision);
  }
  res.set(rateLimitHeaders(tightest(decisions)));
  return true;
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
