import { createLogger } from '@supergraph/server-kit/telemetry';
import { expect, it, vi } from 'vitest';
import { releaseExpiredReservations, startReservationSweep } from '../src/inventory/expiry-sweep.js';
import { commitReservation, releaseReservation } from '../src/inventory/reservation-service.js';
import { addStockedProduct, newOrderId, readReservationRows } from './inventory-fixtures.js';
import { describeInventory } from './inventory-suite.js';

// The expiry sweep gives back the stock of reservations nobody committed or released in time.
// Each test reserves at an instant of its own, far from the others', so one test's sweep never
// reaches another test's reservations; the sweep on the real clock runs last.
describeInventory('the reservation expiry sweep', (suite) => {
  const { reserve, stockOf } = suite;

  it('releases only RESERVED reservations past their expiry, restocking them once', async () => {
    const product = await addStockedProduct(suite.database, { stock: 20 });
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
    await commitReservation(suite.database, { orderId: committed, now: at });
    await reserve(released, item(4), { at, ttlMs: 60_000 });
    await releaseReservation(suite.database, { orderId: released, now: at });
    await reserve(expiresNow, item(5), { at, ttlMs: 5 * 60_000 });
    expect(await stockOf(product)).toEqual([20 - 1 - 2 - 3 - 5]);

    const sweptAt = new Date(at.getTime() + 5 * 60_000);
    const result = await releaseExpiredReservations(suite.database, { now: sweptAt, limit: 100 });

    expect(result.releasedOrderIds.sort()).toEqual([expired, expiresNow].sort());
    expect(result).toMatchObject({ failures: [], hasMore: false });
    const statusOf = async (orderId: string) => (await readReservationRows(suite.database, orderId))[0];
    expect(await statusOf(expired)).toMatchObject({ status: 'RELEASED', updatedAt: sweptAt });
    expect(await statusOf(expiresNow)).toMatchObject({ status: 'RELEASED' });
    expect(await statusOf(fresh)).toMatchObject({ status: 'RESERVED' });
    expect(await statusOf(committed)).toMatchObject({ status: 'COMMITTED' });
    expect(await statusOf(released)).toMatchObject({ status: 'RELEASED', updatedAt: at });
    expect(await stockOf(product)).toEqual([20 - 2 - 3]);

    // A second pass finds nothing more to do.
    expect(await releaseExpiredReservations(suite.database, { now: sweptAt, limit: 100 })).toMatchObject({
      releasedOrderIds: [],
    });
    expect(await stockOf(product)).toEqual([15]);
  });

  it('works in batches of `limit` orders, earliest expiry first, and says when more may be waiting', async () => {
    const product = await addStockedProduct(suite.database, { stock: 10 });
    const at = new Date('2019-01-01T00:00:00.000Z');
    const orders = [newOrderId(), newOrderId(), newOrderId()];
    for (const [index, orderId] of orders.entries()) {
      await reserve(orderId, [{ productId: product.id, quantity: 1 }], { at, ttlMs: (index + 1) * 1000 });
    }
    const sweptAt = new Date('2019-01-01T01:00:00.000Z');

    const first = await releaseExpiredReservations(suite.database, { now: sweptAt, limit: 2 });
    expect(first).toMatchObject({ releasedOrderIds: [orders[0], orders[1]], hasMore: true });
    const second = await releaseExpiredReservations(suite.database, { now: sweptAt, limit: 2 });
    expect(second).toMatchObject({ releasedOrderIds: [orders[2]], hasMore: false });
    expect(await stockOf(product)).toEqual([10]);
  });

  // Last in this file: the background sweep runs on the real clock and releases every expired reservation.
  it('runs in the background from the start until stopped, giving back the stock of expired reservations', async () => {
    const product = await addStockedProduct(suite.database, { stock: 3 });
    const orderId = newOrderId();
    await reserve(orderId, [{ productId: product.id, quantity: 3 }], { at: new Date(Date.now() - 60_000), ttlMs: 1000 });
    expect(await stockOf(product)).toEqual([0]);

    const sweep = startReservationSweep(suite.database, {
      intervalMs: 100,
      logger: createLogger({ service: 'products', level: 'silent' }),
    });
    try {
      await vi.waitFor(async () => expect(await stockOf(product)).toEqual([3]), { timeout: 5000 });
    } finally {
      await sweep.stop();
    }
    expect(await readReservationRows(suite.database, orderId)).toEqual([expect.objectContaining({ status: 'RELEASED' })]);
  });
});
