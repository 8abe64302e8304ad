import type { Logger } from '@supergraph/server-kit/telemetry';
import { DEFAULT_MAX_KEYS, MemoryRateLimitStore, type WhenStoreFull } from './memory-store.js';
import { RedisRateLimitStore } from './redis-store.js';
import type { RateLimitStore } from './store.js';
import type { BucketPolicy, BucketTake } from './token-bucket.js';

/**
 * The kinds of bucket the router keeps, each its policy's name and its own store:
 *
 * - `caller`: every request, per client IP and per signed-in user (RATE_LIMIT_PER_MINUTE);
 * - `auth`: account mutations per client IP (AUTH_RATE_LIMIT_PER_MINUTE);
 * - `login`: `login` attempts per account, keyed by the hashed email (LOGIN_RATE_LIMIT_PER_MINUTE).
 */
export const BUCKET_KINDS = ['caller', 'auth', 'login'] as const;
export type BucketKind = (typeof BUCKET_KINDS)[number];

/**
 * What a full memory store does with a new key (see WhenStoreFull). Caller and auth buckets are
 * keyed by who calls, so evicting one hands out nothing an attacker's own addresses don't already
 * have; login buckets are keyed by an email anyone can make up, so they are never evicted while live.
 */
const WHEN_FULL: Record<BucketKind, WhenStoreFull> = {
  caller: 'evict-least-recent',
  auth: 'evict-least-recent',
  login: 'refuse-new',
};

/**
 * Sends each take to the store of its bucket kind (the policy's name), so that no kind of key can
 * crowd another kind out of memory: a flood of addresses or made-up emails never touches a login bucket.
 */
export class StoreByKind implements RateLimitStore {
  constructor(private readonly stores: Record<BucketKind, RateLimitStore>) {}

  take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake> {
    const store = (this.stores as Record<string, RateLimitStore | undefined>)[policy.name];
    if (!store) throw new Error(`no rate-limit store for "${policy.name}" buckets`);
    return store.take(key, policy, cost, now);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.stores).map((store) => store.close()));
  }
}

export interface BucketStoresOptions {
  /** REDIS_URL, or null for this process's memory only. */
  redisUrl: string | null;
  logger: Logger;
  /** Most live buckets each memory store keeps. Default 100000 each. */
  maxKeysPerStore?: number;
  /** Put before every Redis key. Default `supergraph:ratelimit:` (tests use their own). */
  redisKeyPrefix?: string;
}

export interface BucketStores {
  /** Where every RateLimiter takes from: Redis when configured, else the memory stores, one per kind. */
  store: RateLimitStore;
  /** The Redis store, when REDIS_URL is set. */
  redis: RedisRateLimitStore | null;
  /** One memory store per kind: the store itself without Redis, the fallback with it. */
  memory: Record<BucketKind, MemoryRateLimitStore>;
  /** Forgets every bucket that is full again; the router calls it every minute. */
  sweep(now: number): void;
  close(): Promise<void>;
}

/**
 * The router's bucket stores. In memory, one store per kind. In Redis, every replica shares the
 * buckets, each kind under its own key prefix (`<prefix>caller:`, `<prefix>auth:`, `<prefix>login:`,
 * the RateLimiter putting the policy's name before each key), and while Redis is unreachable each
 * kind falls back to its own memory store, exactly as without Redis.
 */
export function createBucketStores({ redisUrl, logger, maxKeysPerStore, redisKeyPrefix }: BucketStoresOptions): BucketStores {
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  const warnFull = (kind: BucketKind) => () => {
    if (Date.now() - lastWarnedAt < 60_000) return;
    lastWarnedAt = Date.now();
    logger.warn(
      { buckets: kind, maxKeys: maxKeysPerStore ?? DEFAULT_MAX_KEYS },
      'rate-limit store full of live buckets: refusing keys it does not hold until some fill up again',
    );
  };
  const memory = Object.fromEntries(
    BUCKET_KINDS.map((kind) => [
      kind,
      new MemoryRateLimitStore({ maxKeys: maxKeysPerStore, whenFull: WHEN_FULL[kind], onRefuse: warnFull(kind) }),
    ]),
  ) as Record<BucketKind, MemoryRateLimitStore>;
  const byKind = new StoreByKind(memory);
  const redis = redisUrl
    ? new RedisRateLimitStore({
        url: redisUrl,
        logger,
        fallback: byKind,
        ...(redisKeyPrefix ? { keyPrefix: redisKeyPrefix } : {}),
      })
    : null;
  return {
    store: redis ?? byKind,
    redis,
    memory,
    sweep(now) {
      for (const store of Object.values(memory)) store.sweep(now);
    },
    // The Redis store closes its fallback too.
    close: () => (redis ?? byKind).close(),
  };
}
