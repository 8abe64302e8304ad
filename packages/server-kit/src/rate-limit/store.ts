import type { BucketPolicy, BucketTake } from './token-bucket.js';

/** Where buckets live: this process's memory, or Redis shared by every replica. */
export interface RateLimitStore {
  /** Refills the bucket under `key` up to `now` (epoch ms) and takes `cost` tokens if it can, atomically. */
  take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake>;
  /** Lets go of connections and timers. */
  close(): Promise<void>;
}
