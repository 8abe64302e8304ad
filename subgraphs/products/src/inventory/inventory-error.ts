/** The stable codes of the inventory's expected refusals; the internal API answers with them. */
export type InventoryErrorCode =
  | 'BAD_REQUEST'
  | 'BAD_USER_INPUT'
  | 'UNKNOWN_PRODUCT'
  | 'OUT_OF_STOCK'
  | 'RESERVATION_CONFLICT'
  | 'RESERVATION_NOT_FOUND'
  | 'RESERVATION_RELEASED';

/** Facts a caller can act on, beside the message. */
export interface InventoryErrorDetails {
  /** BAD_USER_INPUT: the offending field, as in `items[2].quantity`. */
  field?: string;
  /** UNKNOWN_PRODUCT, OUT_OF_STOCK: the product concerned. */
  productId?: string;
  /** OUT_OF_STOCK: units that can still be reserved. */
  available?: number;
  /** OUT_OF_STOCK: units asked for. */
  requested?: number;
  /** RESERVATION_*: the order concerned. */
  orderId?: string;
}

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

export function reservationNotFound(orderId: string): InventoryError {
  return new InventoryError('RESERVATION_NOT_FOUND', `There is no stock reservation for order ${orderId}.`, { orderId });
}
