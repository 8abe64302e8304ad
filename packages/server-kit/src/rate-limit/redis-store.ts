import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../telemetry/logger.js';
import type { RateLimitStore } from './store.js';
import type { BucketPolicy, BucketTake } from './token-bucket.js';

/**
 * takeFromBucket (token-bucket.ts) in Lua, so that the read, the refill and the write happen as one
 * step on the Redis server however many replicas take from the same bucket at once. The
 * bucket is a hash {tokens, ts}; it expires when it would be full again, and a full bucket is
 * deleted rather than written. Tokens come back as a string: Redis truncates Lua numbers to integers.
 *
 * KEYS[1] the bucket; ARGV capacity, window (ms), cost, now (epoch ms).
 */
const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now < ts then now = ts end
tokens = math.min(capacity, tokens + ((now - ts) * capacity) / window)
local allowed = 0
if tokens + 1e-9 >= cost then
  allowed = 1
  tokens = math.max(0, tokens - cost)
end
local until_full = math.ceil(((capacity - tokens) * window) / capacity)
if until_full > 0 then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[1], until_full)
else
  redis.call('DEL', KEYS[1])
end
return {allowed, string.format('%.17g', tokens)}
`;
const TOKEN_BUCKET_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');

export interface RedisStoreOptions {
  /** REDIS_URL. */
  url: string;
  /** Put before every key, so several deployments (or tests) can share one Redis. Default `supergraph:ratelimit:`. */
  keyPrefix?: string;
  logger: Logger;
  /** Where buckets go while Redis cannot be reached: this replica's own memory. */
  fallback: RateLimitStore;
  /** Longest wait for Redis before a request falls back, in ms. Default 250. */
  commandTimeoutMs?: number;
  /** The connection's name, as CLIENT LIST shows it. Default `supergraph-rate-limits`. */
  connectionName?: string;
}

/**
 * Buckets in Redis, shared by every replica of a service. When Redis cannot be reached (not connected,
 * slow past commandTimeoutMs, or erroring), each request is limited by the fallback store instead,
 * so limits stay on, per replica, and the service keeps serving (docs/decisions/012). The outage is
 * logged once at warn when it starts and once at info when Redis is back.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: Redis;
  private readonly keyPrefix: string;
  private readonly logger: Logger;
  private readonly fallback: RateLimitStore;
  private isDegraded = false;

  constructor({
    url,
    keyPrefix = 'supergraph:ratelimit:',
    logger,
    fallback,
    commandTimeoutMs = 250,
    connectionName = 'supergraph-rate-limits',
  }: RedisStoreOptions) {
    this.keyPrefix = keyPrefix;
    this.logger = logger;
    this.fallback = fallback;
    this.client = new Redis(url, {
      // Fail at once while disconnected instead of queueing: the fallback answers, not a timeout.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
      connectionName,
    });
    this.client.on('error', (error: Error) => this.degrade(error));
    this.client.on('ready', () => this.recover());
  }

  async take(key: string, policy: BucketPolicy, cost: number, now: number): Promise<BucketTake> {
    // Still connecting (start-up) or reconnecting: the 'error' event has logged why, if anything failed.
    if (this.client.status !== 'ready') return this.fallback.take(key, policy, cost, now);
    try {
      const take = await this.runScript(this.keyPrefix + key, [policy.capacity, policy.windowMs, cost, Math.floor(now)]);
      this.recover();
      return take;
    } catch (error) {
      this.degrade(error as Error);
      return this.fallback.take(key, policy, cost, now);
    }
  }

  /** Resolves once connected to Redis; rejects with the connection error if the first attempt fails. */
  waitUntilReady(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onReady = () => {
        this.client.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.client.off('ready', onReady);
        reject(error);
      };
      this.client.once('ready', onReady);
      this.client.once('error', onError);
    });
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  /** EVALSHA, and EVAL when this Redis has not cached the script yet (first use, restart, failover). */
  private async runScript(key: string, args: number[]): Promise<BucketTake> {
    let reply: unknown;
    try {
      reply = await this.client.evalsha(TOKEN_BUCKET_SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await this.client.eval(TOKEN_BUCKET_SCRIPT, 1, key, ...args);
    }
    const [allowed, tokens] = reply as [number, string];
    return { isAllowed: allowed === 1, tokens: Number(tokens) };
  }

  private degrade(error: Error): void {
    if (this.isDegraded) return;
    this.isDegraded = true;
    this.logger.warn(
      { err: error },
      'rate-limit store unreachable: limiting with this replica’s memory until Redis answers again',
    );
  }

  private recover(): void {
    if (!this.isDegraded) return;
    this.isDegraded = false;
    this.logger.info('rate-limit store reachable again: buckets are shared through Redis');
  }
}
