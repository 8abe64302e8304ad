import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { RequestHandler } from 'express';
import { authenticateRequests, type AccessTokenVerifier } from '@supergraph/server-kit/auth';
import { createGraphQLService, type GraphQLService } from '@supergraph/server-kit/http';
import type { Logger, ServiceMetrics } from '@supergraph/server-kit/telemetry';
import { createCorsMiddleware, type CorsOrigin } from './cors.js';
import { createExplorerRoutes } from './explorer.js';
import { createGateway, type RouterContext } from './gateway.js';
import { parseLimitSettings, type LimitSettings } from './limit-settings.js';
import { createRouterMetrics } from './metrics.js';
import { createOperationLabeler } from './operation-label.js';
import { createLoadShedding } from './overload.js';
import type { PersistedOperationsManifest } from './persisted-operations-manifest.js';
import { createRefusalCounting } from './refusal-metrics.js';
import { createRequestLimits } from './request-limits.js';
import { createManifestLookupPlugin, createSafelistMiddleware } from './safelist.js';
import { createSupergraphFileSource } from './supergraph-file.js';

export interface RouterOptions {
  /** The composed supergraph file to serve (and watch). */
  supergraphPath: string;
  /** Routing URLs that replace the supergraph's, by subgraph name. Default none. */
  subgraphUrls?: Record<string, string>;
  /** Deadline of each subgraph call. Default 10 s. */
  subgraphTimeoutMs?: number;
  logger: Logger;
  /** The service's metrics (createMetrics('router')); the router adds its own series to their registry (metrics.ts). */
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
  /** Verifies callers' access tokens; a bad token is answered 401, no token means anonymous. */
  verifyAccessToken: AccessTokenVerifier;
  /** The secret to present to a subgraph, by name. */
  secretFor: (subgraph: string) => string;
  /**
   * The persisted query list: a client may name a listed operation by its id alone (Apollo Client's
   * persisted-query link), on a freshly started router too. Default none. Automatic persisted
   * queries are on either way.
   */
  persistedQueries?: PersistedOperationsManifest;
  /**
   * Run only the operations of `persistedQueries`, by id or full text; any other is refused with 400
   * before a subgraph is called (PERSISTED_OPERATIONS=safelist). Default false.
   */
  safelist?: boolean;
  /** Request bounds, body limit and rate limits (see request-limits.ts). Default: the documented defaults. */
  limits?: LimitSettings;
  /** The browser origins that may call the router (cors.ts). Default none: no CORS headers for anyone. */
  corsOrigins?: readonly CorsOrigin[];
}

/**
 * The router: Apollo Gateway planning over the static supergraph file. It never introspects
 * subgraphs, so it starts (and answers what it can) while a subgraph is down.
 */
export async function createRouter({
  supergraphPath,
  subgraphUrls = {},
  subgraphTimeoutMs = 10_000,
  verifyAccessToken,
  secretFor,
  persistedQueries,
  safelist = false,
  limits: limitSettings = parseLimitSettings({}),
  corsOrigins = [],
  ...options
}: RouterOptions): Promise<GraphQLService> {
  if (safelist && !persistedQueries) throw new Error('a safelisting router needs the persisted query list (persistedQueries)');
  const routerMetrics = createRouterMetrics(options.metrics.registry);
  const refusals = createRefusalCounting(routerMetrics);
  const supergraph = createSupergraphFileSource(supergraphPath, options.logger, routerMetrics);
  const { gateway, close: closeSubgraphClients } = createGateway({
    supergraphSdl: supergraph.hook,
    subgraphUrls,
    subgraphTimeoutMs,
    secretFor,
    logger: options.logger,
    metrics: routerMetrics,
  });
  const limits = createRequestLimits(limitSettings, { logger: options.logger, isProduction: options.isProduction });
  const shedding = createLoadShedding(limitSettings.overload, options.metrics);
  const cors = createCorsMiddleware(corsOrigins);
  // The router's own steps before and after authentication, each one Express handler: every layer
  // of a mounted stack costs a path match and a turn of Express's next() on every request.
  const edge: RequestHandler = (req, res, next) => {
    refusals.track(res);
    cors(req, res, next);
  };
  const pastAuthentication: RequestHandler = (req, res, next) => {
    refusals.markPastAuthentication(res);
    return limits.middleware(req, res, next);
  };
  const service = await createGraphQLService<RouterContext>({
    name: 'router',
    ...options,
    // @apollo/gateway 2.x implements the gateway interface Apollo Server 5 expects, typed against the interface's v1 package.
    graphql: { gateway: gateway as unknown as GatewayInterface },
    // Clients name operations freely: only the persisted query list's names become labels.
    operationLabel: createOperationLabeler(persistedQueries?.operationNames ?? new Set()),
    // CORS first, so that a browser can read every refusal, a 503 OVERLOADED included. Refusals are
    // counted from the start, so that those answered before the body is read are too.
    beforeBodyMiddleware: [edge],
    graphqlMiddleware: [
      ...(safelist && persistedQueries ? [createSafelistMiddleware(persistedQueries)] : []),
      authenticateRequests(verifyAccessToken),
      pastAuthentication,
    ],
    admission: shedding.admission,
    plugins: [
      ...(persistedQueries ? [createManifestLookupPlugin<RouterContext>(persistedQueries)] : []),
      ...limits.plugins,
      shedding.plugin,
      refusals.plugin,
    ],
    bodyLimit: limits.bodyLimit,
    onShutdown: async () => {
      await Promise.all([limits.close(), closeSubgraphClients()]);
    },
    context: async ({ requestId, accessToken, req }) => ({ requestId, accessToken, clientAddress: req.ip ?? null }),
    // Development only, like Sandbox: GraphiQL that works offline (explorer.ts).
    routes: options.isProduction ? undefined : createExplorerRoutes(),
    isReady: () => supergraph.current() !== null,
    readinessDetails: () => ({ supergraph: supergraph.current() }),
  });
  limits.applyTo(service.app);
  return service;
}
