import { expect, it } from 'vitest';
import { reserveStock } from '../src/inventory/reservation-service.js';
import { addStockedProduct, countAllReservationRows, newOrderId, readReservationRows } from './inventory-fixtures.js';
import { describeInventory, now, refusalOf, TTL_MS } from './inventory-suite.js';

// What a reservation request may ask for: each refusal names what was wrong and takes no stock;
// the largest request allowed goes through.
describeInventory('stock reservation refusals', (suite) => {
  const { reserve, stockOf } = suite;

  it('refuses an unknown product with UNKNOWN_PRODUCT naming it, and takes no stock for the other lines', async () => {
    const product = await addStockedProduct(suite.database, { stock: 3 });
    const orderId = newOrderId();
    const missing = newOrderId();

    expect(
      await refusalOf(
        reserve(orderId, [
          { productId: product.id, quantity: 1 },
          { productId: missing, quantity: 1 },
        ]),
      ),
    ).toEqual({ code: 'UNKNOWN_PRODUCT', productId: missing, message: `There is no product ${missing} in the catalog.` });
    expect(await stockOf(product)).toEqual([3]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([]);
  });

  it('refuses a line that cannot be served with OUT_OF_STOCK naming the product and what is left, and rolls back the other lines', async () => {
    const plenty = await addStockedProduct(suite.database, { stock: 50 });
    const scarce = await addStockedProduct(suite.database, { stock: 2 });
    const orderId = newOrderId();

    expect(
      await refusalOf(
        reserve(orderId, [
          { productId: plenty.id, quantity: 5 },
          { productId: scarce.id, quantity: 3 },
        ]),
      ),
    ).toEqual({
      code: 'OUT_OF_STOCK',
      productId: scarce.id,
      available: 2,
      requested: 3,
      message: `Product ${scarce.id} has 2 units left; 3 requested.`,
    });
    expect(await stockOf(plenty, scarce)).toEqual([50, 2]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([]);

    // The order id is still free: a request that fits goes through.
    const { isNew } = await reserve(orderId, [{ productId: scarce.id, quantity: 2 }]);
    expect(isNew).toBe(true);
  });

  const productId = '7d4f6a2c-1b3e-4c5d-8e9f-0a1b2c3d4e5f';
  it.each([
    ['an empty order id', { orderId: '' }, 'orderId'],
    ['an order id with spaces', { orderId: 'order 1' }, 'orderId'],
    ['an order id of 129 characters', { orderId: 'x'.repeat(129) }, 'orderId'],
    ['no items', { items: [] }, 'items'],
    ['51 products', { items: Array.from({ length: 51 }, (_, i) => ({ productId: `product-${i}`, quantity: 1 })) }, 'items'],
    ['an empty product id', { items: [{ productId: '', quantity: 1 }] }, 'items[0].productId'],
    ['a product id that is not a string', { items: [{ productId: 42, quantity: 1 }] }, 'items[0].productId'],
    [
      'a repeated product',
      {
        items: [
          { productId, quantity: 1 },
          { productId: 'other', quantity: 1 },
          { productId, quantity: 2 },
        ],
      },
      'items[2].productId',
    ],
    ['a quantity of 0', { items: [{ productId, quantity: 0 }] }, 'items[0].quantity'],
    ['a negative quantity', { items: [{ productId, quantity: -1 }] }, 'items[0].quantity'],
    ['a quantity of 101', { items: [{ productId, quantity: 101 }] }, 'items[0].quantity'],
    ['a fractional quantity', { items: [{ productId, quantity: 1.5 }] }, 'items[0].quantity'],
    ['a quantity that is a string', { items: [{ productId, quantity: '1' }] }, 'items[0].quantity'],
    ['a lifetime under a second', { ttlMs: 999 }, 'ttlMs'],
    ['a lifetime over a day', { ttlMs: 24 * 60 * 60 * 1000 + 1 }, 'ttlMs'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and changes nothing', async (_case, change, field) => {
    const product = await addStockedProduct(suite.database, { stock: 200 });
    const rowsBefore = await countAllReservationRows(suite.database);
    const input = { orderId: newOrderId(), items: [{ productId: product.id, quantity: 1 }], ttlMs: TTL_MS, now, ...change };

    // The cast lets values the input type forbids past the compiler, to reach the service's own checks.
    const refusal = await refusalOf(reserveStock(suite.database, input as Parameters<typeof reserveStock>[1]));
    expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(refusal.message).toContain(field);
    expect(await stockOf(product)).toEqual([200]);
    expect(await countAllReservationRows(suite.database)).toBe(rowsBefore);
  });

  it('accepts 50 products of 100 units each, the most one reservation may hold', async () => {
    const products = await Promise.all(Array.from({ length: 50 }, () => addStockedProduct(suite.database, { stock: 100 })));
    const { reservation } = await reserve(
      newOrderId(),
      products.map((product) => ({ productId: product.id, quantity: 100 })),
    );
    expect(reservation.lines).toHaveLength(50);
    expect(await stockOf(products[49]!)).toEqual([0]);
  });
});
