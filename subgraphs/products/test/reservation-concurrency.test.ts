import { expect, it } from 'vitest';
import { releaseExpiredReservations } from '../src/inventory/expiry-sweep.js';
import { InventoryError } from '../src/inventory/inventory-error.js';
import { commitReservation, releaseReservation, type Reservation } from '../src/inventory/reservation-service.js';
import { addStockedProduct, countReservationsByStatus, newOrderId, readReservationRows } from './inventory-fixtures.js';
import { describeInventory } from './inventory-suite.js';

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

// Many callers at once: exactly the stock there is gets reserved, the same order is reserved once,
// and commits racing the expiry sweep leave every order in one state with its stock to match.
// These reserve on the real clock, as the callers would.
describeInventory('stock reservations under concurrency', (suite) => {
  const { reserve, stockOf } = suite;
  /** Sends every request at once, on the real clock as the callers would, and settles them. */
  const reserveAtOnce = (requests: { orderId: string; items: { productId: string; quantity: number }[] }[]) => {
    const now = new Date();
    return settle(requests.map(({ orderId, items }) => reserve(orderId, items, { at: now })));
  };

  it('lets exactly 5 of 50 concurrent one-unit reservations through for 5 units in stock, and never oversells', async () => {
    const product = await addStockedProduct(suite.database, { stock: 5 });

    const { values, refusals } = await reserveAtOnce(
      Array.from({ length: 50 }, () => ({ orderId: newOrderId(), items: [{ productId: product.id, quantity: 1 }] })),
    );

    expect(values).toHaveLength(5);
    expect(values.every(({ isNew, reservation }) => isNew && reservation.status === 'RESERVED')).toBe(true);
    expect(refusals).toHaveLength(45);
    expect(new Set(refusals.map((error) => error.code))).toEqual(new Set(['OUT_OF_STOCK']));
    expect(refusals.every((error) => error.details.productId === product.id && error.details.available === 0)).toBe(true);
    expect(await stockOf(product)).toEqual([0]);
    expect(await countReservationsByStatus(suite.database, product.id)).toEqual({ RESERVED: 5 });
  });

  it('creates one reservation when the same order is reserved 10 times at once, taking the stock once', async () => {
    const product = await addStockedProduct(suite.database, { stock: 10 });
    const orderId = newOrderId();

    const { values, refusals } = await reserveAtOnce(
      Array(10).fill({ orderId, items: [{ productId: product.id, quantity: 3 }] }),
    );

    expect(refusals).toEqual([]);
    expect(values.filter((result) => result.isNew)).toHaveLength(1);
    expect(new Set(values.map((result) => JSON.stringify(result.reservation))).size).toBe(1);
    expect(await stockOf(product)).toEqual([7]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([
      expect.objectContaining({ quantity: 3, status: 'RESERVED' }),
    ]);
  });

  it('answers every concurrent repeat of an order that takes the last units with that reservation, not OUT_OF_STOCK', async () => {
    const product = await addStockedProduct(suite.database, { stock: 3 });
    const orderId = newOrderId();

    const { values, refusals } = await reserveAtOnce(
      Array(10).fill({ orderId, items: [{ productId: product.id, quantity: 3 }] }),
    );

    expect(refusals.map((error) => error.message)).toEqual([]);
    expect(values.filter((result) => result.isNew)).toHaveLength(1);
    expect(await stockOf(product)).toEqual([0]);
    expect(await countReservationsByStatus(suite.database, product.id)).toEqual({ RESERVED: 1 });
  });

  it('never deadlocks or loses units when orders take the same products in opposite orders', async () => {
    const a = await addStockedProduct(suite.database, { stock: 30 });
    const b = await addStockedProduct(suite.database, { stock: 30 });
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

    const reserved = await reserveAtOnce(orders);
    expect(reserved.values).toHaveLength(30);
    expect(reserved.refusals.map((error) => error.code)).toEqual(Array(10).fill('OUT_OF_STOCK'));
    expect(await stockOf(a, b)).toEqual([0, 0]);

    // Releasing them all at once, half of them twice, puts back every unit exactly once.
    const reservedIds = reserved.values.map(({ reservation }) => reservation.orderId);
    const now = new Date();
    await settle(
      [...reservedIds, ...reservedIds.slice(0, 15)].map((orderId) => releaseReservation(suite.database, { orderId, now })),
    );
    expect(await stockOf(a, b)).toEqual([30, 30]);
  });

  it('leaves each expired order either committed with its stock taken or released with its stock back when commits race the sweep', async () => {
    const product = await addStockedProduct(suite.database, { stock: 40 });
    const other = await addStockedProduct(suite.database, { stock: 40 });
    const reservedAt = new Date(Date.now() - 60 * 60 * 1000);
    const orderIds = Array.from({ length: 20 }, () => newOrderId());
    for (const orderId of orderIds) {
      await reserve(
        orderId,
        [
          { productId: product.id, quantity: 2 },
          { productId: other.id, quantity: 1 },
        ],
        { ttlMs: 60_000, at: reservedAt },
      );
    }
    const now = new Date();

    // The sweep releases one order at a time from the lowest order id up while the checkout commits one
    // at a time from the highest down: they meet, and race for the same orders, somewhere in the middle.
    const commitAll = async () => {
      const outcomes: Promise<unknown>[] = [];
      for (const orderId of [...orderIds].sort().reverse()) {
        const outcome = commitReservation(suite.database, { orderId, now });
        outcomes.push(outcome);
        await outcome.catch(() => undefined);
      }
      return settle(outcomes as Promise<Reservation>[]);
    };
    const sweepAll = async () => {
      while ((await releaseExpiredReservations(suite.database, { now, limit: 1 })).hasMore);
    };
    const [commits] = await Promise.all([commitAll(), sweepAll(), sweepAll()]);

    const committed = commits.values.map((reservation) => reservation.orderId);
    expect(commits.refusals.every((error) => error.code === 'RESERVATION_RELEASED')).toBe(true);
    expect(committed.length + commits.refusals.length).toBe(20);
    for (const orderId of orderIds) {
      const statuses = new Set((await readReservationRows(suite.database, orderId)).map((row) => row.status));
      expect(statuses).toEqual(new Set([committed.includes(orderId) ? 'COMMITTED' : 'RELEASED']));
    }
    expect(await stockOf(product, other)).toEqual([40 - 2 * committed.length, 40 - committed.length]);
  });
});
