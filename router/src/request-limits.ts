import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { MAX_PAGE_SIZE } from '@supergraph/server-kit/graphql';
import { createBucketStores, perMinute, RateLimiter, type RateLimitStore } from '@supergraph/server-kit/rate-limit';
import type { Logger } from '@supergraph/server-kit/telemetry';
import { withSpan } from '@supergraph/server-kit/tracing';
import type { Express, RequestHandler } from 'express';
import { getVariableValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  OperationNotResolvedError,
  PageSizeTooLargeError,
  QueryTooCostlyError,
  UnsupportedOperationTypeError,
} from './errors.js';
import type { LimitSettings } from './limit-settings.js';
import { measureOperation, type OperationMeasure } from './operation-cost.js';
import { createShapeLimits } from './query-shape-limits.js';
import { checkAccountMutationCount, findAccountMutations } from './rate-limit/account-limit.js';
import { takeCallerBudgets } from './rate-limit/caller-limit.js';
import { subgraphRateLimitsPlugin } from './rate-limit/subgraph-rate-limits.js';
import { createTokenCheck } from './token-limit.js';

/** The tracer of the router's own spans. */
const ROUTER_TRACER = '@supergraph/router';

export interface RequestLimitsOptions {
  logger: Logger;
  /** Production masks field suggestions in error messages. */
  isProduction: boolean;
  /** Epoch milliseconds, for the token buckets. Default Date.now. */
  clock?: () => number;
  /**
   * Where the caller buckets live. Default: this process's memory, or Redis when REDIS_URL is set,
   * falling back to memory while it is unreachable (server-kit's createBucketStores).
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
   * as well as per IP): the per-caller rate limits (429), then the token limit (400), in one handler.
   */
  middleware: RequestHandler;
  /**
   * Apollo Server plugins: before planning, depth, aliases, directives, account mutations per
   * operation, page sizes, cost (400); after execution, a subgraph's RATE_LIMITED as a 429.
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
 *
 * Account mutations per client address and login attempts per account are limited by the users
 * service itself, so that they hold behind any router (decision 022): the router forwards the
 * client's address (x-client-address) and answers the service's RATE_LIMITED with 429.
 */
export function createRequestLimits(settings: LimitSettings, options: RequestLimitsOptions): RequestLimits {
  const clock = options.clock ?? Date.now;
  const stores = options.store
    ? null
    : createBucketStores({
        redisUrl: settings.rateLimits.redisUrl,
        logger: options.logger,
        maxKeysPerStore: options.maxKeysPerStore,
        // Keyed by who calls (address, user): evicting one hands out nothing an attacker's own addresses don't already have.
        kinds: { caller: 'evict-least-recent' },
        connectionName: 'supergraph-router-rate-limits',
      });
  const store = options.store ?? stores!.store;
  const sweeper = setInterval(() => stores?.sweep(clock()), 60_000);
  sweeper.unref();

  // The policy's name is the bucket kind, its store and its Redis prefix.
  const callers = new RateLimiter(store, perMinute('caller', settings.rateLimits.perCallerPerMinute), clock);
  const shape = createShapeLimits(settings.query, { isProduction: options.isProduction });
  const { maxCost } = settings.query;

  const measures = createMeasureMemo();
  // One listener for every request: the hook reads all it needs from the request's context.
  const operationLimitsListener: GraphQLRequestListener<BaseContext> = {
    // One span for every check, between validation and planning in the request's trace; a
    // refusal ends it with error status and its code as `error.type`.
    didResolveOperation: ({ schema, document, operation, request }) =>
      withSpan('router.limits', { tracer: ROUTER_TRACER }, async () => {
        const refusal = shape.check(schema, document);
        if (refusal) throw refusal;
        // Apollo Server leaves these to the executor, on which @apollo/gateway throws (a 500).
        if (!operation) throw new OperationNotResolvedError(request.operationName ?? undefined);
        const rootType = schema.getRootType(operation.operation);
        if (!rootType) throw new UnsupportedOperationTypeError(operation.operation);
        checkAccountMutationCount(findAccountMutations(document, operation));
        const { coerced: variables } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
        // Variables that do not fit their types: the gateway refuses them itself before planning.
        if (!variables) return;

        checkOperationCost(
          measures.measure(schema, document, operation, variables, () =>
            measureOperation(schema, document, operation, variables, { maxPageSize: MAX_PAGE_SIZE }),
          ),
          maxCost,
        );
      }),
  };
  const operationLimits: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => operationLimitsListener,
  };
  const checkTokens = createTokenCheck(settings.query.maxTokens);
  // The caller's budgets, then the tokens of the operation text, in one handler.
  const limitRequest: RequestHandler = async (req, res, next) => {
    if ((await takeCallerBudgets(callers, req, res)) && checkTokens(req, res)) next();
  };

  return {
    bodyLimit: settings.bodyLimit,
    middleware: limitRequest,
    plugins: [...shape.plugins, operationLimits, subgraphRateLimitsPlugin],
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

/** Most variable sets remembered per parsed document; the set is emptied when full. */
const MEASURES_PER_DOCUMENT = 64;

/** Longest operation name and variables (as JSON) remembered: past it, the operation is measured each time. */
const MAX_REMEMBERED_KEY_LENGTH = 2_048;

/**
 * The cost and largest page of an operation, remembered per parsed document (Apollo Server reuses
 * the document of an operation it has seen) and per operation and variable values: the measure
 * depends on nothing else but the schema, which a reload replaces (a new schema starts afresh).
 * Variables that JSON cannot write are measured every time.
 */
function createMeasureMemo() {
  const byDocument = new WeakMap<DocumentNode, { schema: GraphQLSchema; measures: Map<string, OperationMeasure> }>();
  return {
    measure(
      schema: GraphQLSchema,
      document: DocumentNode,
      operation: OperationDefinitionNode,
      variables: Record<string, unknown>,
      measure: () => OperationMeasure,
    ): OperationMeasure {
      let key: string;
      try {
        key = `${operation.name?.value ?? ''}\u0000${JSON.stringify(variables)}`;
      } catch {
        return measure();
      }
      // Large variables are measured each time: remembering them would let a client keep a body's
      // worth of memory per request.
      if (key.length > MAX_REMEMBERED_KEY_LENGTH) return measure();
      let entry = byDocument.get(document);
      if (entry?.schema !== schema) byDocument.set(document, (entry = { schema, measures: new Map() }));
      const known = entry.measures.get(key);
      if (known) return known;
      const measured = measure();
      if (entry.measures.size >= MEASURES_PER_DOCUMENT) entry.measures.clear();
      entry.measures.set(key, measured);
      return measured;
    },
  };
}
