import { DEFAULT_SEED_OPTIONS } from '@supergraph/demo-data';
import { eq } from 'drizzle-orm';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { releaseExpiredReservations, startReservationSweep } from '../src/inventory/expiry-sweep.js';
import { InventoryError } from '../src/inventory/inventory-error.js';
import { commitReservation, findReservation, releaseReservation, reserveStock } from '../src/inventory/reservation-service.js';
import { createProductsHarness, testDialects, type ProductsHarness } from './harness.js';
import { addStockedProduct, countAllReservationRows, newOrderId, readReservationRows, readStock } from './inventory-fixtures.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 10 };
const TTL_MS = 15 * 60 * 1000;
const now = new Date('2026-03-01T10:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

/** The refusal a promise rejects with, as the caller sees it: code, details and message. */
async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InventoryError) return { code: error.code, ...error.details, message: error.message };
    throw error;
  }
  throw new Error('expected an InventoryError, but the call succeeded');
}

describe.each(testDialects())('stock reservations on %s', (dialect) => {
  let harness: ProductsHarness;
  beforeAll(async () => {
    harness = await createProductsHarness(dialect, seed);
  });
  afterAll(() => harness?.close());

  const reserve = (
    orderId: string,
    items: { productId: string; quantity: number }[],
    options: { ttlMs?: number; at?: Date } = {},
  ) => reserveStock(harness.database, { orderId, items, ttlMs: options.ttlMs ?? TTL_MS, now: options.at ?? now });

  it('reserves every line at the catalog price, takes the units off stock and records RESERVED rows', async () => {
    const lamp = await addStockedProduct(harness.database, { stock: 10, priceMinor: 1999 });
    const chair = await addStockedProduct(harness.database, { stock: 3, priceMinor: 12_500 });
    const orderId = newOrderId();

    const { reservation, isNew } = await reserve(orderId, [
      { productId: chair.id, quantity: 3 },
      { productId: lamp.id, quantity: 2 },
    ]);

    expect(isNew).toBe(true);
    expect(reservation).toEqual({
      orderId,
      status: 'RESERVED',
      expiresAt: later(TTL_MS),
      createdAt: now,
      updatedAt: now,
      lines: [
        { productId: lamp.id, name: lamp.name, quantity: 2, unitPriceMinor: 1999, currency: 'USD' },
        { productId: chair.id, name: chair.name, quantity: 3, unitPriceMinor: 12_500, currency: 'USD' },
      ].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    });
    expect(await readStock(harness.database, lamp.id)).toBe(8);
    expect(await readStock(harness.database, chair.id)).toBe(0);
    const rows = await readReservationRows(harness.database, orderId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ orderId, status: 'RESERVED', expiresAt: later(TTL_MS), createdAt: now, updatedAt: now });
    }
    expect(rows.find((row) => row.productId === chair.id)).toMatchObject({
      quantity: 3,
      unitPriceMinor: 12_500,
      currency: 'USD',
    });
  });

  it('keeps the price of the moment of reservation when the catalog price changes afterwards', async () => {
    const product = await addStockedProduct(harness.database, { stock: 5, priceMinor: 1000 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 1 }]);
    await harness.database.transaction(({ db, tables: { products } }) =>
      db.update(products).set({ priceMinor: 5000 }).where(eq(products.id, product.id)),
    );

    const reservation = await findReservation(harness.database, orderId);
    expect(reservation.lines[0]).toMatchObject({ unitPriceMinor: 1000 });
  });

  it('commits a reservation: the units stay taken and every row becomes COMMITTED; committing again changes nothing', async () => {
    const product = await addStockedProduct(harness.database, { stock: 4 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 3 }]);

    const committed = await commitReservation(harness.database, { orderId, now: later(1000) });
    expect(committed).toMatchObject({ orderId, status: 'COMMITTED', updatedAt: later(1000) });
    const again = await commitReservation(harness.database, { orderId, now: later(2000) });
    expect(again).toEqual(committed);

    expect(await readStock(harness.database, product.id)).toBe(1);
    expect(await readReservationRows(harness.database, orderId)).toEqual([
      expect.objectContaining({ status: 'COMMITTED', quantity: 3, updatedAt: later(1000) }),
    ]);
  });

  it('releases a reservation: the units go back exactly once, however often it is released', async () => {
    const a = await addStockedProduct(harness.database, { stock: 5 });
    const b = await addStockedProduct(harness.database, { stock: 5 });
    const orderId = newOrderId();
    await reserve(orderId, [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 5 },
    ]);

    const released = await releaseReservation(harness.database, { orderId, now: later(1000) });
    expect(released).toMatchObject({ orderId, status: 'RELEASED', updatedAt: later(1000) });
    await releaseReservation(harness.database, { orderId, now: later(2000) });
    await Promise.all(Array.from({ length: 5 }, () => releaseReservation(harness.database, { orderId, now: later(3000) })));

    expect(await readStock(harness.database, a.id)).toBe(5);
    expect(await readStock(harness.database, b.id)).toBe(5);
    expect((await readReservationRows(harness.database, orderId)).map((row) => row.status)).toEqual(['RELEASED', 'RELEASED']);
  });

  it('releases a committed reservation (a cancelled confirmed order) and restocks once', async () => {
    const product = await addStockedProduct(harness.database, { stock: 6 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 4 }]);
    await commitReservation(harness.database, { orderId, now });
    expect(await readStock(harness.database, product.id)).toBe(2);

    await releaseReservation(harness.database, { orderId, now });
    await releaseReservation(harness.database, { orderId, now });

    expect(await readStock(harness.database, product.id)).toBe(6);
    expect(await readReservationRows(harness.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
  });

  it('refuses to commit a released reservation with RESERVATION_RELEASED, leaving it released', async () => {
    const product = await addStockedProduct(harness.database, { stock: 2 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 1 }]);
    await releaseReservation(harness.database, { orderId, now });

    expect(await refusalOf(commitReservation(harness.database, { orderId, now }))).toEqual({
      code: 'RESERVATION_RELEASED',
      orderId,
      message: `The stock reservation for order ${orderId} was released; it cannot be committed.`,
    });
    expect(await readStock(harness.database, product.id)).toBe(2);
    expect(await readReservationRows(harness.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
  });

  it('answers RESERVATION_NOT_FOUND for an order without a reservation, on commit, release and read', async () => {
    const orderId = newOrderId();
    const notFound = { code: 'RESERVATION_NOT_FOUND', orderId, message: `There is no stock reservation for order ${orderId}.` };
    expect(await refusalOf(commitReservation(harness.database, { orderId, now }))).toEqual(notFound);
    expect(await refusalOf(releaseReservation(harness.database, { orderId, now }))).toEqual(notFound);
    expect(await refusalOf(findReservation(harness.database, orderId))).toEqual(notFound);
  });

  it('returns the existing reservation for a repeated request with the same items, whatever its status, without touching stock', async () => {
    const a = await addStockedProduct(harness.database, { stock: 10 });
    const b = await addStockedProduct(harness.database, { stock: 10 });
    const orderId = newOrderId();
    const first = await reserve(orderId, [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
    ]);

    // Same items in another order, later, with another lifetime: still the first reservation.
    const repeated = await reserve(
      orderId,
      [
        { productId: b.id, quantity: 2 },
        { productId: a.id, quantity: 1 },
      ],
      { at: later(60_000), ttlMs: 1000 },
    );
    expect(repeated).toEqual({ reservation: first.reservation, isNew: false });
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([9, 8]);

    await commitReservation(harness.database, { orderId, now: later(1000) });
    const afterCommit = await reserve(orderId, [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
    ]);
    expect(afterCommit).toMatchObject({ reservation: { status: 'COMMITTED' }, isNew: false });
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([9, 8]);

    await releaseReservation(harness.database, { orderId, now: later(2000) });
    const afterRelease = await reserve(orderId, [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
    ]);
    expect(afterRelease).toMatchObject({ reservation: { status: 'RELEASED' }, isNew: false });
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([10, 10]);
  });

  it.each([
    ['another quantity', (a: string) => [{ productId: a, quantity: 2 }]],
    ['another product', (_a: string, b: string) => [{ productId: b, quantity: 1 }]],
    [
      'an extra line',
      (a: string, b: string) => [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 1 },
      ],
    ],
  ])('refuses the same order id with %s as RESERVATION_CONFLICT, changing nothing', async (_case, otherItems) => {
    const a = await addStockedProduct(harness.database, { stock: 10 });
    const b = await addStockedProduct(harness.database, { stock: 10 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: a.id, quantity: 1 }]);
    const rowsBefore = await readReservationRows(harness.database, orderId);

    expect(await refusalOf(reserve(orderId, otherItems(a.id, b.id)))).toEqual({
      code: 'RESERVATION_CONFLICT',
      orderId,
      message: `Order ${orderId} already has a stock reservation for other items; a reservation cannot be changed.`,
    });
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([9, 10]);
    expect(await readReservationRows(harness.database, orderId)).toEqual(rowsBefore);
  });

  it('refuses an unknown product with UNKNOWN_PRODUCT naming it, and takes no stock for the other lines', async () => {
    const product = await addStockedProduct(harness.database, { stock: 3 });
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
    expect(await readStock(harness.database, product.id)).toBe(3);
    expect(await readReservationRows(harness.database, orderId)).toEqual([]);
  });

  it('refuses a line that cannot be served with OUT_OF_STOCK naming the product and what is left, and rolls back the other lines', async () => {
    const plenty = await addStockedProduct(harness.database, { stock: 50 });
    const scarce = await addStockedProduct(harness.database, { stock: 2 });
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
    expect(await readStock(harness.database, plenty.id)).toBe(50);
    expect(await readStock(harness.database, scarce.id)).toBe(2);
    expect(await readReservationRows(harness.database, orderId)).toEqual([]);

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
    const product = await addStockedProduct(harness.database, { stock: 200 });
    const rowsBefore = await countAllReservationRows(harness.database);
    const input = { orderId: newOrderId(), items: [{ productId: product.id, quantity: 1 }], ttlMs: TTL_MS, now, ...change };

    const refusal = await refusalOf(reserveStock(harness.database, input as Parameters<typeof reserveStock>[1]));
    expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(refusal.message).toContain(field);
    expect(await readStock(harness.database, product.id)).toBe(200);
    expect(await countAllReservationRows(harness.database)).toBe(rowsBefore);
  });

  it('accepts 50 products of 100 units each, the most one reservation may hold', async () => {
    const products = await Promise.all(Array.from({ length: 50 }, () => addStockedProduct(harness.database, { stock: 100 })));
    const { reservation } = await reserve(
      newOrderId(),
      products.map((product) => ({ productId: product.id, quantity: 100 })),
    );
    expect(reservation.lines).toHaveLength(50);
    expect(await readStock(harness.database, products[49]!.id)).toBe(0);
  });

  describe('the expiry sweep', () => {
    it('releases only RESERVED reservations past their expiry, restocking them once', async () => {
      const product = await addStockedProduct(harness.database, { stock: 20 });
      const at = new Date('2020-01-01T00:00:00.000Z');
      const item = (quantity: number) => [{ productId: product.id, quantity }];
      const [expired, fresh, committed, released, expiresNow] = [
        newOrderId(),
        newOrderId(),
        newOrderId(),
        newOrderId(),
        newOrderId(),
      ];
      await reserve(expired, item(1), { at, ttlMs: 60_000 });
      await reserve(fresh, item(2), { at, ttlMs: 10 * 60_000 });
      await reserve(committed, item(3), { at, ttlMs: 60_000 });
      await commitReservation(harness.database, { orderId: committed, now: at });
      await reserve(released, item(4), { at, ttlMs: 60_000 });
      await releaseReservation(harness.database, { orderId: released, now: at });
      await reserve(expiresNow, item(5), { at, ttlMs: 5 * 60_000 });
      expect(await readStock(harness.database, product.id)).toBe(20 - 1 - 2 - 3 - 5);

      const sweptAt = new Date(at.getTime() + 5 * 60_000);
      const result = await releaseExpiredReservations(harness.database, { now: sweptAt, limit: 100 });

      expect(result.releasedOrderIds.sort()).toEqual([expired, expiresNow].sort());
      expect(result).toMatchObject({ failures: [], hasMore: false });
      const statusOf = async (orderId: string) => (await readReservationRows(harness.database, orderId))[0];
      expect(await statusOf(expired)).toMatchObject({ status: 'RELEASED', updatedAt: sweptAt });
      expect(await statusOf(expiresNow)).toMatchObject({ status: 'RELEASED' });
      expect(await statusOf(fresh)).toMatchObject({ status: 'RESERVED' });
      expect(await statusOf(committed)).toMatchObject({ status: 'COMMITTED' });
      expect(await statusOf(released)).toMatchObject({ status: 'RELEASED', updatedAt: at });
      expect(await readStock(harness.database, product.id)).toBe(20 - 2 - 3);

      // A second pass finds nothing more to do.
      expect(await releaseExpiredReservations(harness.database, { now: sweptAt, limit: 100 })).toMatchObject({
        releasedOrderIds: [],
      });
      expect(await readStock(harness.database, product.id)).toBe(15);
    });

    it('works in batches of `limit` orders, earliest expiry first, and says when more may be waiting', async () => {
      const product = await addStockedProduct(harness.database, { stock: 10 });
      const at = new Date('2019-01-01T00:00:00.000Z');
      const orders = [newOrderId(), newOrderId(), newOrderId()];
      for (const [index, orderId] of orders.entries()) {
        await reserve(orderId, [{ productId: product.id, quantity: 1 }], { at, ttlMs: (index + 1) * 1000 });
      }
      const sweptAt = new Date('2019-01-01T01:00:00.000Z');

      const first = await releaseExpiredReservations(harness.database, { now: sweptAt, limit: 2 });
      expect(first).toMatchObject({ releasedOrderIds: [orders[0], orders[1]], hasMore: true });
      const second = await releaseExpiredReservations(harness.database, { now: sweptAt, limit: 2 });
      expect(second).toMatchObject({ releasedOrderIds: [orders[2]], hasMore: false });
      expect(await readStock(harness.database, product.id)).toBe(10);
    });

    // Last in this file: the background sweep runs on the real clock and releases every expired reservation.
    it('runs in the background from the start until stopped, giving back the stock of expired reservations', async () => {
      const product = await addStockedProduct(harness.database, { stock: 3 });
      const orderId = newOrderId();
      await reserve(orderId, [{ productId: product.id, quantity: 3 }], { at: new Date(Date.now() - 60_000), ttlMs: 1000 });
      expect(await readStock(harness.database, product.id)).toBe(0);

      const sweep = startReservationSweep(harness.database, {
        intervalMs: 100,
        logger: createLogger({ service: 'products', level: 'silent' }),
      });
      try {
        await vi.waitFor(async () => expect(await readStock(harness.database, product.id)).toBe(3), { timeout: 5000 });
      } finally {
        await sweep.stop();
      }
      expect(await readReservationRows(harness.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
    });
  });
});
