import { HeaderMap } from '@apollo/server';
import { AppError } from '../graphql/errors.js';
import type { RateLimitStore } from './store.js';
import { describeTake, type BucketPolicy, type RateLimitDecision } from './token-bucket.js';

/** A budget per minute as a bucket policy: capacity = the budget (the burst), refilled continuously over a minute. */
export function perMinute(name: string, budget: number): BucketPolicy {
  return { name, capacity: budget, windowMs: 60_000 };
}

/** One policy over a store: takes from the bucket of a key and says what happened. */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    readonly policy: BucketPolicy,
    /** Epoch milliseconds; tests pass their own. Default Date.now. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens (default 1) from the bucket of `key` (namespaced by the policy's name). */
  async take(key: string, cost = 1): Promise<RateLimitDecision> {
    const take = await this.store.take(`${this.policy.name}:${key}`, this.policy, cost, this.clock());
    return describeTake(take, this.policy, cost);
  }
}

/**
 * The headers of draft-ietf-httpapi-ratelimit-headers (the `limit=, remaining=, reset=` form that
 * express-rate-limit and others send), plus Retry-After when refused:
 *
 *     RateLimit: limit=300, remaining=299, reset=1
 *     RateLimit-Policy: 300;w=60
 *     Retry-After: 1
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const { policy } = decision;
  return {
    RateLimit: `limit=${policy.capacity}, remaining=${decision.remaining}, reset=${decision.resetSeconds}`,
    'RateLimit-Policy': `${policy.capacity};w=${Math.round(policy.windowMs / 1000)}`,
    ...(decision.isAllowed ? {} : { 'Retry-After': String(decision.retryAfterSeconds) }),
  };
}

/**
 * Over a rate limit (RATE_LIMITED): nothing was done; `retryAfter` says in how many seconds the same
 * request may be sent again. `http` carries the RateLimit and Retry-After headers in
 * `extensions.http`, which Apollo Server puts on the HTTP answer and strips from the body: a
 * subgraph gives them without a status (an error status would be a failed call to a router); the
 * router answers 429.
 */
export class RateLimitedError extends AppError<'RATE_LIMITED'> {
  readonly retryAfterSeconds: number;
  readonly headers: Record<string, string>;

  constructor(decision: RateLimitDecision, what: string, status?: number) {
    const perMinuteBudget = Math.round((decision.policy.capacity * 60_000) / decision.policy.windowMs);
    const headers = rateLimitHeaders(decision);
    super(
      `Too many ${what}: the limit is ${perMinuteBudget} per minute. Try again in ${decision.retryAfterSeconds} s.`,
      'RATE_LIMITED',
      {
        retryAfter: decision.retryAfterSeconds,
        http: { ...(status === undefined ? {} : { status }), headers: new HeaderMap(Object.entries(headers)) },
      },
    );
    this.retryAfterSeconds = decision.retryAfterSeconds;
    this.headers = headers;
  }
}
