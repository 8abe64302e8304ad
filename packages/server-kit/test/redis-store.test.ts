import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBucketStores, type BucketStores } from '../src/rate-limit/bucket-stores.js';
import { MemoryRateLimitStore } from '../src/rate-limit/memory-store.js';
import { perMinute, RateLimiter } from '../src/rate-limit/rate-limiter.js';
import { RedisRateLimitStore } from '../src/rate-limit/redis-store.js';

// Against the Redis server on this machine (and in CI), each test under its own key prefix.
const REDIS_URL = 'redis://127.0.0.1:6379';
const silent = createLogger({ service: 'router', level: 'silent' });
/** Buckets keyed by who calls, and login buckets keyed by a made-up email, as the router and users keep them. */
const KINDS = { caller: 'evict-least-recent', auth: 'evict-least-recent', login: 'refuse-new' } as const;

let admin: Redis;
const opened: { close(): Promise<void> }[] = [];
let prefix: string;

beforeAll(() => {
  admin = new Redis(REDIS_URL);
});
beforeEach(() => {
  prefix = `test:ratelimit:${randomUUID()}:`;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
});
afterAll(async () => {
  await admin.quit();
});

/** A router replica's store on the shared Redis. */
async function openReplica(): Promise<RedisRateLimitStore> {
  const store = new RedisRateLimitStore({
    url: REDIS_URL,
    keyPrefix: prefix,
    logger: silent,
    fallback: new MemoryRateLimitStore(),
  });
  opened.push(store);
  await store.waitUntilReady();
  return store;
}

