import type { ReservationErrorCode, ReservationErrorDetails } from '@supergraph/contracts/reservations';
import type { z } from 'zod';

/** The contract's codes for the inventory's expected refusals; the internal API answers the rest itself. */
export type InventoryErrorCode = Extract<
  ReservationErrorCode,
  | 'BAD_REQUEST'
  | 'BAD_USER_INPUT'
  | 'UNKNOWN_PRODUCT'
  | 'OUT_OF_STOCK'
  | 'RESERVATION_CONFLICT'
  | 'RESERVATION_NOT_FOUND'
  | 'RESERVATION_RELEASED'
>;

/** Facts a caller can act on, beside the message (the contract says which code carries which). */
export type InventoryErrorDetails = ReservationErrorDetails;

/**
 * An expected refusal of an inventory operation: a stable code, a message that says what is wrong,
 * and the details. Thrown inside a transaction, it also rolls back everything the operation did.
 */
export class InventoryError extends Error {
  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    readonly details: InventoryErrorDetails = {},
  ) {
    super(message);
    this.name = 'InventoryError';
  }
}

/** Bad input, naming the field; nothing was changed. */
export function badInput(field: string, message: string): InventoryError {
  return new InventoryError('BAD_USER_INPUT', message, { field });
}

/**
 * The first problem a schema found, as BAD_USER_INPUT naming its field (`items[2].quantity`). The
 * contract's rule messages start after the field's name, so the field leads the message.
 */
export function refuseInvalidInput(error: z.ZodError): InventoryError {
  const path = error.issues[0]?.path ?? [];
  const field = path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
  return badInput(field, `${field} ${error.issues[0]?.message ?? 'is not valid.'}`);
}

export function reservationNotFound(orderId: string): InventoryError {
  return new InventoryError('RESERVATION_NOT_FOUND', `There is no stock reservation for order ${orderId}.`, { orderId });
}
