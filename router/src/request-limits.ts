import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { MAX_PAGE_SIZE } from '@supergraph/server-kit/graphql';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { Express, RequestHandler } from 'express';
import { getVariableValues } from 'graphql';
import {
  OperationNotResolvedError,
  PageSizeTooLargeError,
  QueryTooCostlyError,
  UnsupportedOperationTypeError,
} from './errors.js';
import type { LimitSettings } from './limit-settings.js';
import { measureOperation, type OperationMeasure } from './operation-cost.js';
import { createShapeLimits } from './query-shape-limits.js';
import { checkAccountMutationCount, findAccountMutations, limitAccountMutations } from './rate-limit/account-limit.js';
import { createBucketStores } from './rate-limit/bucket-stores.js';
import { addressKey, limitCallers, rememberClientAddress } from './rate-limit/caller-limit.js';
import { findLoginAccounts, limitLoginAttempts } from './rate-limit/login-limit.js';
import { perMinute, RateLimiter } from './rate-limit/rate-limiter.js';
import type { RateLimitStore } from './rate-limit/store.js';
import { limitTokens } from './token-limit.js';

export interface RequestLimitsOptions {
  logger: Logger;
  /** Production masks field suggestions in error messages. */
  isProduction: boolean;
  /** Epoch milliseconds, for the token buckets. Default Date.now. */
  clock?: () => number;
  /**
   * Where every kind of bucket lives. Default: one memory store per kind (caller, auth, login), or
   * Redis when REDIS_URL is set, falling back to those while it is unreachable (bucket-stores.ts).
   */
  store?: RateLimitStore;
  /** Most live buckets each memory store keeps. Default 100000 (tests lower it). */
  maxKeysPerStore?: number;
}

/** What the router plugs into its HTTP service (see createRouter). */
export interface RequestLimits {
  /** REQUEST_BODY_LIMIT, for createGraphQLService's `bodyLimit`: a larger body is answered 413. */
  bodyLimit: string;
  /**
   * Express handlers for /graphql, to run after authentication (a signed-in caller is charged per user
   * as well as per IP): the per-caller rate limits (429), then the token limit (400).
   */
  middleware: RequestHandler[];
  /**
   * Apollo Server plugins, before planning: depth, aliases, directives, account mutations per
   * operation, page sizes, cost (400), then account mutations per IP and login attempts per account (429).
   */
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
 * 2. the caller's rate limit: per IP, and per user too when signed in (429);
 * 3. tokens in the operation text, before parsing (400 TOO_MANY_TOKENS);
 * 4. after Apollo Server parses and validates: depth, aliases, directives (graphql-armor); at most one
 *    account mutation (register, login, refreshToken, changePassword: 400 TOO_MANY_ACCOUNT_MUTATIONS);
 *    then, with the variables applied, page sizes (`first` and `last` at most MAX_PAGE_SIZE) and the estimated
 *    cost (400);
 * 5. for an account mutation, the client IP's auth bucket, signed in or not (429); for `login`, then,
 *    attempts per account, whoever calls (429 or, when one operation could never fit, 400).
 */
export function createRequestLimits(settings: LimitSettings, options: RequestLimitsOptions): RequestLimits {
  const clock = options.clock ?? Date.now;
  const stores = options.store
    ? null
    : createBucketStores({
        redisUrl: settings.rateLimits.redisUrl,
        logger: options.logger,
        maxKeysPerStore: options.maxKeysPerStore,
      });
  const store = options.store ?? stores!.store;
  const sweeper = setInterval(() => stores?.sweep(clock()), 60_000);
  sweeper.unref();

  // The policy names are the bucket kinds, so each kind has its own store and Redis prefix.
  const callers = new RateLimiter(store, perMinute('caller', settings.rateLimits.perCallerPerMinute), clock);
  const accountOperations = new RateLimiter(store, perMinute('auth', settings.rateLimits.authPerAddressPerMinute), clock);
  const logins = new RateLimiter(store, perMinute('login', settings.rateLimits.loginPerAccountPerMinute), clock);
  // The client's address, from the express request to the plugin below, which has no express request.
  const clientAddresses = new AsyncLocalStorage<string>();
  const shape = createShapeLimits(settings.query, { isProduction: options.isProduction });
  const { maxCost } = settings.query;

  const operationLimits: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const refusal = shape.check(schema, document);
          if (refusal) throw refusal;
          // Apollo Server leaves these to the executor, on which @apollo/gateway throws (a 500).
          if (!operation) throw new OperationNotResolvedError(request.operationName ?? undefined);
          const rootType = schema.getRootType(operation.operation);
          if (!rootType) throw new UnsupportedOperationTypeError(operation.operation);
          const accountMutations = findAccountMutations(document, operation);
          checkAccountMutationCount(accountMutations);
          const { coerced: variables } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not fit their types: the gateway refuses them itself before planning.
          if (!variables) return;

          checkOperationCost(measureOperation(schema, document, operation, variables, { maxPageSize: MAX_PAGE_SIZE }), maxCost);
          // The address first: a client past its budget spends no account's login budget.
          await limitAccountMutations(accountOperations, clientAddresses.getStore() ?? addressKey(undefined), accountMutations);
          await limitLoginAttempts(logins, findLoginAccounts(schema, document, operation, variables));
        },
      };
    },
  };

  return {
    bodyLimit: settings.bodyLimit,
    middleware: [rememberClientAddress(clientAddresses), limitCallers(callers), limitTokens(settings.query.maxTokens)],
    plugins: [...shape.plugins, operationLimits],
    applyTo(app) {
      app.set('trust proxy', settings.trustProxy);
    },
    async close() {
      clearInterval(sweeper);
      await store.close();
    },
  };
}

/** Refuses an operation whose page is larger than a page may be, or whose estimated cost is above the limit. */
function checkOperationCost({ cost, largestPage }: OperationMeasure, maxCost: number): void {
  if (largestPage && largestPage.size > MAX_PAGE_SIZE) throw new PageSizeTooLargeError(largestPage, MAX_PAGE_SIZE);
  if (cost > maxCost) throw new QueryTooCostlyError(cost, maxCost);
}
