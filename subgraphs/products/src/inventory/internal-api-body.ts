import { InventoryError, badInput } from './inventory-error.js';
import { readOrderId, type ReservationItem } from './reservation-input.js';
import type { Reservation } from './reservations.js';

/** Longest reservation a caller may ask for, in seconds (24 hours). */
const MAX_TTL_SECONDS = 24 * 60 * 60;

/** What POST /internal/reservations answers and the other routes too: a reservation as JSON. */
export interface ReservationBody {
  orderId: string;
  status: Reservation['status'];
  /** RFC 3339, UTC. */
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  lines: Reservation['lines'];
}

/**
 * Reads POST /internal/reservations' body, `{ orderId, items: [{ productId, quantity }], ttlSeconds? }`,
 * as far as this layer's own concerns go: BAD_REQUEST when it is not a JSON object, BAD_USER_INPUT
 * naming `orderId`, `items[i]` (not an object) or `ttlSeconds`. reserveStock checks the items.
 */
export function readReserveRequest(
  body: unknown,
  defaultTtlSeconds: number,
): { orderId: string; items: ReservationItem[]; ttlMs: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InventoryError('BAD_REQUEST', 'The body must be a JSON object sent as application/json.');
  }
  const { orderId, items, ttlSeconds = defaultTtlSeconds } = body as Record<string, unknown>;
  readOrderId(orderId);
  if (Array.isArray(items)) {
    items.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw badInput(`items[${index}]`, `items[${index}] must be an object: { "productId": "...", "quantity": 1 }.`);
      }
    });
  }
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw badInput('ttlSeconds', `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}.`);
  }
  // reserveStock checks the items (a list of 1 to 50, each product once, quantities 1 to 100) and names the bad one.
  return { orderId: orderId as string, items: items as ReservationItem[], ttlMs: ttlSeconds * 1_000 };
}

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
