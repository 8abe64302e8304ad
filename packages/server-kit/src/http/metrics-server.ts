import type http from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerTimeouts } from '../settings/settings.js';
import { createHttpServer } from './server-timeouts.js';

/**
 * A listener of its own for Prometheus (METRICS_PORT): GET /metrics answers the registry, anything
 * else 404. Plain node:http, without the service's middleware, access log or request counting: a
 * scrape every few seconds is not traffic, and keeping it off the public port keeps the service's
 * internals away from its clients.
 */
export function createMetricsServer(
  registry: Registry,
  { logger, timeouts }: { logger: Logger; timeouts?: ServerTimeouts },
): http.Server {
  return createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text);
      },
      // A collect callback that reads a database (orders' saga backlog) can fail; the scrape fails
      // visibly (Prometheus marks the target down) and the reason is in the log.
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n');
      },
    );
  }, timeouts);
}

/**
 * Stops the metrics listener: no new connections, and every connection a scraper holds closed at once,
 * a scrape in flight included (Prometheus tries again at its next interval; the process is stopping),
 * so the shutdown is not kept waiting for a keep-alive connection to time out.
 */
export function closeMetricsServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
