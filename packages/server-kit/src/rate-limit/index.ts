// @supergraph/server-kit/rate-limit: Token-bucket rate limits in memory or Redis, the client's address, their settings.
export {
  describeTake,
  msUntilFull,
  takeFromBucket,
  type BucketPolicy,
  type BucketState,
  type BucketTake,
  type RateLimitDecision,
} from './token-bucket.js';
export type { RateLimitStore } from './store.js';
export { DEFAULT_MAX_KEYS, MemoryRateLimitStore, type MemoryStoreOptions, type WhenStoreFull } from './memory-store.js';
export { RedisRateLimitStore, type RedisStoreOptions } from './redis-store.js';
export {
  createBucketStores,
  StoreByKind,
  type BucketKinds,
  type BucketStores,
  type BucketStoresOptions,
} from './bucket-stores.js';
export { perMinute, RateLimiter, rateLimitHeaders, RateLimitedError } from './rate-limiter.js';
export { addressKey, CLIENT_ADDRESS_HEADER, clientAddressOf } from './client-address.js';
export { perMinuteSetting, redisUrlSetting } from './settings.js';
