import {
  MAX_TTL_SECONDS,
  orderIdSchema,
  reservationItemsSchema,
  wholeNumberSchema,
  type ReservationItem,
} from '@supergraph/contracts/reservations';
import { z } from 'zod';
import { refuseInvalidInput } from './inventory-error.js';

export type { ReservationItem };

/** Shortest and longest reservation lifetimes, in milliseconds (1 second to 24 hours). */
export const MIN_RESERVATION_TTL_MS = 1_000;
export const MAX_RESERVATION_TTL_MS = MAX_TTL_SECONDS * 1_000;

export interface ReserveStockInput {
  /** The orders service's id for the order; a reservation is idempotent per order id. */
  orderId: string;
  items: readonly ReservationItem[];
  /** How long the stock is held before the expiry sweep may give it back. */
  ttlMs: number;
  /** The clock: the reservation's creation time, from which it expires. */
  now: Date;
}

// The same rules as the internal API's request (the contract's), for callers inside this service.
const reserveStockInputSchema = z.object({
  orderId: orderIdSchema,
  items: reservationItemsSchema,
  ttlMs: wholeNumberSchema(MIN_RESERVATION_TTL_MS, MAX_RESERVATION_TTL_MS),
});
const orderIdInputSchema = z.object({ orderId: orderIdSchema });

/** An order id from a caller; BAD_USER_INPUT naming `orderId` unless it is well-formed. */
export function readOrderId(orderId: unknown): string {
  const parsed = orderIdInputSchema.safeParse({ orderId });
  if (!parsed.success) throw refuseInvalidInput(parsed.error);
  return parsed.data.orderId;
}

/**
 * Checks a reservation request and returns its items sorted by product id (the order every
 * transaction locks products in, so two reservations never wait on each other in a circle). The
 * first problem throws BAD_USER_INPUT naming its field: `orderId`, `items`, `items[i].productId`,
 * `items[i].quantity` or `ttlMs`.
 */
export function validateReserveStockInput(input: ReserveStockInput): ReserveStockInput {
  const parsed = reserveStockInputSchema.safeParse(input);
  if (!parsed.success) throw refuseInvalidInput(parsed.error);
  const { orderId, items, ttlMs } = parsed.data;
  return { orderId, items: items.sort(byProductId), ttlMs, now: input.now };
}

/** Sorts by product id in code-unit order, the same on every database collation. */
export function byProductId(a: { productId: string }, b: { productId: string }): number {
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}
