import { constants } from 'node:os';
import type { Logger } from 'pino';
import { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from '../settings/settings.js';
import { shutdownTracing } from '../tracing/state.js';
import type { GraphQLService } from './graphql-service.js';
import { listenOn } from './listen.js';
import { closeMetricsServer, createMetricsServer } from './metrics-server.js';
import { applyServerTimeouts } from './server-timeouts.js';

/** The longest wait for the tracing SDK to send its last spans on shutdown. */
const TRACING_FLUSH_TIMEOUT_MS = 5_000;

/**
 * What runService needs of a server: any HTTP service with its server, listen and a graceful close;
 * with its metrics registry when it has one (every createGraphQLService does), for METRICS_PORT.
 */
export type ListeningService = Pick<GraphQLService, 'httpServer' | 'listen' | 'close'> &
  Partial<Pick<GraphQLService, 'metricsRegistry' | 'servesMetricsOnPublicPort'>>;

export interface RunOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Longest wait for in-flight requests on SIGTERM before exiting anyway. Default 15 s. */
  shutdownTimeoutMs?: number;
  /** The server's timeouts, from settings (HTTP_*_TIMEOUT_MS). Default DEFAULT_SERVER_TIMEOUTS. */
  timeouts?: ServerTimeouts;
  /**
   * METRICS_PORT: serve the service's metrics registry on GET /metrics of a second listener, on this
   * port and the same host (0 picks a free port). Default none. Ignored for a service without a registry.
   */
  metricsPort?: number;
}

/**
 * Listens, logs where, and shuts down gracefully on SIGTERM or SIGINT: `close()` turns /ready to 503,
 * stops accepting, drains and closes the service's resources; then the metrics listener closes (so
 * the last scrape still sees the drain), then "stopped" and exit 0. A second
 * signal during the drain exits at once with 128 + the signal's number (130 for SIGINT, 143 for
 * SIGTERM), as a shell reports a process ended by it; past `shutdownTimeoutMs` the exit is 1.
 */
export async function runService(
  service: ListeningService,
  { port, host, logger, shutdownTimeoutMs = 15_000, timeouts = DEFAULT_SERVER_TIMEOUTS, metricsPort }: RunOptions,
): Promise<void> {
  applyServerTimeouts(service.httpServer, timeouts);
  const url = await service.listen(port, host);
  const metricsServer = await startMetricsServer(service, { host, metricsPort, timeouts, logger });
  let isClosing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (isClosing) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the shutdown');
      process.exit(128 + constants.signals[signal as 'SIGINT' | 'SIGTERM']);
    }
    isClosing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service
      .close()
      // The spans of the last requests, still buffered, go out before the process ends; an
      // unreachable collector gets a few seconds, not the rest of the shutdown deadline.
      .then(() => Promise.all([metricsServer?.close(), shutdownTracing(TRACING_FLUSH_TIMEOUT_MS)]))
      .then(
        () => {
          logger.info('stopped');
          // Left to end by itself, the process writes out every buffered log line first (pino writes
          // asynchronously; process.exit could drop or reorder the last ones). A handle a library left
          // open cannot hold it past a second.
          process.exitCode = 0;
          setTimeout(() => process.exit(0), 1_000).unref();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Only now: whoever waits for this line (a supervisor, a test) may signal at once, and on a busy
  // machine the line can reach it before this process runs another statement.
  logger.info({ url }, `listening on ${url}`);
}

/** The metrics listener on METRICS_PORT, when it is set and the service has metrics; else null. */
async function startMetricsServer(
  service: ListeningService,
  {
    host,
    metricsPort,
    timeouts,
    logger,
  }: { host: string; metricsPort: number | undefined; timeouts: ServerTimeouts; logger: Logger },
): Promise<{ close(): Promise<void> } | null> {
  const registry = service.metricsRegistry;
  if (!registry) return null;
  if (metricsPort === undefined) {
    if (service.servesMetricsOnPublicPort === false) {
      logger.warn('metrics are not exposed: /metrics is off the public port in production; set METRICS_PORT to serve them');
    }
    return null;
  }
  const server = createMetricsServer(registry, { logger, timeouts });
  let origin: string;
  try {
    origin = await listenOn(server, metricsPort, host);
  } catch (error) {
    throw new Error(`cannot listen for metrics on ${host}:${metricsPort} (METRICS_PORT): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const url = `${origin}/metrics`;
  logger.info({ url }, `metrics on ${url}`);
  return {
    close: async () => {
      await closeMetricsServer(server);
      logger.info({ url }, 'metrics listener closed');
    },
  };
}
