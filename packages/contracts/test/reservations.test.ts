import { describe, expect, it } from 'vitest';
import {
  RESERVATION_ERROR_CODES,
  RESERVATION_ERROR_STATUS,
  reservationBodySchema,
  reservationErrorBodySchema,
  reserveRequestSchema,
} from '../src/reservations.js';

const item = { productId: 'product-1', quantity: 2 };

/** The first issue's path and message, as the products service reports it. */
function firstIssue(body: unknown) {
  const parsed = reserveRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the request to be refused');
  const [issue] = parsed.error.issues;
  return { path: issue?.path, message: issue?.message };
}

describe('the reserve request', () => {
  it('accepts an order id, 1 to 50 products and an optional lifetime, dropping unknown fields', () => {
    const orderId = '7f9c2ba4-e88f-4e2b-9f1a-0c6a3f0d2b11';
    expect(reserveRequestSchema.parse({ orderId, items: [item], ttlSeconds: 60, padding: 'x' })).toEqual({
      orderId,
      items: [item],
      ttlSeconds: 60,
    });
    expect(reserveRequestSchema.parse({ orderId, items: [item] })).toEqual({ orderId, items: [item] });
    const fifty = Array.from({ length: 50 }, (_, index) => ({ productId: `p-${index}`, quantity: 100 }));
    expect(reserveRequestSchema.parse({ orderId, items: fifty, ttlSeconds: 86_400 }).items).toHaveLength(50);
  });

  const ORDER_ID_RULE = 'must be 1 to 128 letters, digits, ".", "_", ":" or "-".';
  const ITEMS_RULE = 'must list 1 to 50 products.';
  const QUANTITY_RULE = 'must be a whole number from 1 to 100.';
  const TTL_RULE = 'must be a whole number from 1 to 86400.';
  const withItems = (items: unknown) => ({ orderId: 'o', items });
  const withQuantity = (quantity: unknown) => withItems([{ ...item, quantity }]);
  const withTtl = (ttlSeconds: unknown) => ({ orderId: 'o', items: [item], ttlSeconds });
  const manyItems = Array.from({ length: 51 }, (_, index) => ({ productId: `p-${index}`, quantity: 1 }));
  const repeated = [item, { productId: 'other', quantity: 1 }, { ...item, quantity: 1 }];

  it.each([
    ['not an object', [], [], 'Invalid input: expected object, received array'],
    ['a missing orderId', { items: [item] }, ['orderId'], ORDER_ID_RULE],
    ['an orderId with a slash', { orderId: 'a/b', items: [item] }, ['orderId'], ORDER_ID_RULE],
    ['an orderId of 129 characters', { orderId: 'x'.repeat(129), items: [item] }, ['orderId'], ORDER_ID_RULE],
    ['items that are not a list', withItems(item), ['items'], ITEMS_RULE],
    ['no items', withItems([]), ['items'], ITEMS_RULE],
    ['51 items', withItems(manyItems), ['items'], ITEMS_RULE],
    [
      'an item that is not an object',
      withItems(['x']),
      ['items', 0],
      'must be an object: { "productId": "...", "quantity": 1 }.',
    ],
    ['an empty product id', withItems([{ productId: '', quantity: 1 }]), ['items', 0, 'productId'], 'must be a product id.'],
    ['a numeric product id', withItems([{ productId: 42, quantity: 1 }]), ['items', 0, 'productId'], 'must be a product id.'],
    [
      'a product listed twice',
      withItems(repeated),
      ['items', 2, 'productId'],
      'repeats items[0].productId (product-1); list each product once with its total quantity.',
    ],
    ['a quantity of 0', withQuantity(0), ['items', 0, 'quantity'], QUANTITY_RULE],
    ['a quantity of 101', withQuantity(101), ['items', 0, 'quantity'], QUANTITY_RULE],
    ['a fractional quantity', withQuantity(1.5), ['items', 0, 'quantity'], QUANTITY_RULE],
    ['a quantity sent as a string', withQuantity('2'), ['items', 0, 'quantity'], QUANTITY_RULE],
    ['a ttlSeconds of 0', withTtl(0), ['ttlSeconds'], TTL_RULE],
    ['a ttlSeconds over a day', withTtl(86_401), ['ttlSeconds'], TTL_RULE],
    ['a ttlSeconds of null', withTtl(null), ['ttlSeconds'], TTL_RULE],
  ])('refuses %s, naming the path and the rule', (_case, body, path, message) => {
    expect(firstIssue(body)).toEqual({ path, message });
  });
});

describe('the reservation answer', () => {
  const body = {
    orderId: 'order-1',
    status: 'RESERVED',
    expiresAt: '2026-12-07T06:15:00.000Z',
    createdAt: '2026-12-07T06:00:00.000Z',
    updatedAt: '2026-12-07T06:00:00.000Z',
    lines: [{ productId: 'product-1', name: 'A book', quantity: 2, unitPriceMinor: 1_250, currency: 'USD' }],
  };

  it('reads what the products service sends, unchanged', () => {
    expect(reservationBodySchema.parse(JSON.parse(JSON.stringify(body)))).toEqual(body);
  });

  it.each([
    ['an unknown status', { status: 'PENDING' }],
    ['an expiry that is not an RFC 3339 instant', { expiresAt: 'tomorrow' }],
    ['a missing creation time', { createdAt: undefined }],
    ['a price that is a float', { lines: [{ ...body.lines[0], unitPriceMinor: 12.5 }] }],
    ['a currency that is not three letters', { lines: [{ ...body.lines[0], currency: 'US' }] }],
  ])('refuses %s', (_case, change) => {
    expect(reservationBodySchema.safeParse({ ...body, ...change }).success).toBe(false);
  });
});

describe('the error answer', () => {
  it('reads each code with its details, and gives every code one HTTP status', () => {
    const outOfStock = {
      error: {
        code: 'OUT_OF_STOCK',
        message: 'Product p has 1 unit left; 2 requested.',
        productId: 'p',
        available: 1,
        requested: 2,
      },
    };
    expect(reservationErrorBodySchema.parse(structuredClone(outOfStock))).toEqual(outOfStock);
    expect(RESERVATION_ERROR_CODES).toEqual(Object.keys(RESERVATION_ERROR_STATUS));
    // Each code has one status, a client or server error, so a caller can tell what to retry.
    for (const code of RESERVATION_ERROR_CODES) expect(RESERVATION_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
  });

  it.each([
    ['a code the contract does not have', { error: { code: 'TEAPOT', message: 'no' } }],
    ['no message', { error: { code: 'OUT_OF_STOCK' } }],
    ['no error object', { code: 'OUT_OF_STOCK', message: 'no' }],
  ])('refuses %s', (_case, body) => {
    expect(reservationErrorBodySchema.safeParse(body).success).toBe(false);
  });
});
