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

  it.each([
    ['not an object', [], [], 'Invalid input: expected object, received array'],
    ['a missing orderId', { items: [item] }, ['orderId'], 'must be 1 to 128 letters, digits, ".", "_", ":" or "-".'],
    [
      'an orderId with a slash',
      { orderId: 'a/b', items: [item] },
      ['orderId'],
      'must be 1 to 128 letters, digits, ".", "_", ":" or "-".',
    ],
    [
      'an orderId of 129 characters',
      { orderId: 'x'.repeat(129), items: [item] },
      ['orderId'],
      'must be 1 to 128 letters, digits, ".", "_", ":" or "-".',
    ],
    ['items that are not a list', { orderId: 'o', items: item }, ['items'], 'must list 1 to 50 products.'],
    ['no items', { orderId: 'o', items: [] }, ['items'], 'must list 1 to 50 products.'],
    [
      '51 items',
      { orderId: 'o', items: Array.from({ length: 51 }, (_, index) => ({ productId: `p-${index}`, quantity: 1 })) },
      ['items'],
      'must list 1 to 50 products.',
    ],
    [
      'an item that is not an object',
      { orderId: 'o', items: ['x'] },
      ['items', 0],
      'must be an object: { "productId": "...", "quantity": 1 }.',
    ],
    [
      'an empty product id',
      { orderId: 'o', items: [{ productId: '', quantity: 1 }] },
      ['items', 0, 'productId'],
      'must be a product id.',
    ],
    [
      'a product id that is a number',
      { orderId: 'o', items: [{ productId: 42, quantity: 1 }] },
      ['items', 0, 'productId'],
      'must be a product id.',
    ],
    [
      'a product listed twice',
      { orderId: 'o', items: [item, { productId: 'other', quantity: 1 }, { ...item, quantity: 1 }] },
      ['items', 2, 'productId'],
      'repeats items[0].productId (product-1); list each product once with its total quantity.',
    ],
    [
      'a quantity of 0',
      { orderId: 'o', items: [{ ...item, quantity: 0 }] },
      ['items', 0, 'quantity'],
      'must be a whole number from 1 to 100.',
    ],
    [
      'a quantity of 101',
      { orderId: 'o', items: [{ ...item, quantity: 101 }] },
      ['items', 0, 'quantity'],
      'must be a whole number from 1 to 100.',
    ],
    [
      'a fractional quantity',
      { orderId: 'o', items: [{ ...item, quantity: 1.5 }] },
      ['items', 0, 'quantity'],
      'must be a whole number from 1 to 100.',
    ],
    [
      'a quantity sent as a string',
      { orderId: 'o', items: [{ ...item, quantity: '2' }] },
      ['items', 0, 'quantity'],
      'must be a whole number from 1 to 100.',
    ],
    [
      'a ttlSeconds of 0',
      { orderId: 'o', items: [item], ttlSeconds: 0 },
      ['ttlSeconds'],
      'must be a whole number from 1 to 86400.',
    ],
    [
      'a ttlSeconds over a day',
      { orderId: 'o', items: [item], ttlSeconds: 86_401 },
      ['ttlSeconds'],
      'must be a whole number from 1 to 86400.',
    ],
    [
      'a ttlSeconds of null',
      { orderId: 'o', items: [item], ttlSeconds: null },
      ['ttlSeconds'],
      'must be a whole number from 1 to 86400.',
    ],
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
    expect(
      reservationErrorBodySchema.parse({
        error: {
          code: 'OUT_OF_STOCK',
          message: 'Product p has 1 unit left; 2 requested.',
          productId: 'p',
          available: 1,
          requested: 2,
        },
      }),
    ).toEqual({
      error: {
        code: 'OUT_OF_STOCK',
        message: 'Product p has 1 unit left; 2 requested.',
        productId: 'p',
        available: 1,
        requested: 2,
      },
    });
    expect(RESERVATION_ERROR_CODES).toEqual(Object.keys(RESERVATION_ERROR_STATUS));
    expect(RESERVATION_ERROR_STATUS).toMatchObject({
      BAD_REQUEST: 400,
      BAD_USER_INPUT: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      UNKNOWN_PRODUCT: 404,
      RESERVATION_NOT_FOUND: 404,
      OUT_OF_STOCK: 409,
      RESERVATION_CONFLICT: 409,
      RESERVATION_RELEASED: 409,
      PAYLOAD_TOO_LARGE: 413,
    });
  });

  it.each([
    ['a code the contract does not have', { error: { code: 'TEAPOT', message: 'no' } }],
    ['no message', { error: { code: 'OUT_OF_STOCK' } }],
    ['no error object', { code: 'OUT_OF_STOCK', message: 'no' }],
  ])('refuses %s', (_case, body) => {
    expect(reservationErrorBodySchema.safeParse(body).success).toBe(false);
  });
});
