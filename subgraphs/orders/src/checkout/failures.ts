import { z } from 'zod';
import { BadUserInputError, type AppError } from '@supergraph/server-kit/graphql';
import {
  CheckoutExpiredError,
  CheckoutFailedError,
  OrderCancelledError,
  OutOfStockError,
  PaymentDeclinedError,
  PaymentFailedError,
  ServiceUnavailableError,
} from '../errors.js';
import { CANCELLATION_REASONS, type CancellationReason } from '../db/tables/index.js';

/**
 * Why a saga stopped going forward, as stored in checkout_sagas.failure_code (details as JSON in
 * failure_details). The transition decides it once; every retry of the request with the same key
 * answers with the same error, and toCheckoutError below is the one place that maps a stored
 * outcome to that error. A cancelled order shows the code as its cancellation reason.
 */
export const FAILURE_CODES = [
  // Before an order existed: checkout ends REJECTED, nothing reserved or charged.
  'OUT_OF_STOCK',
  'UNKNOWN_PRODUCT',
  'MIXED_CURRENCIES',
  'TOTAL_TOO_LARGE',
  'INVENTORY_UNAVAILABLE',
  'INVENTORY_REFUSED',
  'CHECKOUT_TIMED_OUT',
  // After the order existed: it ends CANCELLED, and the code is its cancellation reason.
  ...CANCELLATION_REASONS,
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

/** What the saga records beside a code, for the error every retry answers with (failure_details). */
export const failureDetailsSchema = z.object({
  productId: z.string().optional(),
  available: z.number().optional(),
  requested: z.number().optional(),
  declineCode: z.string().optional(),
  message: z.string().optional(),
});

export type FailureDetails = z.infer<typeof failureDetailsSchema>;

/** What a cancelled order says about why; checkout failures that leave no order never get here. */
export function toCancellationReason(code: FailureCode | null): CancellationReason {
  return CANCELLATION_REASONS.find((reason) => reason === code) ?? 'PAYMENT_FAILED';
}

/** Failures that were decided after the order was confirmed: a retry of createOrder returns the order. */
export function isCancellationOfConfirmedOrder(code: FailureCode | null): boolean {
  return code === 'CANCELLED_BY_CUSTOMER' || code === 'CANCELLED_BY_ADMIN';
}

/** The error a checkout that ended (or is compensating) for `code` answers with. */
export function toCheckoutError(code: FailureCode, details: FailureDetails, orderId: string): AppError<string> {
  switch (code) {
    case 'OUT_OF_STOCK':
      return new OutOfStockError({
        productId: details.productId,
        available: details.available ?? 0,
        requested: details.requested ?? 0,
      });
    case 'UNKNOWN_PRODUCT':
      return new BadUserInputError(`There is no product ${details.productId}.`, 'input.items', {
        productId: details.productId,
      });
    case 'MIXED_CURRENCIES':
      return new BadUserInputError(
        'The products are priced in different currencies; buy them in separate orders.',
        'input.items',
      );
    case 'TOTAL_TOO_LARGE':
      return new BadUserInputError('The order total is larger than a single payment may be; split the order.', 'input.items');
    case 'INVENTORY_UNAVAILABLE':
      return new ServiceUnavailableError(
        'The inventory could not be reached: nothing was charged, and any stock held for this attempt is released. Try again (the same idempotencyKey is fine).',
      );
    case 'INVENTORY_REFUSED':
    case 'CHECKOUT_TIMED_OUT':
      // Both end before an order exists, so there is no order to name.
      return new CheckoutFailedError();
    case 'PAYMENT_DECLINED':
      return new PaymentDeclinedError(details.message ?? 'The card was declined.', {
        orderId,
        declineCode: details.declineCode ?? 'generic_decline',
      });
    case 'PAYMENT_FAILED':
      return new PaymentFailedError({ orderId });
    case 'RESERVATION_EXPIRED':
      return new CheckoutExpiredError({ orderId });
    case 'CANCELLED_BY_CUSTOMER':
    case 'CANCELLED_BY_ADMIN':
      // createOrder answers these with the order (it was confirmed first); never reached from there.
      return new OrderCancelledError({ orderId });
  }
}
