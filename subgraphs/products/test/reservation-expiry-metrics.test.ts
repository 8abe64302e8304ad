import { createLogger } from '@supergraph/server-kit/telemetry';
import { beforeAll, expect, it, vi } from 'vitest';
import { startReservationSweep } from '../src/inventory/expiry-sweep.js';
import { addStockedProduct, newOrderId } from './inventory-fixtures.js';
import { describeInventory } from './inventory-suite.js';
import { readMetrics, seriesValue } from './metrics-text.js';

// The expiry backlog an operator is alerted on: reservations past their expiry that nobody released
// or committed, read at scrape time, and the ones the sweep released, counted.
describeInventory('the reservation expiry metrics', (suite) => {
  let origin: string;
  beforeAll(async () => {
    origin = new URL(await suite.harness.service.listen(0, '127.0.0.1')).origin;
  });
  const read = async () => {
    const text = await readMetrics(origin);
    return {
      pending: seriesValue(text, 'inventory_reservations_expired_pending'),
      expired: seriesValue(text, 'inventory_reservations_expired_total'),
    };
  };

  it('counts an expired reservation as pending until the sweep releases it, then as expired', async () => {
    expect(await read()).toEqual({ pending: 0, expired: 0 });
    const product = await addStockedProduct(suite.database, { stock: 5 });
    const item = [{ productId: product.id, quantity: 1 }];
    const minuteAgo = new Date(Date.now() - 60_000);
    await suite.reserve(newOrderId(), item, { at: minuteAgo, ttlMs: 1_000 });
    await suite.reserve(newOrderId(), item, { at: minuteAgo, ttlMs: 1_000 });
    await suite.reserve(newOrderId(), item, { at: new Date(), ttlMs: 10 * 60_000 });

    expect(await read()).toEqual({ pending: 2, expired: 0 });
    // A scrape's reads are monitoring, not the service's work: they are not counted as its statements.
    expect(await suite.harness.countStatements(() => readMetrics(origin))).toBe(0);

    const sweep = startReservationSweep(suite.database, {
      intervalMs: 60_000,
      logger: createLogger({ service: 'products', level: 'silent' }),
      metrics: suite.harness.inventoryMetrics,
    });
    try {
      await vi.waitFor(async () => expect(await read()).toEqual({ pending: 0, expired: 2 }), { timeout: 10_000 });
    } finally {
      await sweep.stop();
    }
  });
});
