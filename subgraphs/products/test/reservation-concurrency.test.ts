import { DEFAULT_SEED_OPTIONS } from '@supergraph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseExpiredReservations } from '../src/inventory/expiry-sweep.js';
import { InventoryError } from '../src/inventory/inventory-error.js';
import { commitReservation, releaseReservation, reserveStock, type Reservation } from '../src/inventory/reservation-service.js';
import { createProductsHarness, testDialects, type ProductsHarness } from './harness.js';
import {
  addStockedProduct,
  countReservationsByStatus,
  newOrderId,
  readReservationRows,
  readStock,
} from './inventory-fixtures.js';

const seed = { ...DEFAULT_SEED_OPTIONS, products: 10 };
const TTL_MS = 15 * 60 * 1000;

/** Settles every promise and sorts the outcomes: what succeeded, and the code of each refusal. */
async function settle<T>(promises: Promise<T>[]) {
  const outcomes = await Promise.allSettled(promises);
  const unexpected = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' && !(outcome.reason instanceof InventoryError) ? [outcome.reason] : [],
  );
  if (unexpected.length > 0) throw unexpected[0];
  return {
    values: outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])),
    refusals: outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as InventoryError] : [])),
  };
}

describe.each(testDialects())('stock reservations under concurrency on %s', (dialect) => {
  let harness: ProductsHarness;
  beforeAll(async () => {
    harness = await createProductsHarness(dialect, seed);
  });
  afterAll(() => harness?.close());

  it('lets exactly 5 of 50 concurrent one-unit reservations through for 5 units in stock, and never oversells', async () => {
    const product = await addStockedProduct(harness.database, { stock: 5 });
    const now = new Date();

    const { values, refusals } = await settle(
      Array.from({ length: 50 }, () =>
        reserveStock(harness.database, {
          orderId: newOrderId(),
          items: [{ productId: product.id, quantity: 1 }],
          ttlMs: TTL_MS,
          now,
        }),
      ),
    );

    expect(values).toHaveLength(5);
    expect(values.every(({ isNew, reservation }) => isNew && reservation.status === 'RESERVED')).toBe(true);
    expect(refusals).toHaveLength(45);
    expect(new Set(refusals.map((error) => error.code))).toEqual(new Set(['OUT_OF_STOCK']));
    expect(refusals.every((error) => error.details.productId === product.id && error.details.available === 0)).toBe(true);
    expect(await readStock(harness.database, product.id)).toBe(0);
    expect(await countReservationsByStatus(harness.database, product.id)).toEqual({ RESERVED: 5 });
  });

  it('creates one reservation when the same order is reserved 10 times at once, taking the stock once', async () => {
    const product = await addStockedProduct(harness.database, { stock: 10 });
    const orderId = newOrderId();
    const now = new Date();

    const { values, refusals } = await settle(
      Array.from({ length: 10 }, () =>
        reserveStock(harness.database, { orderId, items: [{ productId: product.id, quantity: 3 }], ttlMs: TTL_MS, now }),
      ),
    );

    expect(refusals).toEqual([]);
    expect(values.filter((result) => result.isNew)).toHaveLength(1);
    expect(new Set(values.map((result) => JSON.stringify(result.reservation))).size).toBe(1);
    expect(await readStock(harness.database, product.id)).toBe(7);
    expect(await readReservationRows(harness.database, orderId)).toEqual([
      expect.objectContaining({ quantity: 3, status: 'RESERVED' }),
    ]);
  });

  it('answers every concurrent repeat of an order that takes the last units with that reservation, not OUT_OF_STOCK', async () => {
    const product = await addStockedProduct(harness.database, { stock: 3 });
    const orderId = newOrderId();
    const now = new Date();

    const { values, refusals } = await settle(
      Array.from({ length: 10 }, () =>
        reserveStock(harness.database, { orderId, items: [{ productId: product.id, quantity: 3 }], ttlMs: TTL_MS, now }),
      ),
    );

    expect(refusals.map((error) => error.message)).toEqual([]);
    expect(values.filter((result) => result.isNew)).toHaveLength(1);
    expect(await readStock(harness.database, product.id)).toBe(0);
    expect(await countReservationsByStatus(harness.database, product.id)).toEqual({ RESERVED: 1 });
  });

  it('never deadlocks or loses units when orders take the same products in opposite orders', async () => {
    const a = await addStockedProduct(harness.database, { stock: 30 });
    const b = await addStockedProduct(harness.database, { stock: 30 });
    const now = new Date();
    const orders = Array.from({ length: 40 }, (_, index) => ({
      orderId: newOrderId(),
      items:
        index % 2 === 0
          ? [
              { productId: a.id, quantity: 1 },
              { productId: b.id, quantity: 1 },
            ]
          : [
              { productId: b.id, quantity: 1 },
              { productId: a.id, quantity: 1 },
            ],
    }));

    const reserved = await settle(orders.map((order) => reserveStock(harness.database, { ...order, ttlMs: TTL_MS, now })));
    expect(reserved.values).toHaveLength(30);
    expect(reserved.refusals.map((error) => error.code)).toEqual(Array(10).fill('OUT_OF_STOCK'));
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([0, 0]);

    // Releasing them all at once, half of them twice, puts back every unit exactly once.
    const reservedIds = reserved.values.map(({ reservation }) => reservation.orderId);
    await settle(
      [...reservedIds, ...reservedIds.slice(0, 15)].map((orderId) => releaseReservation(harness.database, { orderId, now })),
    );
    expect([await readStock(harness.database, a.id), await readStock(harness.database, b.id)]).toEqual([30, 30]);
  });

  it('leaves each expired order either committed with its stock taken or released with its stock back when commits race the sweep', async () => {
    const product = await addStockedProduct(harness.database, { stock: 40 });
    const other = await addStockedProduct(harness.database, { stock: 40 });
    const reservedAt = new Date(Date.now() - 60 * 60 * 1000);
    const orderIds = Array.from({ length: 20 }, () => newOrderId());
    for (const orderId of orderIds) {
      await reserveStock(harness.database, {
        orderId,
        items: [
          { productId: product.id, quantity: 2 },
          { productId: other.id, quantity: 1 },
        ],
        ttlMs: 60_000,
        now: reservedAt,
      });
    }
    const now = new Date();

    // The sweep releases one order at a time from the lowest order id up while the checkout commits one
    // at a time from the highest down: they meet, and race for the same orders, somewhere in the middle.
    const commitAll = async () => {
      const outcomes: Promise<unknown>[] = [];
      for (const orderId of [...orderIds].sort().reverse()) {
        const outcome = commitReservation(harness.database, { orderId, now });
        outcomes.push(outcome);
        await outcome.catch(() => undefined);
      }
      return settle(outcomes as Promise<Reservation>[]);
    };
    const sweepAll = async () => {
      while ((await releaseExpiredReservations(harness.database, { now, limit: 1 })).hasMore);
    };
    const [commits] = await Promise.all([commitAll(), sweepAll(), sweepAll()]);

    const committed = commits.values.map((reservation) => reservation.orderId);
    expect(commits.refusals.every((error) => error.code === 'RESERVATION_RELEASED')).toBe(true);
    expect(committed.length + commits.refusals.length).toBe(20);
    for (const orderId of orderIds) {
      const statuses = new Set((await readReservationRows(harness.database, orderId)).map((row) => row.status));
      expect(statuses).toEqual(new Set([committed.includes(orderId) ? 'COMMITTED' : 'RELEASED']));
    }
    expect(await readStock(harness.database, product.id)).toBe(40 - 2 * committed.length);
    expect(await readStock(harness.database, other.id)).toBe(40 - committed.length);
  });
});
