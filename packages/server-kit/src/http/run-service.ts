import type { Logger } from 'pino';
import type { GraphQLService } from './graphql-service.js';

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
