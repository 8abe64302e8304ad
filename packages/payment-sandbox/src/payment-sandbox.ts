import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import express from 'express';
import {
  createHttpServer,
  createJsonErrorHandler,
  listenOn,
  REQUEST_ID_HEADER,
  wellFormedRequestId,
} from '@supergraph/server-kit/http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { ApiError, invalidRequest } from './api-errors.js';
import { requireSecretKey } from './authentication.js';
import { createChargesRouter } from './charges.js';
import { createIdempotencyKeys } from './idempotency.js';
import { createRefundsRouter } from './refunds.js';
import { openSandboxStorage } from './storage.js';

export { TEST_TOKENS, type TestToken } from './charges.js';
export { DEVELOPMENT_SECRET_KEY } from './env.js';

const HOUR_MS = 60 * 60 * 1000;

export interface PaymentSandboxOptions {
  /** The key callers must send as `Authorization: Bearer <key>`. */
  secretKey: string;
  /** The SQLite file holding charges, refunds and idempotency keys (created when missing); `:memory:` keeps nothing. */
  dataFile: string;
  logger: Logger;
  /** How long `tok_chargeSucceedsSlowly` takes before it charges and answers. Default 3000 ms. */
  slowChargeMs?: number;
  /** How long an idempotency key's first answer is replayed. Default 24 hours, as Stripe. */
  idempotencyKeyRetentionMs?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface PaymentSandbox {
  app: express.Express;
  httpServer: http.Server;
  /** Starts listening; resolves to the base URL, such as `http://localhost:4010` (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops: GET /ready answers 503 at once, held and slow requests end without an answer (a slow
   * charge not yet made is not made), connections close, the data file is closed.
   */
  close(): Promise<void>;
}

/**
 * The payment sandbox: a Stripe-like HTTP API (POST /v1/charges, POST /v1/refunds, GET /v1/charges,
 * GET /v1/charges/:id; GET /health, GET /ready) whose test tokens succeed, decline, hang or fail on demand, with
 * Stripe's idempotency keys. It does not listen: index.ts does, and tests call listen(0).
 */
export function createPaymentSandbox(options: PaymentSandboxOptions): PaymentSandbox {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const retentionMs = options.idempotencyKeyRetentionMs ?? 24 * HOUR_MS;
  const storage = openSandboxStorage(options.dataFile);
  const keys = createIdempotencyKeys({ storage, retentionMs, now });
  const shutdown = new AbortController();

  const pruneExpiredKeys = () => {
    const pruned = storage.pruneStoredResponses(now() - retentionMs);
    if (pruned > 0) logger.debug({ pruned }, 'pruned expired idempotency keys');
  };
  pruneExpiredKeys();
  const pruneTimer = setInterval(pruneExpiredKeys, HOUR_MS).unref();

  const app = createSandboxApp(options, { storage, keys, now, shutdown: shutdown.signal });
  const httpServer = createHttpServer(app);
  let closing: Promise<void> | undefined;

  return {
    app,
    httpServer,
    listen: (port, host = '0.0.0.0') => listenOn(httpServer, port, host),
    close: () => {
      closing ??= (async () => {
        clearInterval(pruneTimer);
        shutdown.abort();
        const serverClosed = httpServer.listening
          ? new Promise<void>((resolve) => httpServer.close(() => resolve()))
          : Promise.resolve();
        await keys.whenIdle();
        httpServer.closeAllConnections();
        await serverClosed;
        storage.close();
      })();
      return closing;
    },
  };
}

/** What the charge and refund routes share. */
type SandboxRoutes = Parameters<typeof createRefundsRouter>[0];

/** The sandbox's Express app: access log, /health, the authenticated /v1 API, Stripe-shaped errors. */
function createSandboxApp(options: PaymentSandboxOptions, routes: SandboxRoutes): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(createSandboxAccessLog(options.logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'payment-sandbox' });
  });
  // Ready until shutdown begins, so a load balancer stops sending charges before the drain.
  app.get('/ready', (_req, res) => {
    const isStopping = routes.shutdown.aborted;
    res.status(isStopping ? 503 : 200).json({ status: isStopping ? 'stopping' : 'ready', service: 'payment-sandbox' });
  });
  app.use('/v1', requireSecretKey(options.secretKey), express.json({ limit: '100kb' }));
  app.use('/v1/charges', createChargesRouter({ ...routes, slowChargeMs: options.slowChargeMs ?? 3000 }));
  app.use('/v1/refunds', createRefundsRouter(routes));
  app.use((req, _res, next) => {
    next(invalidRequest(`Unrecognized request URL (${req.method}: ${req.path}).`, {}, 404));
  });
  // Every refusal as Stripe's JSON error body; anything unexpected as a 500 `api_error` and a log line.
  app.use(
    createJsonErrorHandler({
      logger: options.logger,
      unexpectedErrorMessage: 'unexpected error',
      answerKnownError: (error) => (error instanceof ApiError ? error.toResponse() : undefined),
      toBody: ({ status, message }) =>
        status < 500
          ? { error: { type: 'invalid_request_error', message } }
          : { error: { type: 'api_error', message: 'An unexpected error occurred.' } },
    }),
  );

  return app;
}

/**
 * One JSON line per request, tagged with the caller's x-request-id when well-formed (the orders
 * service sends the id of the checkout it works for, so one id finds the checkout in every
 * service's log), else a Stripe-style `req_...` id; echoed in Request-Id as Stripe does.
 */
function createSandboxAccessLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = wellFormedRequestId(req.headers[REQUEST_ID_HEADER]) ?? `req_${randomBytes(12).toString('hex')}`;
      res.setHeader('Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
    // pino-http invents an Error (with a stack) for every 5xx; tok_providerError answers 500 on
    // purpose, so keep real errors only.
    customErrorObject: (_req, res, error, value: Record<string, unknown>) =>
      error.message === `failed with status code ${res.statusCode}` ? { ...value, err: undefined } : value,
    customErrorMessage: (_req, res) => (res.statusCode >= 500 ? 'request failed' : 'request errored'),
    serializers: {
      // The path only, as every service logs it; the key says which retry a line belongs to.
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
        idempotencyKey: req.headers['idempotency-key'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
