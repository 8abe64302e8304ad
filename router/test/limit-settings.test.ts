import { describe, expect, it } from 'vitest';
import { parseLimitSettings } from '../src/limit-settings.js';

describe('limit settings', () => {
  it('default to the documented limits, in-memory buckets and no trusted proxy', () => {
    expect(parseLimitSettings({})).toEqual({
      query: { maxDepth: 10, maxAliases: 15, maxDirectives: 20, maxTokens: 1000, maxCost: 10_000 },
      bodyLimit: '100kb',
      rateLimits: { perCallerPerMinute: 300, redisUrl: null },
      trustProxy: false,
      overload: { maxConcurrent: 64, maxQueued: 32, maxWaitMs: 2000 },
    });
  });

  it('read every variable', () => {
    const settings = parseLimitSettings({
      QUERY_MAX_DEPTH: '12',
      QUERY_MAX_ALIASES: '0',
      QUERY_MAX_DIRECTIVES: '5',
      QUERY_MAX_TOKENS: '2000',
      QUERY_MAX_COST: '50000',
      REQUEST_BODY_LIMIT: '1mb',
      RATE_LIMIT_PER_MINUTE: '600',
      REDIS_URL: 'rediss://user:secret@redis.internal:6380/2',
      TRUST_PROXY: '2',
      MAX_CONCURRENT_REQUESTS: '8',
      MAX_QUEUED_REQUESTS: '0',
      MAX_QUEUE_WAIT_MS: '500',
    });

    expect(settings).toEqual({
      query: { maxDepth: 12, maxAliases: 0, maxDirectives: 5, maxTokens: 2000, maxCost: 50_000 },
      bodyLimit: '1mb',
      rateLimits: {
        perCallerPerMinute: 600,
        redisUrl: 'rediss://user:secret@redis.internal:6380/2',
      },
      trustProxy: 2,
      overload: { maxConcurrent: 8, maxQueued: 0, maxWaitMs: 500 },
    });
  });

  it('take trusted proxies as addresses, CIDRs and express presets', () => {
    expect(parseLimitSettings({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 203.0.113.9' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '203.0.113.9',
    ]);
  });

  it('refuse bad values, naming each variable', () => {
    expect(() =>
      parseLimitSettings({
        QUERY_MAX_DEPTH: '0',
        QUERY_MAX_COST: 'lots',
        REQUEST_BODY_LIMIT: '100 gigabytes',
        RATE_LIMIT_PER_MINUTE: '1.5',
        REDIS_URL: 'http://redis:6379',
        TRUST_PROXY: 'everyone',
      }),
    ).toThrow(
      /QUERY_MAX_DEPTH: must be at least 1[\s\S]*QUERY_MAX_COST: must be a cost[\s\S]*REQUEST_BODY_LIMIT: must be a size[\s\S]*RATE_LIMIT_PER_MINUTE: must be a whole number[\s\S]*REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL[\s\S]*TRUST_PROXY: must be false, a number of proxy hops/,
    );
  });

  it('refuse TRUST_PROXY=true, which would let any client choose its address', () => {
    expect(() => parseLimitSettings({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would believe any X-Forwarded-For/);
  });

  it('refuse a body limit below 1kb or above 10mb', () => {
    expect(() => parseLimitSettings({ REQUEST_BODY_LIMIT: '100b' })).toThrow(/REQUEST_BODY_LIMIT: must be between 1kb and 10mb/);
    expect(() => parseLimitSettings({ REQUEST_BODY_LIMIT: '11mb' })).toThrow(/REQUEST_BODY_LIMIT: must be between 1kb and 10mb/);
  });
});
