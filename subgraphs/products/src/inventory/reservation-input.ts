import { badInput } from './inventory-error.js';

/** Distinct products one reservation may hold. */
export const MAX_RESERVATION_LINES = 50;
/** Units of one product one reservation may hold. */
export const MAX_LINE_QUANTITY = 100;
/** Shortest and longest reservation lifetimes, in milliseconds (1 second to 24 hours). */
export const MIN_RESERVATION_TTL_MS = 1_000;
export const MAX_RESERVATION_TTL_MS = 24 * 60 * 60 * 1_000;

/** Order and product ids are opaque: 1 to 128 letters, digits and `.`, `_`, `:`, `-` (UUIDs fit). */
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ReservationItem {
  productId: string;
  quantity: number;
}

export interface ReserveStockInput {
  /** The orders service's id for the order; a reservation is idempotent per order id. */
  orderId: string;
  items: readonly ReservationItem[];
  /** How long the stock is held before the expiry sweep may give it back. */
  ttlMs: number;
  /** The clock: the reservation's creation time, from which it expires. */
  now: Date;
}

/** An order id from a caller; BAD_USER_INPUT naming `orderId` unless it is well-formed. */
export function readOrderId(orderId: unknown): string {
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId)) {
    throw badInput('orderId', 'orderId must be 1 to 128 letters, digits, ".", "_", ":" or "-".');
  }
  return orderId;
}

/**
 * Checks a reservation request and returns its items sorted by product id (the order every
 * transaction locks products in, so two reservations never wait on each other in a circle). The
 * first problem throws BAD_USER_INPUT naming its field: `orderId`, `items`, `items[i].productId`,
 * `items[i].quantity` or `ttlMs`.
 */
export function validateReserveStockInput(input: ReserveStockInput): ReserveStockInput {
  const orderId = readOrderId(input.orderId);
  const { items } = input;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_RESERVATION_LINES) {
    throw badInput('items', `items must list 1 to ${MAX_RESERVATION_LINES} products.`);
  }
  const seen = new Map<string, number>();
  items.forEach(({ productId, quantity }, index) => {
    if (typeof productId !== 'string' || !ID_PATTERN.test(productId)) {
      throw badInput(`items[${index}].productId`, `items[${index}].productId must be a product id.`);
    }
    const first = seen.get(productId);
    if (first !== undefined) {
      throw badInput(
        `items[${index}].productId`,
        `items[${index}].productId repeats items[${first}].productId (${productId}); list each product once with its total quantity.`,
      );
    }
    seen.set(productId, index);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      throw badInput(
        `items[${index}].quantity`,
        `items[${index}].quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}.`,
      );
    }
  });
  if (!Number.isInteger(input.ttlMs) || input.ttlMs < MIN_RESERVATION_TTL_MS || input.ttlMs > MAX_RESERVATION_TTL_MS) {
    throw badInput('ttlMs', `ttlMs must be a whole number from ${MIN_RESERVATION_TTL_MS} to ${MAX_RESERVATION_TTL_MS}.`);
  }
  const sorted = items.map(({ productId, quantity }) => ({ productId, quantity })).sort(byProductId);
  return { orderId, items: sorted, ttlMs: input.ttlMs, now: input.now };
}

/** Sorts by product id in code-unit order, the same on every database collation. */
export function byProductId(a: { productId: string }, b: { productId: string }): number {
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}
