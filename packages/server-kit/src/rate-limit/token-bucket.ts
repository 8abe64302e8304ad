/**
 * A token bucket: `capacity` tokens, refilled continuously at `capacity` per `windowMs`. A request
 * takes `cost` tokens when that many are there and is refused otherwise. A full bucket is the same as
 * no bucket, so stores may forget a key once it would be full again.
 */
export interface BucketPolicy {
  /** Names the policy in the RateLimit-Policy header and in keys ("caller", "login"). */
  name: string;
  /** Tokens a full bucket holds: the burst, and the budget per window. */
  capacity: number;
  /** The time in which an empty bucket refills completely, in milliseconds. */
  windowMs: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was computed, in epoch milliseconds. */
  updatedAt: number;
}

export interface BucketTake {
  isAllowed: boolean;
  /** Tokens left after this take (fractional: refill is continuous). */
  tokens: number;
}

/** Refills a bucket up to `now`, then takes `cost` tokens if it can. Pure: the memory store's core, and the Lua script's twin. */
export function takeFromBucket(
  state: BucketState | undefined,
  policy: BucketPolicy,
  cost: number,
  now: number,
): { state: BucketState; take: BucketTake } {
  // A clock that went backwards (another replica's, or an NTP step) refills nothing rather than draining.
  const elapsed = state ? Math.max(0, now - state.updatedAt) : 0;
  const available = state
    ? Math.min(policy.capacity, state.tokens + (elapsed * policy.capacity) / policy.windowMs)
    : policy.capacity;
  // The epsilon absorbs floating-point dust, so a token that has just refilled counts as there.
  const isAllowed = available + 1e-9 >= cost;
  const tokens = isAllowed ? Math.max(0, available - cost) : available;
  return { state: { tokens, updatedAt: Math.max(now, state?.updatedAt ?? now) }, take: { isAllowed, tokens } };
}

/** How long until a bucket with `tokens` is full again, in milliseconds. */
export function msUntilFull(tokens: number, policy: BucketPolicy): number {
  return Math.max(0, ((policy.capacity - tokens) * policy.windowMs) / policy.capacity);
}

/** What a caller is told about a bucket after a take: the numbers behind the RateLimit headers. */
export interface RateLimitDecision {
  isAllowed: boolean;
  policy: BucketPolicy;
  /** Whole tokens left. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until `cost` tokens are there again; 0 when allowed. */
  retryAfterSeconds: number;
}

export function describeTake(take: BucketTake, policy: BucketPolicy, cost: number): RateLimitDecision {
  const msPerToken = policy.windowMs / policy.capacity;
  return {
    isAllowed: take.isAllowed,
    policy,
    remaining: Math.max(0, Math.floor(take.tokens + 1e-9)),
    resetSeconds: Math.ceil(msUntilFull(take.tokens, policy) / 1000),
    // At least 1: a client told "0" would retry at once and be refused again.
    retryAfterSeconds: take.isAllowed ? 0 : Math.max(1, Math.ceil(((cost - take.tokens) * msPerToken) / 1000)),
  };
}
