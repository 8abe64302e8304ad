import { isIP } from 'node:net';
import { z } from 'zod';
import { redisUrlSetting } from '@supergraph/server-kit/rate-limit';
import { parseSettings } from '@supergraph/server-kit/settings';

const wholeNumber = (name: string, { min, max, fallback }: { min: number; max: number; fallback: number }) =>
  z.coerce
    .number({ error: `must be a ${name}` })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

// The `bytes` package's notation, as express.json takes it; bounded so a typo cannot open the door wide.
const BODY_LIMIT = /^(\d+)(b|kb|mb)$/i;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const bodyLimitSetting = z
  .string()
  .trim()
  .default('100kb')
  .refine((value) => BODY_LIMIT.test(value), { error: 'must be a size such as 100kb, 512b or 1mb' })
  .refine((value) => toBytes(value) >= 1024 && toBytes(value) <= MAX_BODY_BYTES, {
    error: 'must be between 1kb and 10mb',
  });

function toBytes(value: string): number {
  const [, amount = '0', unit = 'b'] = BODY_LIMIT.exec(value) ?? [];
  return Number(amount) * ({ b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase()] ?? 1);
}

// Express's `trust proxy` presets and addresses (optionally with a /prefix).
const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/** false, a hop count, or the proxies' addresses: what express's `trust proxy` accepts, minus "trust everyone". */
const trustProxySetting = z
  .string()
  .trim()
  .default('false')
  .transform((value, ctx): false | number | string[] => {
    if (value === 'false' || value === '') return false;
    if (/^\d+$/.test(value)) return Number(value);
    if (value === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would believe any X-Forwarded-For a client sends; give the number of proxies in front of the router or their addresses',
      });
      return z.NEVER;
    }
    const entries = value.split(',').map((entry) => entry.trim());
    if (!entries.every(isProxyAddress)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be false, a number of proxy hops, or a comma-separated list of IPs, CIDRs, loopback, linklocal, uniquelocal',
      });
      return z.NEVER;
    }
    return entries;
  });

/**
 * The router's request bounds and rate limits, in the variables' own names. Spread it into the
 * router's settings schema and map the result with readLimitSettings, or parse on its own with
 * parseLimitSettings.
 */
export const limitSettingsShape = {
  QUERY_MAX_DEPTH: wholeNumber('depth', { min: 1, max: 100, fallback: 10 }),
  QUERY_MAX_ALIASES: wholeNumber('number of aliases', { min: 0, max: 1000, fallback: 15 }),
  QUERY_MAX_DIRECTIVES: wholeNumber('number of directives', { min: 0, max: 1000, fallback: 20 }),
  QUERY_MAX_TOKENS: wholeNumber('number of tokens', { min: 50, max: 100_000, fallback: 1000 }),
  QUERY_MAX_COST: wholeNumber('cost', { min: 1, max: 1_000_000_000, fallback: 10_000 }),
  REQUEST_BODY_LIMIT: bodyLimitSetting,
  RATE_LIMIT_PER_MINUTE: wholeNumber('number of requests', { min: 1, max: 1_000_000, fallback: 300 }),
  REDIS_URL: redisUrlSetting,
  TRUST_PROXY: trustProxySetting,
  MAX_CONCURRENT_REQUESTS: wholeNumber('number of requests', { min: 1, max: 100_000, fallback: 64 }),
  MAX_QUEUED_REQUESTS: wholeNumber('number of requests', { min: 0, max: 100_000, fallback: 32 }),
  MAX_QUEUE_WAIT_MS: wholeNumber('number of milliseconds', { min: 1, max: 60_000, fallback: 2000 }),
};

const limitSettingsSchema = z.looseObject(limitSettingsShape);

type RawLimitSettings = z.output<typeof limitSettingsSchema>;

/** The nested, camelCase form of the limit settings. */
export function readLimitSettings(raw: RawLimitSettings) {
  return {
    /** What one operation may ask for; checked before planning, so no subgraph sees a rejected one. */
    query: {
      /** QUERY_MAX_DEPTH, default 10: nesting of fields, fragments flattened. */
      maxDepth: raw.QUERY_MAX_DEPTH,
      /** QUERY_MAX_ALIASES, default 15 (`__typename` aliases are free). */
      maxAliases: raw.QUERY_MAX_ALIASES,
      /** QUERY_MAX_DIRECTIVES, default 20. */
      maxDirectives: raw.QUERY_MAX_DIRECTIVES,
      /** QUERY_MAX_TOKENS, default 1000: lexical tokens of the document, counted before parsing. */
      maxTokens: raw.QUERY_MAX_TOKENS,
      /** QUERY_MAX_COST, default 10000: the estimate of operation-cost.ts (objects, times page sizes). */
      maxCost: raw.QUERY_MAX_COST,
    },
    /** REQUEST_BODY_LIMIT, default 100kb: a larger body is answered 413 before it is parsed. */
    bodyLimit: raw.REQUEST_BODY_LIMIT,
    rateLimits: {
      /**
       * RATE_LIMIT_PER_MINUTE, default 300: requests per client IP, and per user for a signed-in caller
       * (both buckets are charged; the emptier one decides); also the burst.
       */
      perCallerPerMinute: raw.RATE_LIMIT_PER_MINUTE,
      /** REDIS_URL, default none: buckets live in this process's memory; set, every replica shares them. */
      redisUrl: raw.REDIS_URL ?? null,
    },
    /** TRUST_PROXY, default false: which proxies' X-Forwarded-For to believe for the client's IP. */
    trustProxy: raw.TRUST_PROXY,
    /** Load shedding (overload.ts): GraphQL requests past these bounds are answered 503 OVERLOADED. */
    overload: {
      /** MAX_CONCURRENT_REQUESTS, default 64: GraphQL requests in progress at once, for a 2-core machine. */
      maxConcurrent: raw.MAX_CONCURRENT_REQUESTS,
      /** MAX_QUEUED_REQUESTS, default 32: requests waiting for a place; one more is refused at once. */
      maxQueued: raw.MAX_QUEUED_REQUESTS,
      /** MAX_QUEUE_WAIT_MS, default 2000: how long a request waits for a place before it is refused. */
      maxWaitMs: raw.MAX_QUEUE_WAIT_MS,
    },
  };
}

export type LimitSettings = ReturnType<typeof readLimitSettings>;

/** The limit settings from any variable source (tests pass their own); throws naming every bad variable. */
export function parseLimitSettings(source: Record<string, string | undefined>): LimitSettings {
  return readLimitSettings(parseSettings(limitSettingsSchema, source));
}
