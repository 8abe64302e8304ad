import type { RateLimitStore } from './store.js';
import { msUntilFull, takeFromBucket, type BucketPolicy, type BucketState, type BucketTake } from './token-bucket.js';

export interface MemoryStoreOptions {
  /**
   * Most buckets kept; past it the least recently used is dropped (which refills it). Bounds memory
   * when callers rotate IPs or emails. Default 100000 (a few MB).
   */
  maxKeys?: number;
}

interface Entry extends BucketState {
  /** When the bucket is full again, so it can be forgotten. */
  fullAt: number;
}

/**
 * Buckets in this process's memory: the default, and what a Redis-backed router falls back to while
 * Redis is unreachable. A bucket is forgotten once it would be full again (checked as keys are used
 * and by `sweep`), and the map keeps recency order, so the oldest key is the first to drop.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor({ maxKeys = 100_000 }: MemoryStoreOptions = {}) {
    this.maxKeys = maxKeys;
  }

  async take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake> {
    const previous = this.buckets.get(key);
    this.buckets.delete(key);
    const { state, take } = takeFromBucket(previous && previous.fullAt > now ? previous : undefined, policy, cost, now);
    const fullAt = state.updatedAt + msUntilFull(state.tokens, policy);
    if (fullAt > now) {
      this.buckets.set(key, { ...state, fullAt });
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    return take;
  }

  /** Forgets every bucket that is full again by `now`; the router calls it every minute. */
  sweep(now: number): void {
    for (const [key, entry] of this.buckets) if (entry.fullAt <= now) this.buckets.delete(key);
  }

  /** How many buckets are kept (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
