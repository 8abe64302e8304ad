import type { Logger } from '../telemetry/logger.js';
import { DEFAULT_MAX_KEYS, MemoryRateLimitStore, type WhenStoreFull } from './memory-store.js';
import { RedisRateLimitStore } from './redis-store.js';
import type { RateLimitStore } from './store.js';
import type { BucketPolicy, BucketTake } from './token-bucket.js';

/**
 * What a full memory store does with a new key, by bucket kind (the policy's name): the kinds a
 * service keeps. Buckets keyed by who calls (an address, a user) may be evicted: a new key costs an
 * attacker an address or an account, each with a fresh budget anyway. Buckets keyed by what the
 * caller names (a login email) must be `refuse-new`: made-up keys cost nothing, and evicting would let
 * a flood of them refill a targeted account's bucket early.
 */
export type BucketKinds<Kind extends string> = Record<Kind, WhenStoreFull>;

/**
 * Sends each take to the store of its bucket kind (the policy's name), so that no kind of key can
 * crowd another kind out of memory: a flood of addresses or made-up emails never touches a login bucket.
 */
export class StoreByKind implements RateLimitStore {
  constructor(private readonly stores: Record<string, RateLimitStore>) {}

  take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake> {
    const store = this.stores[policy.name];
    if (!store) throw new Error(`no rate-limit store for "${policy.name}" buckets`);
    return store.take(key, policy, cost, now);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.stores).map((store) => store.close()));
  }
}

export interface BucketStoresOptions<Kind extends string> {
  /** The kinds of bucket, each with what its memory store does when full. */
  kinds: BucketKinds<Kind>;
  /** REDIS_URL, or null for this process's memory only. */
  redisUrl: string | null;
  logger: Logger;
  /** Most live buckets each memory store keeps. Default 100000 each. */
  maxKeysPerStore?: number;
  /** Put before every Redis key. Default `supergraph:ratelimit:` (tests use their own). */
  redisKeyPrefix?: string;
  /** The Redis connection's name, as CLIENT LIST shows it ("supergraph-router-rate-limits"). */
  connectionName?: string;
}

export interface BucketStores<Kind extends string = string> {
  /** Where every RateLimiter takes from: Redis when configured, else the memory stores, one per kind. */
  store: RateLimitStore;
  /** The Redis store, when REDIS_URL is set. */
  redis: RedisRateLimitStore | null;
  /** One memory store per kind: the store itself without Redis, the fallback with it. */
  memory: Record<Kind, MemoryRateLimitStore>;
  /** Forgets every bucket that is full again; the service calls it every minute. */
  sweep(now: number): void;
  close(): Promise<void>;
}

/**
 * A service's bucket stores (the router's per-caller buckets, the users service's account buckets).
 * In memory, one store per kind, so that no kind of key can crowd another out. In Redis, every
 * replica shares the buckets, each kind under its own key prefix (`<prefix>caller:`, `<prefix>login:`,
 * the RateLimiter putting the policy's name before each key), and while Redis is unreachable each
 * kind falls back to its own memory store, exactly as without Redis.
 */
export function createBucketStores<Kind extends string>({
  kinds,
  redisUrl,
  logger,
  maxKeysPerStore,
  redisKeyPrefix,
  connectionName,
}: BucketStoresOptions<Kind>): BucketStores<Kind> {
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  const warnFull = (kind: Kind) => () => {
    if (Date.now() - lastWarnedAt < 60_000) return;
    lastWarnedAt = Date.now();
    logger.warn(
      { buckets: kind, maxKeys: maxKeysPerStore ?? DEFAULT_MAX_KEYS },
      'rate-limit store full of live buckets: refusing keys it does not hold until some fill up again',
    );
  };
  const memory = Object.fromEntries(
    (Object.entries(kinds) as [Kind, WhenStoreFull][]).map(([kind, whenFull]) => [
      kind,
      new MemoryRateLimitStore({ maxKeys: maxKeysPerStore, whenFull, onRefuse: warnFull(kind) }),
    ]),
  ) as Record<Kind, MemoryRateLimitStore>;
  const byKind = new StoreByKind(memory);
  const redis = redisUrl
    ? new RedisRateLimitStore({
        url: redisUrl,
        logger,
        fallback: byKind,
        ...(redisKeyPrefix ? { keyPrefix: redisKeyPrefix } : {}),
        ...(connectionName ? { connectionName } : {}),
      })
    : null;
  return {
    store: redis ?? byKind,
    redis,
    memory,
    sweep(now) {
      for (const store of Object.values<MemoryRateLimitStore>(memory)) store.sweep(now);
    },
    // The Redis store closes its fallback too.
    close: () => (redis ?? byKind).close(),
  };
}
