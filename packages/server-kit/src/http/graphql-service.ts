import type http from 'node:http';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { Viewer } from '@supergraph/contracts/identity';
import { expressMiddleware } from '@as-integrations/express5';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createErrorFormatter } from '../graphql/errors.js';
import { refuseUnstorableStrings } from '../graphql/string-arguments.js';
import type { ServiceMetrics } from '../telemetry/metrics.js';
import { createAccessLog } from './access-log.js';
import { negotiateGraphQLMediaType } from './graphql-response.js';
import { createJsonErrorHandler } from './json-errors.js';
import { listenOn } from './listen.js';
import { createOperationMetricsPlugin, HTTP_RESPONSE, releaseInFlight } from './operation-metrics.js';
import { createHttpServer } from './server-timeouts.js';
import { createTracingPlugin } from './tracing-plugin.js';

/** What a context factory gets for each GraphQL request. */
export interface ContextArgs {
  req: Request;
  res: Response;
  /** This request's id: the caller's `x-request-id` when well-formed, else a new UUID. */
  requestId: string;
  /** A logger whose lines carry the request as `req` (its id in `req.id`), as the access log line does. */
  logger: Logger;
  /** Who is calling, when graphqlMiddleware authenticated the request (authenticateRequests); else null. */
  viewer: Viewer | null;
  /** The verified access token behind `viewer`, to pass on; null for anonymous calls. */
  accessToken: string | null;
}

/** What every subgraph's context carries about the request: its id, its logger and who is calling. */
export type RequestScope = Pick<ContextArgs, 'requestId' | 'logger' | 'viewer'>;

/** The request scope of a context factory's arguments, for a context to spread (the rest of them stay out). */
export function requestScopeOf({ requestId, logger, viewer }: RequestScope): RequestScope {
  return { requestId, logger, viewer };
}

/**
 * Turns a resolved operation into its metrics label: `operationName` as the client sent it, `document`
 * as parsed. Called only for operations that parsed, validated and were found in their document;
 * the others are labelled `invalid` (did not parse or validate) or `unknown` (no such operation).
 */
export type OperationLabeler = (operation: { operationName: string | null; document: DocumentNode | undefined }) => string;

export interface GraphQLServiceOptions<TContext extends BaseContext> {
  /** Service name, as in logs and metrics ("products", "router"). */
  name: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /**
   * Production mode: no introspection, no Sandbox landing page, no stack traces in errors, and no
   * GET /metrics on the public port (runService serves it on METRICS_PORT).
   */
  isProduction: boolean;
  /** What Apollo Server executes: a subgraph schema, or a gateway (the router). */
  graphql: { schema: GraphQLSchema } | { gateway: GatewayInterface };
  /**
   * The `operation` label of this service's GraphQL metrics for a resolved operation: bounded, never
   * a client's free text (the router: names from the persisted operations manifest, else `other`).
   * Default: the operation's first root field, which the schema bounds.
   */
  operationLabel?: OperationLabeler;
  /** Extra Apollo Server plugins, run after the ones every service gets. Default none. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** Builds the per-request context (viewer, database, DataLoaders). */
  context: (args: ContextArgs) => Promise<TContext>;
  /**
   * Express middleware run on /graphql before the body is read, so that what it does also reaches
   * answers to unreadable or oversized bodies (the router's CORS). Default none.
   */
  beforeBodyMiddleware?: RequestHandler[];
  /** Express middleware run before GraphQL on /graphql, after the body is read (the router's auth and limits). Default none. */
  graphqlMiddleware?: RequestHandler[];
  /**
   * A turn for each GraphQL request, taken after graphqlMiddleware and held until GraphQL has
   * finished with the request, whether or not the client is still there (the router's load
   * shedding). Resolves to the function that gives the turn back, or to null when it answered the
   * request itself (or the client left while it waited). Default: every request runs at once.
   */
  admission?: (req: Request, res: Response) => Promise<(() => void) | null>;
  /** Whether the service can serve now; GET /ready answers 503 while false. Default always true. */
  isReady?: () => boolean | Promise<boolean>;
  /** Extra facts for the GET /ready body (the router: which supergraph it serves). Default none. */
  readinessDetails?: () => Record<string, unknown>;
  /** Runs once the HTTP server has drained, e.g. to close the database. Default nothing. */
  onShutdown?: () => void | Promise<void>;
  /** Largest accepted request body, in the `bytes` package's notation. Default `1mb`. */
  bodyLimit?: string;
  /**
   * Extra HTTP routes outside GraphQL, such as a service's internal API: mounted at the root after
   * /health, /ready, /metrics and /graphql, with the same access log and request ids, and before the
   * JSON error handler (which answers whatever they pass to `next(error)`). They bring their own
   * authentication and body parsing. Default none.
   */
  routes?: Router;
}

