import type { RateLimitStore } from './store.js';
import { msUntilFull, takeFromBucket, type BucketPolicy, type BucketState, type BucketTake } from './token-bucket.js';

/**
 * What a store holding `maxKeys` live buckets does with a new key, once it has forgotten every
 * bucket that is full again (which loses nothing: a full bucket is the same as no bucket):
 *
 * - `evict-least-recent`: drop the least recently used bucket, which refills it early. Right for
 *   buckets keyed by who is calling (an address, a user): making a key costs the attacker an
 *   address or an account, each with a fresh budget of its own anyway, so evicting gives nothing more.
 * - `refuse-new`: keep every bucket and refuse the new key's take until one is full again. Right
 *   for buckets keyed by what the caller names (a login email): made-up keys cost nothing, and
 *   evicting would let a flood of them refill a targeted account's bucket early.
 */
export type WhenStoreFull = 'evict-least-recent' | 'refuse-new';

export interface MemoryStoreOptions {
  /** Most live buckets kept, which bounds memory when callers rotate IPs or emails. Default 100000 (about 20 MB at most). */
  maxKeys?: number;
  /** Default `evict-least-recent`. */
  whenFull?: WhenStoreFull;
  /** Called each time `refuse-new` turns a new key away, so that the service can say so in its log. */
  onRefuse?: () => void;
}

interface Entry extends BucketState {
  /** When the bucket is full again, so it can be forgotten. */
  fullAt: number;
}

/** Most live buckets a store keeps unless told otherwise. */
export const DEFAULT_MAX_KEYS = 100_000;

/** A full store sweeps for buckets that are full again at most this often, so a flood costs no O(n) work per request. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Buckets in this process's memory: the default, and what a Redis-backed service falls back to while
 * Redis is unreachable. A bucket is forgotten once it would be full again (checked as keys are used,
 * when the store is full, and by `sweep`), and the map keeps recency order, so the least recently
 * used key is the first to drop when `whenFull` allows dropping live buckets at all.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Entry>();
  private readonly maxKeys: number;
  private readonly whenFull: WhenStoreFull;
  private readonly onRefuse: (() => void) | undefined;
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor({ maxKeys = DEFAULT_MAX_KEYS, whenFull = 'evict-least-recent', onRefuse }: MemoryStoreOptions = {}) {
    this.maxKeys = maxKeys;
    this.whenFull = whenFull;
    this.onRefuse = onRefuse;
  }

  async take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake> {
    const previous = this.buckets.get(key);
    const { state, take } = takeFromBucket(previous && previous.fullAt > now ? previous : undefined, policy, cost, now);
    const fullAt = state.updatedAt + msUntilFull(state.tokens, policy);
    this.buckets.delete(key);
    // Full again at once (nothing taken from a full bucket): nothing to remember.
    if (fullAt <= now) return take;
    if (!previous && !this.makeRoom(now)) {
      // Every kept bucket is live and none may be dropped: this key gets no bucket, so no tokens.
      this.onRefuse?.();
      return { isAllowed: false, tokens: 0 };
    }
    this.buckets.set(key, { ...state, fullAt });
    return take;
  }

  /** Forgets every bucket that is full again by `now`; the service calls it every minute. */
  sweep(now: number): void {
    this.lastSweepAt = now;
    for (const [key, entry] of this.buckets) if (entry.fullAt <= now) this.buckets.delete(key);
  }

  /** How many buckets are kept (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  /** Whether a new bucket fits: first by forgetting full ones, then, if allowed, by evicting the least recently used. */
  private makeRoom(now: number): boolean {
    if (this.buckets.size < this.maxKeys) return true;
    if (now - this.lastSweepAt >= SWEEP_INTERVAL_MS) this.sweep(now);
    if (this.buckets.size < this.maxKeys) return true;
    if (this.whenFull === 'refuse-new') return false;
    this.buckets.delete(this.buckets.keys().next().value!);
    return true;
  }
}
