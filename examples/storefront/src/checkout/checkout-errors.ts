import type { CartLine } from '../cart/cart';
import { readOperationError } from '../errors/graphql-error';

/** What the customer reads after a failed checkout, and whether the same attempt may be sent again. */
export interface CheckoutFailure {
  code: string;
  message: string;
  /** Send the same request (same idempotency key) again: it never orders or charges twice. */
  isRetryable: boolean;
}

/** Turns createOrder's error into a message by its code (docs/errors.md lists them all). */
export function describeCheckoutFailure(error: unknown, lines: readonly CartLine[]): CheckoutFailure {
  const { code, message, extensions } = readOperationError(error);
  // No code: no answer reached us (the router unreachable, the connection dropped). The order may
  // or may not exist; the same key finds out without ordering twice.
  if (code === undefined)
    return { code: 'NETWORK_ERROR', message: `No answer from the shop (${message}). Try again.`, isRetryable: true };
  const isRetryable = extensions['retryable'] === true;
  switch (code) {
    case 'PAYMENT_DECLINED':
      return {
        code,
        isRetryable,
        message: `Your card was declined (${String(extensions['declineCode'])}). The order was cancelled and nothing was charged: choose another card.`,
      };
    case 'OUT_OF_STOCK': {
      const line = lines.find((candidate) => candidate.productId === extensions['productId']);
      const what = line ? line.name : 'a product';
      return {
        code,
        isRetryable,
        message: `Only ${Number(extensions['available'])} of ${what} left (you asked for ${Number(extensions['requested'])}). Nothing was charged.`,
      };
    }
    case 'ORDER_IN_PROGRESS':
      return {
        code,
        isRetryable,
        message: 'Your order is still being processed. Place it again to see how it ended; you will not be charged twice.',
      };
    case 'SERVICE_UNAVAILABLE':
      return { code, isRetryable, message: 'The shop cannot take orders right now; nothing was charged. Try again.' };
    case 'PAYMENT_FAILED':
    case 'CHECKOUT_EXPIRED':
    case 'CHECKOUT_FAILED':
      return { code, isRetryable, message: 'The order could not be completed and nothing was charged. Try again.' };
    case 'UNAUTHENTICATED':
      return { code, isRetryable, message: 'Sign in to check out.' };
    default:
      return { code, isRetryable, message: `${code}: ${message}` };
  }
}