describe('the Redis token-bucket store', () => {
  it('shares one bucket between replicas', async () => {
    const clock = () => Date.UTC(2026, 0, 1);
    const [a, b] = [await openReplica(), await openReplica()];
    const onA = new RateLimiter(a, perMinute('caller', 3), clock);
    const onB = new RateLimiter(b, perMinute('caller', 3), clock);

    expect(await onA.take('ip:192.0.2.1')).toMatchObject({ isAllowed: true, remaining: 2 });
    expect(await onB.take('ip:192.0.2.1')).toMatchObject({ isAllowed: true, remaining: 1 });
    expect(await onA.take('ip:192.0.2.1')).toMatchObject({ isAllowed: true, remaining: 0 });
    expect(await onB.take('ip:192.0.2.1')).toMatchObject({ isAllowed: false, remaining: 0, retryAfterSeconds: 20 });
  });

  it('takes atomically: concurrent takes from many connections never overspend', async () => {
    const replicas = await Promise.all(Array.from({ length: 4 }, () => openReplica()));
    const clock = () => Date.UTC(2026, 0, 1);
    const limiters = replicas.map((store) => new RateLimiter(store, perMinute('login', 25), clock));

    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => limiters[i % 4]!.take('account')));

    expect(decisions.filter((decision) => decision.isAllowed)).toHaveLength(25);
  });

  it('refills with time exactly as the memory store does', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const redis = new RateLimiter(await openReplica(), perMinute('caller', 6), () => clock.now);
    const memory = new RateLimiter(new MemoryRateLimitStore(), perMinute('caller', 6), () => clock.now);
    // Bursts, waits shorter and longer than a token's 10 s, a clock step backwards, multi-token takes.
    const steps: [advanceMs: number, cost: number][] = [
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [9_999, 1],
      [1, 1],
      [4_000, 2],
      [25_000, 2],
      [0, 3],
      [-5_000, 1],
      [120_000, 6],
      [0, 1],
      [333, 1],
      [59_667, 4],
    ];

    for (const [advanceMs, cost] of steps) {
      clock.now += advanceMs;
      expect(await redis.take('k', cost)).toEqual(await memory.take('k', cost));
    }
  });

  it('keeps a bucket only until it would be full again, and stores no key for a full one', async () => {
    const limiter = new RateLimiter(await openReplica(), perMinute('caller', 6), Date.now);

    await limiter.take('k');
    const ttl = await admin.pttl(`${prefix}caller:k`);
    expect(ttl).toBeGreaterThan(8_000);
    expect(ttl).toBeLessThanOrEqual(10_000);

    const refused = new RateLimiter(await openReplica(), perMinute('caller', 6), Date.now);
    expect((await refused.take('big', 7)).isAllowed).toBe(false);
    expect(await admin.exists(`${prefix}caller:big`)).toBe(0);
  });

  it('falls back to this replica’s memory while Redis is unreachable, and says so once', async () => {
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger({ service: 'router', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    // Nothing listens on port 1.
    const store = new RedisRateLimitStore({ url: 'redis://127.0.0.1:1', logger, fallback: new MemoryRateLimitStore() });
    opened.push(store);
    await expect(store.waitUntilReady()).rejects.toThrow(/ECONNREFUSED/);
    const limiter = new RateLimiter(store, perMinute('caller', 2), () => Date.UTC(2026, 0, 1));

    const decisions = [await limiter.take('k'), await limiter.take('k'), await limiter.take('k')];

    expect(decisions.map((decision) => decision.isAllowed)).toEqual([true, true, false]);
    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(0));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'rate-limit store unreachable: limiting with this replica’s memory until Redis answers again',
      }),
    ]);
  });

  it('keeps each kind of bucket under its own key prefix, so one kind never touches another', async () => {
    const stores = createBucketStores({ kinds: KINDS, redisUrl: REDIS_URL, redisKeyPrefix: prefix, logger: silent });
    opened.push(stores);
    await stores.redis!.waitUntilReady();
    const clock = () => Date.UTC(2026, 0, 1);
    const [caller, auth, login] = ['caller', 'auth', 'login'].map(
      (kind) => new RateLimiter(stores.store, perMinute(kind, 2), clock),
    );

    await auth!.take('ip:192.0.2.1', 2);
    await login!.take('0123abcd');

    expect(await caller!.take('ip:192.0.2.1')).toMatchObject({ isAllowed: true, remaining: 1 });
    expect((await auth!.take('ip:192.0.2.1')).isAllowed).toBe(false);
    expect((await admin.keys(`${prefix}*`)).sort()).toEqual([
      `${prefix}auth:ip:192.0.2.1`,
      `${prefix}caller:ip:192.0.2.1`,
      `${prefix}login:0123abcd`,
    ]);
  });

  it('falls back to one memory store per kind while Redis is unreachable, where a flood of keys cannot refill a login bucket', async () => {
    const lines: { level: string; msg: string; buckets?: string }[] = [];
    const logger = createLogger({ service: 'router', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const stores: BucketStores<keyof typeof KINDS> = createBucketStores({
      kinds: KINDS,
      redisUrl: 'redis://127.0.0.1:1',
      logger,
      maxKeysPerStore: 3,
    });
    opened.push(stores);
    await expect(stores.redis!.waitUntilReady()).rejects.toThrow(/ECONNREFUSED/);
    const clock = () => Date.UTC(2026, 0, 1);
    const callers = new RateLimiter(stores.store, perMinute('caller', 100), clock);
    const logins = new RateLimiter(stores.store, perMinute('login', 2), clock);
    await logins.take('victim', 2);

    for (let i = 0; i < 10; i += 1) {
      await callers.take(`ip:198.51.100.${i}`);
      await logins.take(`random-${i}`);
    }

    expect(stores.memory.caller.size).toBe(3);
    expect(await logins.take('victim')).toMatchObject({ isAllowed: false, retryAfterSeconds: 30 });
    // The refusals of new accounts are said once, not once per request.
    expect(lines.filter((line) => line.msg.startsWith('rate-limit store full'))).toEqual([
      expect.objectContaining({ level: 'warn', buckets: 'login' }),
    ]);
  });
});
