import { createHash } from 'node:crypto';
import { BadUserInputError } from '@supergraph/server-kit/graphql';

/** The most lines one order may have, and units of one product per line (the inventory's limits too). */
export const MAX_LINES = 50;
export const MAX_QUANTITY = 100;
const MAX_KEY_LENGTH = 255;
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const KEY_PATTERN = /^[\x21-\x7e]+$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_]{1,255}$/;

export interface CheckoutRequest {
  items: { productId: string; quantity: number }[];
  idempotencyKey: string;
  paymentToken: string;
}

/**
 * Checks createOrder's input before anything is stored or called, naming the offending field: an
 * empty cart, too many lines, a quantity below 1 or above the limit, a product on two lines, a
 * malformed id, key or token. Whether each product exists is the inventory's to say.
 */
export function readCheckoutInput(input: CheckoutRequest): CheckoutRequest {
  const { items, idempotencyKey, paymentToken } = input;
  if (items.length === 0) throw new BadUserInputError('The cart is empty: add at least one item.', 'input.items');
  if (items.length > MAX_LINES) {
    throw new BadUserInputError(`An order has at most ${MAX_LINES} lines; this one has ${items.length}.`, 'input.items');
  }
  const seen = new Set<string>();
  items.forEach(({ productId, quantity }, index) => {
    if (!ID_PATTERN.test(productId)) {
      throw new BadUserInputError(`items[${index}].productId is not a product id.`, `input.items[${index}].productId`);
    }
    if (seen.has(productId)) {
      throw new BadUserInputError(
        `Product ${productId} is on more than one line; put its whole quantity on one line.`,
        `input.items[${index}].productId`,
      );
    }
    seen.add(productId);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new BadUserInputError(
        `items[${index}].quantity must be from 1 to ${MAX_QUANTITY}; it is ${quantity}.`,
        `input.items[${index}].quantity`,
      );
    }
  });
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(idempotencyKey)) {
    throw new BadUserInputError(
      `idempotencyKey must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters, such as a UUID generated when the customer opened checkout.`,
      'input.idempotencyKey',
    );
  }
  if (!TOKEN_PATTERN.test(paymentToken)) {
    throw new BadUserInputError(
      'paymentToken must be the token the payment form returned, such as tok_visa.',
      'input.paymentToken',
    );
  }
  return { items: items.map(({ productId, quantity }) => ({ productId, quantity })), idempotencyKey, paymentToken };
}

/** What makes two requests with one idempotency key "the same": the lines in order, and the token. */
export function hashCheckoutRequest({ items, paymentToken }: CheckoutRequest): string {
  const canonical = JSON.stringify({ items: items.map(({ productId, quantity }) => [productId, quantity]), paymentToken });
  return createHash('sha256').update(canonical).digest('hex');
}
