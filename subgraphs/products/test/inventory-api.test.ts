import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_INVENTORY_SECRET } from './harness.js';
import { addStockedProduct, countReservationsByStatus, newOrderId, readReservationRows } from './inventory-fixtures.js';
import { describeInventory } from './inventory-suite.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeInventory('the internal inventory API', (suite) => {
  const { stockOf } = suite;
  let origin: string;
  beforeAll(async () => {
    origin = new URL(await suite.harness.service.listen(0, '127.0.0.1')).origin;
  });

  /** Calls the API with the service credential (or the given headers instead) and reads the JSON answer. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'x-service-credential': TEST_INVENTORY_SECRET },
  ) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    // `any`: the tests walk JSON shapes the compiler cannot know.
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }
  const reserve = (body: unknown) => call('POST', '/internal/reservations', body);

  describe('authentication', () => {
    it('refuses a request without the service credential with 401 UNAUTHENTICATED, before reading the body', async () => {
      const product = await addStockedProduct(suite.database, { stock: 3 });
      const response = await call(
        'POST',
        '/internal/reservations',
        { orderId: newOrderId(), items: [{ productId: product.id, quantity: 1 }] },
        {},
      );
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'This API needs a service credential in the x-service-credential header.' },
      });
      expect(await stockOf(product)).toEqual([3]);
      expect((await call('GET', `/internal/reservations/${newOrderId()}`, undefined, {})).status).toBe(401);
    });

    it('refuses a wrong credential with 403 FORBIDDEN, and the router secret is no credential', async () => {
      const release = (headers: Record<string, string>) =>
        call('POST', `/internal/reservations/${newOrderId()}/release`, undefined, headers);
      expect((await release({ 'x-service-credential': `${TEST_INVENTORY_SECRET}x` })).status).toBe(403);
      expect((await release({ 'x-service-credential': 'test-router-secret' })).status).toBe(403);
      expect((await release({ 'x-router-secret': 'test-router-secret' })).status).toBe(401);
      const forbidden = await call('GET', `/internal/reservations/${newOrderId()}`, undefined, {
        'x-service-credential': 'nope',
      });
      expect(forbidden).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'The service credential is not valid for this API.' } },
      });
    });

    it('leaves /health open and does not let the service credential into GraphQL', async () => {
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      const graphql = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-service-credential': TEST_INVENTORY_SECRET },
        body: JSON.stringify({ query: '{ categories { id } }' }),
      });
      expect(graphql.status).toBe(403);
    });
  });

  it('reserves (201), repeats (200), reads, commits and releases a reservation, with stock and rows to match', async () => {
    const product = await addStockedProduct(suite.database, { stock: 10, priceMinor: 2450 });
    const orderId = newOrderId();
    const request = { orderId, items: [{ productId: product.id, quantity: 4 }] };

    const created = await reserve(request);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      orderId,
      status: 'RESERVED',
      expiresAt: expect.stringMatching(ISO_INSTANT),
      createdAt: expect.stringMatching(ISO_INSTANT),
      updatedAt: created.body.createdAt,
      lines: [{ productId: product.id, name: product.name, quantity: 4, unitPriceMinor: 2450, currency: 'USD' }],
    });
    // The default lifetime, RESERVATION_TTL_SECONDS (900 in the harness).
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(900_000);
    expect(await stockOf(product)).toEqual([6]);

    const repeated = await reserve(request);
    expect(repeated).toMatchObject({ status: 200, body: created.body });
    expect(await stockOf(product)).toEqual([6]);

    expect(await call('GET', `/internal/reservations/${orderId}`)).toMatchObject({ status: 200, body: created.body });

    const committed = await call('POST', `/internal/reservations/${orderId}/commit`);
    expect(committed).toMatchObject({ status: 200, body: { orderId, status: 'COMMITTED', lines: created.body.lines } });
    expect((await call('POST', `/internal/reservations/${orderId}/commit`)).status).toBe(200);
    expect(await stockOf(product)).toEqual([6]);

    const released = await call('POST', `/internal/reservations/${orderId}/release`);
    expect(released).toMatchObject({ status: 200, body: { orderId, status: 'RELEASED' } });
    expect((await call('POST', `/internal/reservations/${orderId}/release`)).status).toBe(200);
    expect(await stockOf(product)).toEqual([10]);
    expect(await readReservationRows(suite.database, orderId)).toEqual([
      expect.objectContaining({ status: 'RELEASED', quantity: 4 }),
    ]);

    const refused = await call('POST', `/internal/reservations/${orderId}/commit`);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'RESERVATION_RELEASED', orderId } } });
  });

  it('holds a reservation for the ttlSeconds it asks for', async () => {
    const product = await addStockedProduct(suite.database, { stock: 1 });
    const { status, body } = await reserve({
      orderId: newOrderId(),
      items: [{ productId: product.id, quantity: 1 }],
      ttlSeconds: 60,
    });
    expect(status).toBe(201);
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(60_000);
  });

  it('answers 409 OUT_OF_STOCK naming the product and what is available, and takes nothing', async () => {
    const plenty = await addStockedProduct(suite.database, { stock: 10 });
    const scarce = await addStockedProduct(suite.database, { stock: 1 });
    const response = await reserve({
      orderId: newOrderId(),
      items: [
        { productId: plenty.id, quantity: 2 },
        { productId: scarce.id, quantity: 2 },
      ],
    });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      error: {
        code: 'OUT_OF_STOCK',
        productId: scarce.id,
        available: 1,
        requested: 2,
        message: `Product ${scarce.id} has 1 unit left; 2 requested.`,
      },
    });
    expect(await stockOf(plenty, scarce)).toEqual([10, 1]);
  });

  it('answers 404 UNKNOWN_PRODUCT for a product the catalog does not have', async () => {
    const missing = newOrderId();
    const response = await reserve({ orderId: newOrderId(), items: [{ productId: missing, quantity: 1 }] });
    expect(response).toMatchObject({
      status: 404,
      body: { error: { code: 'UNKNOWN_PRODUCT', productId: missing, message: `There is no product ${missing} in the catalog.` } },
    });
  });

  it('answers 409 RESERVATION_CONFLICT when the order id already holds other items', async () => {
    const product = await addStockedProduct(suite.database, { stock: 10 });
    const orderId = newOrderId();
    expect((await reserve({ orderId, items: [{ productId: product.id, quantity: 1 }] })).status).toBe(201);
    const response = await reserve({ orderId, items: [{ productId: product.id, quantity: 2 }] });
    expect(response).toMatchObject({ status: 409, body: { error: { code: 'RESERVATION_CONFLICT', orderId } } });
    expect(await stockOf(product)).toEqual([9]);
  });

  it('answers 404 RESERVATION_NOT_FOUND for an order without a reservation', async () => {
    const orderId = newOrderId();
    for (const [method, path] of [
      ['GET', `/internal/reservations/${orderId}`],
      ['POST', `/internal/reservations/${orderId}/commit`],
      ['POST', `/internal/reservations/${orderId}/release`],
    ] as const) {
      expect(await call(method, path)).toEqual({
        status: 404,
        headers: expect.anything(),
        body: {
          error: { code: 'RESERVATION_NOT_FOUND', orderId, message: `There is no stock reservation for order ${orderId}.` },
        },
      });
    }
  });

  it.each([
    ['a missing orderId', { orderId: undefined }, 'orderId'],
    ['an orderId with a slash', { orderId: 'a/b' }, 'orderId'],
    ['items that are not a list', { items: { productId: 'x', quantity: 1 } }, 'items'],
    ['an item that is not an object', { items: ['x'] }, 'items[0]'],
    ['a quantity of 0', { items: [{ quantity: 0 }] }, 'items[0].quantity'],
    ['a quantity sent as a string', { items: [{ quantity: '2' }] }, 'items[0].quantity'],
    ['a ttlSeconds of 0', { ttlSeconds: 0 }, 'ttlSeconds'],
    ['a ttlSeconds over a day', { ttlSeconds: 86_401 }, 'ttlSeconds'],
    ['a ttlSeconds sent as a string', { ttlSeconds: '60' }, 'ttlSeconds'],
  ])('answers 400 BAD_USER_INPUT for %s, naming the field, and changes nothing', async (_case, change, field) => {
    const product = await addStockedProduct(suite.database, { stock: 5 });
    const { items: itemChange, ...rest } = change as { items?: unknown };
    const items = Array.isArray(itemChange)
      ? itemChange.map((item) => (typeof item === 'object' ? { productId: product.id, quantity: 1, ...item } : item))
      : (itemChange ?? [{ productId: product.id, quantity: 1 }]);
    const response = await reserve({ orderId: newOrderId(), items, ...rest });

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.body.error.message).toContain(field);
    expect(await stockOf(product)).toEqual([5]);
    expect(await countReservationsByStatus(suite.database, product.id)).toEqual({});
  });

  it.each([
    ['malformed JSON', '{"orderId": ', 'The request body is not valid JSON.'],
    ['a JSON list', '[]', 'The body must be a JSON object sent as application/json.'],
  ])('answers 400 BAD_REQUEST for %s', async (_case, body, message) => {
    expect(await reserve(body)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message } } });
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over 64 kB, and 404 NOT_FOUND for a route it does not have', async () => {
    const huge = await reserve({ orderId: newOrderId(), items: [], padding: 'x'.repeat(70_000) });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const unknown = await call('POST', `/internal/reservations/${newOrderId()}/cancel`);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('echoes the caller’s x-request-id, so one checkout can be followed through the logs', async () => {
    const response = await call('GET', `/internal/reservations/${newOrderId()}`, undefined, {
      'x-service-credential': TEST_INVENTORY_SECRET,
      'x-request-id': 'checkout-42',
    });
    expect(response.headers.get('x-request-id')).toBe('checkout-42');
  });

  it('lets exactly 5 of 50 concurrent HTTP reservations through for 5 units in stock: 45 get 409 OUT_OF_STOCK', async () => {
    const product = await addStockedProduct(suite.database, { stock: 5 });

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => reserve({ orderId: newOrderId(), items: [{ productId: product.id, quantity: 1 }] })),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(45);
    expect(
      responses
        .filter((response) => response.status === 409)
        .every((response) => response.body.error.code === 'OUT_OF_STOCK' && response.body.error.available === 0),
    ).toBe(true);
    expect(await stockOf(product)).toEqual([0]);
    expect(await countReservationsByStatus(suite.database, product.id)).toEqual({ RESERVED: 5 });
  });
});
