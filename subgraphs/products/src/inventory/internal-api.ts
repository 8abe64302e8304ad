import express, { Router, type ErrorRequestHandler } from 'express';
import { requireServiceCredential } from '@supergraph/server-kit/auth';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { ProductsDatabase } from '../db/client.js';
import { InventoryError, type InventoryErrorCode } from './inventory-error.js';
import { readReserveRequest, toReservationBody } from './internal-api-body.js';
import { commitReservation, findReservation, releaseReservation, reserveStock } from './reservations.js';

export interface InventoryApiOptions {
  database: ProductsDatabase;
  logger: Logger;
  /** What callers must send in x-service-credential (PRODUCTS_INVENTORY_SECRET). */
  secret: string;
  /** Lifetime of a reservation whose request names no ttlSeconds (RESERVATION_TTL_SECONDS). */
  defaultTtlSeconds: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

const STATUS_BY_CODE: Record<InventoryErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  UNKNOWN_PRODUCT: 404,
  RESERVATION_NOT_FOUND: 404,
  OUT_OF_STOCK: 409,
  RESERVATION_CONFLICT: 409,
  RESERVATION_RELEASED: 409,
};

/**
 * The inventory's internal HTTP API, for the orders service's checkout (not part of the GraphQL
 * schema): under /internal/reservations, reserve, read, commit and release an order's stock. Every
 * request needs the service credential; answers and errors are JSON, errors as
 * `{ error: { code, message, ...details } }`. The contract is in the package README.
 */
export function createInventoryRoutes({
  database,
  logger,
  secret,
  defaultTtlSeconds,
  now = () => new Date(),
}: InventoryApiOptions): Router {
  const reservations = Router();
  reservations.use(requireServiceCredential(secret), express.json({ limit: '64kb' }));

  reservations.post('/', async (req, res) => {
    const request = readReserveRequest(req.body, defaultTtlSeconds);
    const { reservation, isNew } = await reserveStock(database, { ...request, now: now() });
    res.status(isNew ? 201 : 200).json(toReservationBody(reservation));
  });
  reservations.get('/:orderId', async (req, res) => {
    res.json(toReservationBody(await findReservation(database, req.params.orderId)));
  });
  reservations.post('/:orderId/commit', async (req, res) => {
    res.json(toReservationBody(await commitReservation(database, { orderId: req.params.orderId, now: now() })));
  });
  reservations.post('/:orderId/release', async (req, res) => {
    res.json(toReservationBody(await releaseReservation(database, { orderId: req.params.orderId, now: now() })));
  });
  reservations.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `There is no ${req.method} ${req.originalUrl} in this API.` } });
  });
  reservations.use(answerErrors(logger));

  const routes = Router();
  routes.use('/internal/reservations', reservations);
  return routes;
}

/**
 * Expected refusals keep their code and details; a body that is not JSON or too large is 400 or
 * 413; anything else is logged in full and answered as a bare INTERNAL_SERVER_ERROR.
 */
function answerErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof InventoryError) {
      res.status(STATUS_BY_CODE[error.code]).json({ error: { code: error.code, message: error.message, ...error.details } });
      return;
    }
    const { status, type } = error as { status?: number; type?: string };
    if (status === 413) {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } });
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      const message = type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : 'The request body cannot be read.';
      res.status(400).json({ error: { code: 'BAD_REQUEST', message } });
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unexpected error in the inventory API');
    res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
  };
}
