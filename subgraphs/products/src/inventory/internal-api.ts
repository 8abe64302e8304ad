import {
  RESERVATION_ERROR_STATUS,
  RESERVATIONS_PATH,
  type ReservationErrorBody,
  type ReservationErrorCode,
  type ReservationErrorDetails,
} from '@supergraph/contracts/reservations';
import express, { Router } from 'express';
import { requireServiceCredential } from '@supergraph/server-kit/auth';
import { createJsonErrorHandler } from '@supergraph/server-kit/http';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { ProductsDatabase } from '../db/client.js';
import { InventoryError } from './inventory-error.js';
import { readReserveRequest, toReservationBody } from './internal-api-body.js';
import { commitReservation, findReservation, releaseReservation, reserveStock } from './reservation-service.js';

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

/**
 * The inventory's internal HTTP API, for the orders service's checkout (not part of the GraphQL
 * schema): under /internal/reservations, reserve, read, commit and release an order's stock. Every
 * request needs the service credential; answers and errors are JSON, errors as
 * `{ error: { code, message, ...details } }`. The contract is packages/contracts' reservations module.
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
    const { status, body } = toErrorAnswer('NOT_FOUND', `There is no ${req.method} ${req.originalUrl} in this API.`);
    res.status(status).json(body);
  });
  // Expected refusals keep their code and details; a body that is not JSON or too large is a
  // BAD_REQUEST or PAYLOAD_TOO_LARGE; anything else is logged and answered INTERNAL_SERVER_ERROR.
  reservations.use(
    createJsonErrorHandler({
      logger,
      unexpectedErrorMessage: 'unexpected error in the inventory API',
      answerKnownError: (error) =>
        error instanceof InventoryError ? toErrorAnswer(error.code, error.message, error.details) : undefined,
      toBody: ({ code, message }): ReservationErrorBody => ({ error: { code, message } }),
    }),
  );

  const routes = Router();
  routes.use(RESERVATIONS_PATH, reservations);
  return routes;
}

/** An error answer in the contract's shape, with the status the contract gives its code. */
function toErrorAnswer(code: ReservationErrorCode, message: string, details: ReservationErrorDetails = {}) {
  const body: ReservationErrorBody = { error: { code, message, ...details } };
  return { status: RESERVATION_ERROR_STATUS[code], body };
}