export interface GraphQLService {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<BaseContext>;
  /** The registry behind GET /metrics, for runService to serve on a port of its own (METRICS_PORT). */
  metricsRegistry: Registry;
  /** Whether GET /metrics answers on the public port: outside production only. */
  servesMetricsOnPublicPort: boolean;
  /** Starts listening; resolves to the GraphQL endpoint URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Turns GET /ready to 503 at once, stops taking connections, lets in-flight requests finish (10 s at
   * most), then runs onShutdown.
   */
  close(): Promise<void>;
}

/**
 * Builds a service's HTTP server: GET /health (alive), GET /ready (able to serve), GET /metrics
 * (Prometheus; outside production only) and POST|GET /graphql, with JSON access logs tagged by request
 * id and every response but the probes' counted in http_responses_total. It does not listen: index.ts
 * does, and tests call listen(0).
 */
export async function createGraphQLService<TContext extends BaseContext>(
  options: GraphQLServiceOptions<TContext>,
): Promise<GraphQLService> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // An ETag is a hash of every answer's body, which no GraphQL client revalidates with (POST answers are not cached).
  app.disable('etag');
  app.set('trust proxy', false);
  const httpServer = createHttpServer(app);
  const apollo = createApolloServer(options, httpServer);
  await apollo.start();

  let isStopping = false;
  mountProbes(app, { ...options, isStopping: () => isStopping });
  // After the probes, which answer without going further: a scrape or a health check every few
  // seconds would drown the series of real traffic.
  app.use(countResponses(options.metrics));
  const accessLog = createAccessLog(logger);
  app.use(
    '/graphql',
    (_req, res, next) => {
      // Set on the way in: Express restores req.baseUrl on the way out of a mounted stack.
      res.locals.metricsRoute = '/graphql';
      // No answer of this API may be stored by a browser or a shared cache: a signed-in caller's
      // data (GET queries included) and every refusal. Apollo's cache control plugin, turned off
      // below, used to say so on each answer.
      res.setHeader('cache-control', 'no-store');
      next();
    },
    accessLog,
    ...(options.beforeBodyMiddleware ?? []),
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    ...(options.graphqlMiddleware ?? []),
    withAdmission(
      options.admission,
      releasingInFlight(expressMiddleware(apollo, { context: ({ req, res }) => createRequestContext(options, req, res) })),
    ),
  );
  if (options.routes) app.use(accessLog, options.routes);
  // Errors raised before GraphQL runs (malformed JSON, an oversized body) as a GraphQL-shaped answer.
  app.use(
    createJsonErrorHandler({
      logger,
      unexpectedErrorMessage: 'unhandled error before GraphQL',
      toBody: ({ code, message }) => ({ errors: [{ message, extensions: { code } }] }),
      mediaType: negotiateGraphQLMediaType,
    }),
  );

  return {
    app,
    httpServer,
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    metricsRegistry: options.metrics.registry,
    servesMetricsOnPublicPort: !options.isProduction,
    listen: async (port, host = '0.0.0.0') => `${await listenOn(httpServer, port, host)}/graphql`,
    close: async () => {
      // Before the drain, so a load balancer polling /ready sends no more requests here.
      isStopping = true;
      await apollo.stop();
      await options.onShutdown?.();
    },
  };
}

