import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { expressMiddleware } from '@as-integrations/express5';
import type { GraphQLSchema } from 'graphql';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/access-tokens.js';
import { createErrorFormatter } from '../graphql/errors.js';
import { createJsonErrorHandler } from './json-errors.js';
import type { ServiceMetrics } from '../telemetry/metrics.js';

/** The header that carries one request's id from the router to every subgraph it calls. */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a context factory gets for each GraphQL request. */
export interface ContextArgs {
  req: Request;
  res: Response;
  /** This request's id: the caller's `x-request-id` when well-formed, else a new UUID. */
  requestId: string;
  /** A logger whose lines carry `reqId`. */
  logger: Logger;
  /** Who is calling, when graphqlMiddleware authenticated the request (authenticateRequests); else null. */
  viewer: Viewer | null;
  /** The verified access token behind `viewer`, to pass on; null for anonymous calls. */
  accessToken: string | null;
}

export interface GraphQLServiceOptions<TContext extends BaseContext> {
  /** Service name, as in logs and metrics ("products", "router"). */
  name: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox landing page, no stack traces in errors. */
  isProduction: boolean;
  /** What Apollo Server executes: a subgraph schema, or a gateway (the router). */
  graphql: { schema: GraphQLSchema } | { gateway: GatewayInterface };
  /** Extra Apollo Server plugins, run after the ones every service gets. Default none. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** Builds the per-request context (viewer, database, DataLoaders). */
  context: (args: ContextArgs) => Promise<TContext>;
  /** Express middleware run before GraphQL on /graphql (the router's auth and limits). Default none. */
  graphqlMiddleware?: RequestHandler[];
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
  /** Starts listening; resolves to the GraphQL endpoint URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then runs onShutdown. */
  close(): Promise<void>;
}

/**
 * Builds a service's HTTP server: GET /health (alive), GET /ready (able to serve), GET /metrics
 * (Prometheus) and POST|GET /graphql, with JSON access logs tagged by request id. It does not
 * listen: index.ts does, and tests call listen(0).
 */
export async function createGraphQLService<TContext extends BaseContext>(
  options: GraphQLServiceOptions<TContext>,
): Promise<GraphQLService> {
  const { logger, metrics, isProduction } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<TContext>({
    ...options.graphql,
    introspection: !isProduction,
    // Stack traces go to the log with the request id, never into a response.
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: isProduction,
    formatError: createErrorFormatter(logger),
    logger,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
      isProduction ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      // Federated traces (ftv1) feed Apollo's hosted usage reporting, which this stack does not use.
      ...('schema' in options.graphql ? [ApolloServerPluginInlineTraceDisabled()] : []),
      createOperationMetricsPlugin(metrics),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    const isReady = options.isReady ? await options.isReady() : true;
    res
      .status(isReady ? 200 : 503)
      .json({ status: isReady ? 'ready' : 'unavailable', service: options.name, ...options.readinessDetails?.() });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const accessLog = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers[REQUEST_ID_HEADER];
      const id = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customProps: (_req, res) => ({ operationName: (res as Response).locals?.operationName as unknown }),
    serializers: {
      // The path only: a GET request's query string carries variables, which may hold secrets.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });

  app.use(
    '/graphql',
    accessLog,
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    ...(options.graphqlMiddleware ?? []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const context = await options.context({
          req,
          res,
          requestId: req.id as string,
          logger: req.log,
          viewer: (res.locals.viewer as Viewer | null | undefined) ?? null,
          accessToken: (res.locals.accessToken as string | null | undefined) ?? null,
        });
        return Object.assign(context, { [HTTP_RESPONSE]: res });
      },
    }),
  );
  if (options.routes) app.use(accessLog, options.routes);
  // Errors raised before GraphQL runs (malformed JSON, an oversized body) as a GraphQL-shaped answer.
  app.use(
    createJsonErrorHandler({
      logger,
      unexpectedErrorMessage: 'unhandled error before GraphQL',
      toBody: ({ code, message }) => ({ errors: [{ message, extensions: { code } }] }),
    }),
  );

  return {
    app,
    httpServer,
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shownHost}:${address.port}/graphql`);
        });
      }),
    close: async () => {
      await apollo.stop();
      await options.onShutdown?.();
    },
  };
}

/** Counts and times every operation, and records its name for the access log line. */
/**
 * The HTTP response behind a context, so the operation's name can reach the access log line. A
 * symbol-keyed own property, because Apollo Server copies the context object per operation.
 */
const HTTP_RESPONSE = Symbol('http response');

function createOperationMetricsPlugin<TContext extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.graphqlDuration.startTimer();
      return {
        async willSendResponse({ response, errors }) {
          stopTimer();
          const hasErrors =
            (errors?.length ?? 0) > 0 ||
            (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
          metrics.graphqlOperations.inc({ outcome: hasErrors ? 'error' : 'success' });
        },
        async didResolveOperation({ operationName, contextValue }) {
          const res = (contextValue as { [HTTP_RESPONSE]?: Response })[HTTP_RESPONSE];
          if (res && operationName) res.locals.operationName = operationName;
        },
      };
    },
  };
}

/** What runService needs of a server: any HTTP service with listen and a graceful close. */
export type ListeningService = Pick<GraphQLService, 'listen' | 'close'>;

export interface RunOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Longest wait for in-flight requests on SIGTERM before exiting anyway. Default 15 s. */
  shutdownTimeoutMs?: number;
}

/**
 * Listens, logs where, and shuts down gracefully on SIGTERM or SIGINT: stop accepting, drain,
 * close resources, exit 0.
 */
export async function runService(
  service: ListeningService,
  { port, host, logger, shutdownTimeoutMs = 15_000 }: RunOptions,
): Promise<void> {
  const url = await service.listen(port, host);
  logger.info({ url }, `listening on ${url}`);
  let isClosing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (isClosing) return;
    isClosing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
