import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real products service, in this process: the client is checked against the API it calls.
import { createProductsHarness, TEST_INVENTORY_SECRET, type ProductsHarness } from '../../products/test/harness.js';
import { addStockedProduct, readStock } from '../../products/test/inventory-fixtures.js';
import { createInventoryClient, type InventoryClient } from '../src/clients/inventory-client.js';
import { testDialects } from './harness.js';

describe.each(testDialects())("the inventory client against the products service's API on %s", (dialect) => {
  let products: ProductsHarness;
  let origin: string;
  let inventory: InventoryClient;
  beforeAll(async () => {
    products = await createProductsHarness(dialect, { products: 5 });
    origin = new URL(await products.service.listen(0, '127.0.0.1')).origin;
    inventory = createInventoryClient({ baseUrl: origin, secret: TEST_INVENTORY_SECRET, timeoutMs: 2_000 });
  });
  afterAll(() => products?.close());

  it('reserves at catalog prices, answers a repeat with the same reservation, commits, and releases back into stock', async () => {
    const product = await addStockedProduct(products.database, { stock: 5, priceMinor: 1_250 });
    const orderId = randomUUID();
    const request = { orderId, items: [{ productId: product.id, quantity: 2 }], ttlSeconds: 600 };

    const reserved = await inventory.reserve(request);
    expect(reserved).toEqual({
      status: 'reserved',
      reservation: {
        orderId,
        status: 'RESERVED',
        expiresAt: expect.any(Date),
        lines: [{ productId: product.id, name: product.name, quantity: 2, unitPriceMinor: 1_250, currency: 'USD' }],
      },
    });
    expect(await inventory.reserve(request)).toEqual(reserved);
    expect(await readStock(products.database, product.id)).toBe(3);

    expect(await inventory.commit(orderId)).toMatchObject({ status: 'committed', reservation: { status: 'COMMITTED' } });
    expect(await inventory.release(orderId)).toMatchObject({ status: 'released', reservation: { status: 'RELEASED' } });
    expect(await readStock(products.database, product.id)).toBe(5);
    expect(await inventory.commit(orderId)).toEqual({ status: 'released' });
  });

  it('reads out of stock and an unknown product, naming the product', async () => {
    const product = await addStockedProduct(products.database, { stock: 1 });
    const missing = randomUUID();

    expect(
      await inventory.reserve({ orderId: randomUUID(), items: [{ productId: product.id, quantity: 2 }], ttlSeconds: 60 }),
    ).toEqual({
      status: 'out_of_stock',
      productId: product.id,
      available: 1,
      requested: 2,
    });
    expect(
      await inventory.reserve({ orderId: randomUUID(), items: [{ productId: missing, quantity: 1 }], ttlSeconds: 60 }),
    ).toEqual({
      status: 'unknown_product',
      productId: missing,
    });
  });

  it('reads a release or commit of an order nothing was reserved for as not_found', async () => {
    expect(await inventory.release(randomUUID())).toEqual({ status: 'not_found' });
    expect(await inventory.commit(randomUUID())).toEqual({ status: 'not_found' });
  });

  it('treats a refused credential as retryable (a rotation in progress), and a reservation conflict as final', async () => {
    const wrongSecret = createInventoryClient({ baseUrl: origin, secret: 'not-the-secret', timeoutMs: 2_000 });
    expect(await wrongSecret.release(randomUUID())).toMatchObject({
      status: 'unavailable',
      isRetryable: true,
      reason: 'provider_error',
    });

    const product = await addStockedProduct(products.database, { stock: 5 });
    const orderId = randomUUID();
    await inventory.reserve({ orderId, items: [{ productId: product.id, quantity: 1 }], ttlSeconds: 60 });
    expect(await inventory.reserve({ orderId, items: [{ productId: product.id, quantity: 2 }], ttlSeconds: 60 })).toMatchObject({
      status: 'invalid',
      isRetryable: false,
      code: 'RESERVATION_CONFLICT',
    });
  });

  it('reads an answer outside the reservation contract as unavailable: an unknown code, a reservation missing its times', async () => {
    const answers = [
      { status: 409, body: { error: { code: 'TEAPOT', message: 'not a reservation code' } } },
      { status: 200, body: { orderId: 'o-1', status: 'RELEASED', expiresAt: '2026-12-07T06:00:00.000Z', lines: [] } },
    ];
    const server = createHttpServer((_req, res) => {
      const { status, body } = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const stranger = createInventoryClient({
        baseUrl: `http://127.0.0.1:${port}`,
        secret: TEST_INVENTORY_SECRET,
        timeoutMs: 2_000,
      });
      for (let answer = 0; answer < 2; answer++) {
        expect(await stranger.release('o-1')).toMatchObject({
          status: 'unavailable',
          isRetryable: true,
          reason: 'provider_error',
        });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers unavailable, unreachable, when nothing listens', async () => {
    // A port that was just free: nothing listens there now.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const nowhere = createInventoryClient({
      baseUrl: `http://127.0.0.1:${port}`,
      secret: TEST_INVENTORY_SECRET,
      timeoutMs: 1_000,
    });
    expect(await nowhere.release(randomUUID())).toMatchObject({ status: 'unavailable', reason: 'unreachable' });
  });
});