function createApolloServer<TContext extends BaseContext>(options: GraphQLServiceOptions<TContext>, httpServer: http.Server) {
  const { logger, metrics, isProduction } = options;
  return new ApolloServer<TContext>({
    ...options.graphql,
    introspection: !isProduction,
    // Stack traces go to the log with the request id, never into a response.
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: isProduction,
    formatError: createErrorFormatter(logger),
    logger,
    // runService owns SIGTERM and SIGINT (drain, close resources, exit 0). Apollo Server's own
    // handler, on by default outside tests, stops the server and then re-raises the signal, so the
    // process died with 143 before onShutdown had closed the database.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
      isProduction ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      // Federated traces (ftv1) feed Apollo's hosted usage reporting, which this stack does not use.
      ...('schema' in options.graphql ? [ApolloServerPluginInlineTraceDisabled()] : []),
      // No schema or resolver here gives cache hints (@cacheControl): the default plugin's
      // willResolveField hook on every field was work for nothing. Its one visible effect,
      // `cache-control: no-store` on every answer, is set by the /graphql stack instead.
      ApolloServerPluginCacheControlDisabled(),
      createTracingPlugin(),
      createOperationMetricsPlugin(metrics, { operationLabel: options.operationLabel }),
      refuseUnstorableStrings(),
      ...(options.plugins ?? []),
    ],
  });
}

/**
 * Counts each response in http_responses_total when it has been sent. The route label is bounded:
 * `/graphql`, the pattern of the Express route that answered (`/internal/reservations/:orderId`,
 * never the path a client sent), or `other` (no route matched: a 404, an error before routing).
 */
function countResponses(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        (res.locals.metricsRoute as string | undefined) ??
        (typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'other');
      metrics.httpResponses.inc({ route, status_class: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };
}

/** The GraphQL handler, then whatever willSendResponse did not do of graphql_requests_in_flight. */
function releasingInFlight(handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } finally {
      releaseInFlight(res);
    }
  };
}

/**
 * The GraphQL handler run in an admission's turn, given back when the handler's promise settles: the
 * moment GraphQL is done with the request. Not when the client hangs up: the gateway goes on planning
 * and calling subgraphs for a request whose client left, and that work must keep its turn.
 */
function withAdmission(admission: GraphQLServiceOptions<BaseContext>['admission'], handler: RequestHandler): RequestHandler {
  if (!admission) return handler;
  return async (req, res, next) => {
    const release = await admission(req, res);
    if (!release) return;
    try {
      await handler(req, res, next);
    } finally {
      release();
    }
  };
}

/**
 * GET /health (alive), GET /ready (able to serve: 503 while not, or once stopping), GET /metrics
 * (Prometheus) outside production. In production the public port answers /metrics with a 404: the series describe the service's internals and its traffic, for the scraper only,
 * which reads them on METRICS_PORT.
 */
function mountProbes(
  app: express.Express,
  options: Pick<GraphQLServiceOptions<BaseContext>, 'name' | 'metrics' | 'isProduction' | 'isReady' | 'readinessDetails'> & {
    isStopping: () => boolean;
  },
) {
  const { registry } = options.metrics;
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    if (options.isStopping()) {
      res.status(503).json({ status: 'stopping', service: options.name });
      return;
    }
    const isReady = options.isReady ? await options.isReady() : true;
    res
      .status(isReady ? 200 : 503)
      .json({ status: isReady ? 'ready' : 'unavailable', service: options.name, ...options.readinessDetails?.() });
  });
  if (options.isProduction) {
    // Answered here, as a probe: a scraper pointed at the wrong port must not fill http_responses_total.
    app.get('/metrics', (_req, res) => {
      res.status(404).type('text/plain').send('Not found\n');
    });
    return;
  }
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
}

async function createRequestContext<TContext extends BaseContext>(
  options: GraphQLServiceOptions<TContext>,
  req: Request,
  res: Response,
): Promise<TContext> {
  const context = await options.context({
    req,
    res,
    requestId: req.id as string,
    // Read when a context asks for it: the request logger is made on first use (access-log.ts).
    get logger() {
      return req.log;
    },
    viewer: (res.locals.viewer as Viewer | null | undefined) ?? null,
    accessToken: (res.locals.accessToken as string | null | undefined) ?? null,
  });
  return Object.assign(context, { [HTTP_RESPONSE]: res });
}
