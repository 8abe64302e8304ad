import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, type MemoryStoreOptions } from '../src/rate-limit/memory-store.js';
import { perMinute, RateLimiter, rateLimitHeaders } from '../src/rate-limit/rate-limiter.js';

/** A limiter of `budget` per minute over memory, on a clock the test moves. */
function createLimiter(budget: number, options: MemoryStoreOptions = {}) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const store = new MemoryRateLimitStore(options);
  const limiter = new RateLimiter(store, perMinute('caller', budget), () => clock.now);
  return { limiter, store, clock };
}

async function takeMany(limiter: RateLimiter, key: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i += 1) decisions.push(await limiter.take(key));
  return decisions;
}

describe('the token bucket', () => {
  it('allows a burst of its capacity, then refuses with the time until the next token', async () => {
    const { limiter } = createLimiter(6);

    const decisions = await takeMany(limiter, 'ip:203.0.113.7', 7);

    expect(decisions.map((decision) => decision.isAllowed)).toEqual([true, true, true, true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([5, 4, 3, 2, 1, 0, 0]);
    // 6 per minute: one token every 10 s, a full bucket after 60 s.
    expect(decisions[6]).toMatchObject({ retryAfterSeconds: 10, resetSeconds: 60 });
  });

  it('refills continuously: one token per minute/capacity, never above capacity', async () => {
    const { limiter, clock } = createLimiter(6);
    await takeMany(limiter, 'k', 6);

    clock.now += 9_999;
    expect((await limiter.take('k')).isAllowed).toBe(false);
    clock.now += 1;
    expect(await limiter.take('k')).toMatchObject({ isAllowed: true, remaining: 0 });

    clock.now += 10 * 60_000;
    const afterIdle = await takeMany(limiter, 'k', 7);
    expect(afterIdle.filter((decision) => decision.isAllowed)).toHaveLength(6);
  });

  it('counts Retry-After from what is missing: half a token missing is half the interval, rounded up', async () => {
    const { limiter, clock } = createLimiter(60);
    await takeMany(limiter, 'k', 60);
    clock.now += 500;

    const refused = await limiter.take('k');

    expect(refused).toMatchObject({ isAllowed: false, remaining: 0, retryAfterSeconds: 1 });
  });

  it('keeps one bucket per key', async () => {
    const { limiter } = createLimiter(2);
    await takeMany(limiter, 'user:a', 2);

    expect((await limiter.take('user:a')).isAllowed).toBe(false);
    expect((await limiter.take('user:b')).isAllowed).toBe(true);
  });

  it('takes several tokens at once, and refuses a take larger than what is left without spending any', async () => {
    const { limiter } = createLimiter(5);

    expect(await limiter.take('k', 3)).toMatchObject({ isAllowed: true, remaining: 2 });
    expect(await limiter.take('k', 3)).toMatchObject({ isAllowed: false, remaining: 2, retryAfterSeconds: 12 });
    expect(await limiter.take('k', 2)).toMatchObject({ isAllowed: true, remaining: 0 });
  });

  it('does not drain a bucket when the clock goes backwards', async () => {
    const { limiter, clock } = createLimiter(2);
    await limiter.take('k');
    clock.now -= 30_000;

    expect(await limiter.take('k')).toMatchObject({ isAllowed: true, remaining: 0 });
  });

  it('forgets buckets once they are full again, and keeps at most maxKeys', async () => {
    const { limiter, store, clock } = createLimiter(6, { maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await limiter.take(key);
    expect(store.size).toBe(3);

    clock.now += 60_000;
    store.sweep(clock.now);
    expect(store.size).toBe(0);
  });

  it('forgets buckets that are full again before it evicts a live one', async () => {
    // 2 per minute: a token every 30 s.
    const { limiter, clock } = createLimiter(2, { maxKeys: 3 });
    await takeMany(limiter, 'drained', 2); // empty, full again in 60 s
    clock.now += 10_000;
    await limiter.take('once'); // half full, full again in 30 s
    await takeMany(limiter, 'other', 2);
    clock.now += 35_000; // `once` is full again; `drained` has refilled 1.5 tokens

    await limiter.take('new'); // a fourth key: room is made by forgetting `once`, not by evicting `drained`

    expect(await limiter.take('drained', 2)).toMatchObject({ isAllowed: false, remaining: 1 });
  });

  it('with whenFull: refuse-new, refuses new keys rather than evict a live bucket, so a flood cannot refill one', async () => {
    const { limiter, store, clock } = createLimiter(2, { maxKeys: 3, whenFull: 'refuse-new' });
    await takeMany(limiter, 'victim@example.com', 2);

    const flood = [];
    for (let i = 0; i < 10; i += 1) flood.push((await limiter.take(`random-${i}@example.com`)).isAllowed);

    expect(flood).toEqual([true, true, false, false, false, false, false, false, false, false]);
    expect(store.size).toBe(3);
    expect((await limiter.take('victim@example.com')).isAllowed).toBe(false);
    // Room comes back as buckets fill up again, at their own pace: the random ones after 30 s, the victim's after 60 s.
    clock.now += 30_000;
    expect((await limiter.take('someone@example.com')).isAllowed).toBe(true);
    expect(await limiter.take('victim@example.com')).toMatchObject({ isAllowed: true, remaining: 0 });
    expect((await limiter.take('victim@example.com')).isAllowed).toBe(false);
  });

  it('evicts the least recently used live bucket by default, when every kept bucket is live', async () => {
    const { limiter, store } = createLimiter(1, { maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) await limiter.take(key);

    expect(store.size).toBe(2);
    expect((await limiter.take('a')).isAllowed).toBe(true);
    expect((await limiter.take('c')).isAllowed).toBe(false);
  });

  it('describes a decision in the RateLimit headers of the IETF draft, with Retry-After when refused', async () => {
    const { limiter } = createLimiter(2);

    expect(rateLimitHeaders(await limiter.take('k'))).toEqual({
      RateLimit: 'limit=2, remaining=1, reset=30',
      'RateLimit-Policy': '2;w=60',
    });
    await limiter.take('k');
    expect(rateLimitHeaders(await limiter.take('k'))).toEqual({
      RateLimit: 'limit=2, remaining=0, reset=60',
      'RateLimit-Policy': '2;w=60',
      'Retry-After': '30',
    });
  });
});
