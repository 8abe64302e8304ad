import http from 'node:http';
import { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from '../settings/settings.js';

/**
 * How often Node looks for requests past their headers or request timeout. Its default, 30 s, would
 * let a slow client hold a connection up to 30 s past the timeout; the check is cheap.
 */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/** An HTTP server for `app` with the timeouts every service runs with (decision 020). */
export function createHttpServer(app: http.RequestListener, timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): http.Server {
  const server = http.createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS }, app);
  applyServerTimeouts(server, timeouts);
  return server;
}

/**
 * Sets a server's timeouts: a request whose headers or body are not in by their deadline is answered
 * 408 and its connection closed; an idle keep-alive connection is closed after keepAliveTimeoutMs.
 * Node reads them per connection, so they apply to connections accepted afterwards.
 */
export function applyServerTimeouts(server: http.Server, timeouts: ServerTimeouts): void {
  server.headersTimeout = Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs);
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
}
