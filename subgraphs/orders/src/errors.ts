import { AppError } from '@supergraph/server-kit/graphql';

/**
 * The codes the orders service answers beyond the generic ones (GENERIC_ERROR_CODES in server-kit).
 * Codes and extension field names are a public contract: never rename them.
 */
export const ORDERS_ERROR_CODES = [
  // createOrder: a product has fewer units left than the order asks for; nothing reserved or charged.
  'OUT_OF_STOCK',
  // createOrder: the payment provider declined the card; the order is cancelled.
  'PAYMENT_DECLINED',
  // createOrder: the payment could not be processed (no answer before the deadline, a provider refusal); the order is cancelled.
  'PAYMENT_FAILED',
  // createOrder: checkout ended before an order existed for a reason that is ours (inventory refusal, deadline).
  'CHECKOUT_FAILED',
  // createOrder: the stock held for the order was released before payment completed; the order is cancelled.
  'CHECKOUT_EXPIRED',
  // createOrder, cancelOrder: the saga has not reached an outcome yet; the same request may be sent again.
  'ORDER_IN_PROGRESS',
  // createOrder: the inventory could not be reached before anything was reserved; retry with the same key.
  'SERVICE_UNAVAILABLE',
  // createOrder: the idempotency key was already used for a different request.
  'IDEMPOTENCY_KEY_REUSED',
  // createOrder: the order this key placed was cancelled since (not answered today: such a retry returns the order).
  'ORDER_CANCELLED',
  // cancelOrder: the order's checkout has not finished yet (PENDING); retry once it is confirmed.
  'ORDER_NOT_CANCELLABLE',
] as const;

export type OrdersErrorCode = (typeof ORDERS_ERROR_CODES)[number];

export class OutOfStockError extends AppError<OrdersErrorCode> {
  constructor(data: { productId: string | undefined; available: number; requested: number }) {
    super(
      `Product ${data.productId} is out of stock: ${data.available} left, ${data.requested} requested.`,
      'OUT_OF_STOCK',
      data,
    );
  }
}

export class PaymentDeclinedError extends AppError<OrdersErrorCode> {
  constructor(message: string, data: { orderId: string; declineCode: string }) {
    super(message, 'PAYMENT_DECLINED', data);
  }
}

export class PaymentFailedError extends AppError<OrdersErrorCode> {
  constructor(data: { orderId: string }) {
    super('The payment could not be processed, and the order was cancelled.', 'PAYMENT_FAILED', data);
  }
}

export class CheckoutFailedError extends AppError<OrdersErrorCode> {
  constructor() {
    super('Checkout could not be completed; nothing was reserved or charged.', 'CHECKOUT_FAILED');
  }
}

export class CheckoutExpiredError extends AppError<OrdersErrorCode> {
  constructor(data: { orderId: string }) {
    super(
      'The stock held for this order was released before payment completed; the order was cancelled.',
      'CHECKOUT_EXPIRED',
      data,
    );
  }
}

export class OrderInProgressError extends AppError<OrdersErrorCode> {
  constructor(data: { orderId: string }) {
    super(
      'The order is still being processed (the payment provider or the inventory has not answered yet); it will be confirmed or cancelled on its own. Send the same request again to learn the outcome.',
      'ORDER_IN_PROGRESS',
      { retryable: true, ...data },
    );
  }
}

export class ServiceUnavailableError extends AppError<OrdersErrorCode> {
  constructor(message: string) {
    super(message, 'SERVICE_UNAVAILABLE', { retryable: true });
  }
}

export class IdempotencyKeyReusedError extends AppError<OrdersErrorCode> {
  constructor() {
    super(
      'This idempotencyKey was already used for a different order. Use a new key for a new order.',
      'IDEMPOTENCY_KEY_REUSED',
      { argumentName: 'input.idempotencyKey' },
    );
  }
}

export class OrderCancelledError extends AppError<OrdersErrorCode> {
  constructor(data: { orderId: string }) {
    super('The order was cancelled.', 'ORDER_CANCELLED', data);
  }
}

export class OrderNotCancellableError extends AppError<OrdersErrorCode> {
  constructor(data: { orderId: string }) {
    super('Checkout of this order has not finished yet; it can be cancelled once it is confirmed.', 'ORDER_NOT_CANCELLABLE', {
      ...data,
      retryable: true,
    });
  }
}
