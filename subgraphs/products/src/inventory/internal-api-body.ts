import { reserveRequestSchema, type ReservationBody } from '@supergraph/contracts/reservations';
import { InventoryError, refuseInvalidInput } from './inventory-error.js';
import type { ReservationItem } from './reservation-input.js';
import type { Reservation } from './reservation-service.js';

/**
 * Reads POST /internal/reservations' body, `{ orderId, items: [{ productId, quantity }], ttlSeconds? }`,
 * with the contract's schema: BAD_REQUEST when it is not a JSON object, else BAD_USER_INPUT naming
 * the first field that breaks its rule (`orderId`, `items`, `items[i]`, `items[i].quantity`, ...).
 */
export function readReserveRequest(
  body: unknown,
  defaultTtlSeconds: number,
): { orderId: string; items: ReservationItem[]; ttlMs: number } {
  const parsed = reserveRequestSchema.safeParse(body);
  if (!parsed.success) {
    if (parsed.error.issues[0]?.path.length === 0) {
      throw new InventoryError('BAD_REQUEST', 'The body must be a JSON object sent as application/json.');
    }
    throw refuseInvalidInput(parsed.error);
  }
  const { orderId, items, ttlSeconds = defaultTtlSeconds } = parsed.data;
  return { orderId, items, ttlMs: ttlSeconds * 1_000 };
}

/** What every route answers: a reservation as the contract's JSON. */
export function toReservationBody(reservation: Reservation): ReservationBody {
  return {
    orderId: reservation.orderId,
    status: reservation.status,
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
    updatedAt: reservation.updatedAt.toISOString(),
    lines: reservation.lines,
  };
}
