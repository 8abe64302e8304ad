import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { MAX_PAGE_SIZE, type Logger } from '@supergraph/server-kit';
import type { Express, RequestHandler } from 'express';
import { getVariableValues } from 'graphql';
import { QueryLimitError } from './limit-errors.js';
import type { LimitSettings } from './limit-settings.js';
import { measureOperation } from './operation-cost.js';
import { createShapeLimits } from './query-shape-limits.js';
import { limitCallers } from './rate-limit/caller-limit.js';
import { findLoginAccounts, limitLoginAttempts } from './rate-limit/login-limit.js';
import { MemoryRateLimitStore } from './rate-limit/memory-store.js';
import { perMinute, RateLimiter } from './rate-limit/rate-limiter.js';
import { RedisRateLimitStore } from './rate-limit/redis-store.js';
import type { RateLimitStore } from './rate-limit/store.js';
import { limitTokens } from './token-limit.js';

export interface RequestLimitsOptions {
  logger: Logger;
  /** Production masks field suggestions in error messages. */
  isProduction: boolean;
  /** Epoch milliseconds, for the token buckets. Default Date.now. */
  clock?: () => number;
  /** Where buckets live. Default: Redis when REDIS_URL is set (this process's memory while it is unreachable), else memory. */
  store?: RateLimitStore;
}

/** What the router plugs into its HTTP service (see createRouter). */
export interface RequestLimits {
  /** REQUEST_BODY_LIMIT, for createGraphQLService's `bodyLimit`: a larger body is answered 413. */
  bodyLimit: string;
  /**
   * Express handlers for /graphql, to run after authentication (the caller's bucket is the user's
   * when signed in): the per-caller rate limit (429), then the token limit (400).
   */
  middleware: RequestHandler[];
  /** Apollo Server plugins: depth, aliases, directives, page sizes, cost (400) and login attempts (429), before planning. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Applies TRUST_PROXY, so that `req.ip` is the client's address behind the proxies it names. */
  applyTo(app: Express): void;
  /** Closes the Redis connection and timers; for the service's onShutdown. */
  close(): Promise<void>;
}

/**
 * Every bound on a request the router enforces, in the order a request meets them, each answered
 * before any subgraph is called:
 *
 * 1. body size (413, express.json in server-kit, with `bodyLimit`);
 * 2. the caller's rate limit: per user when signed in, per IP otherwise (429);
 * 3. tokens in the operation text, before parsing (400 TOO_MANY_TOKENS);
 * 4. after Apollo Server parses and validates: depth, aliases, directives (graphql-armor), then, with
 *    the variables applied, page sizes (`first` at most MAX_PAGE_SIZE) and the estimated cost (400);
 * 5. for `login`, attempts per account, whoever calls (429).
 */
export function createRequestLimits(settings: LimitSettings, options: RequestLimitsOptions): RequestLimits {
  const clock = options.clock ?? Date.now;
  const memory = new MemoryRateLimitStore();
  const store =
    options.store ??
    (settings.rateLimits.redisUrl
      ? new RedisRateLimitStore({ url: settings.rateLimits.redisUrl, logger: options.logger, fallback: memory })
      : memory);
  const sweeper = setInterval(() => memory.sweep(clock()), 60_000);
  sweeper.unref();

  const callers = new RateLimiter(store, perMinute('caller', settings.rateLimits.perCallerPerMinute), clock);
  const logins = new RateLimiter(store, perMinute('login', settings.rateLimits.loginPerAccountPerMinute), clock);
  const shape = createShapeLimits(settings.query, { isProduction: options.isProduction });
  const { maxCost } = settings.query;

  const operationLimits: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const refusal = shape.check(schema, document);
          if (refusal) throw refusal;
          if (!operation) return; // Apollo Server answers "unknown operation" itself
          const { coerced: variables } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not fit their types: the gateway refuses them itself before planning.
          if (!variables) return;

          const { cost, largestPage } = measureOperation(schema, document, operation, variables, { maxPageSize: MAX_PAGE_SIZE });
          if (largestPage && largestPage.size > MAX_PAGE_SIZE) {
            throw new QueryLimitError(
              `\`first\` is ${largestPage.size} on ${largestPage.path}; a page holds at most ${MAX_PAGE_SIZE}.`,
              'PAGE_SIZE_TOO_LARGE',
              MAX_PAGE_SIZE,
            );
          }
          if (cost > maxCost) {
            throw new QueryLimitError(
              `The operation's estimated cost is ${cost}, above the limit of ${maxCost}: ask for smaller pages or fewer nested lists.`,
              'QUERY_TOO_COSTLY',
              maxCost,
            );
          }
          await limitLoginAttempts(logins, findLoginAccounts(schema, document, operation, variables));
        },
      };
    },
  };

  return {
    bodyLimit: settings.bodyLimit,
    middleware: [limitCallers(callers), limitTokens(settings.query.maxTokens)],
    plugins: [...shape.plugins, operationLimits],
    applyTo(app) {
      app.set('trust proxy', settings.trustProxy);
    },
    async close() {
      clearInterval(sweeper);
      await store.close();
      if (store !== memory) await memory.close();
    },
  };
}
