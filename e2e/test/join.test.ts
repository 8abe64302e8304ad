import {
  DEMO_CUSTOMER_EMAIL,
  createDemoCategories,
  createDemoOrders,
  createDemoProducts,
  createDemoUsers,
  getDemoCustomerId,
  parseSeedOptions,
  type DemoOrder,
} from '@supergraph/demo-data';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument, OrderDetailsDocument, UserOrdersDocument } from '../../operations/__generated__/graphql.js';
import { createExampleCalls, DEMO_PASSWORD, listExampleOperationNames } from './support/example-operations.js';
import { requestIdOf } from './support/processes.js';
import { startStack, SUBGRAPHS, type Stack } from './support/stack.js';

const seedArgs = ['--customers', '8', '--products', '80', '--orders', '60'];
const seed = parseSeedOptions(seedArgs);
const customerId = getDemoCustomerId(seed);

const money = (cents: number) => (cents / 100).toFixed(2);
const products = new Map(createDemoProducts(seed).map((product) => [product.id, product]));
const categories = new Map(createDemoCategories().map((category) => [category.id, category]));
/** customer@example.com's orders, newest first, as the orders subgraph pages them. */
const customerOrders = createDemoOrders(seed)
  .filter((order) => order.userId === customerId)
  .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));

/** An order's lines as UserOrders and OrderDetails select them (the OrderLine fragment); `product` adds the product fields only one of them asks for. */
function expectedLines(order: DemoOrder, extra: { product?: (productId: string) => object } = {}) {
  return order.items.map((item) => ({
    quantity: item.quantity,
    unitPrice: { amount: money(item.unitPriceCents), currency: 'USD' },
    lineTotal: { amount: money(item.unitPriceCents * item.quantity), currency: 'USD' },
    product: { id: item.productId, name: products.get(item.productId)!.name, ...extra.product?.(item.productId) },
  }));
}

const dialects = testDialects();
/** The join's response body on each dialect, compared at the end. */
const joinBodies = new Map<string, unknown>();

describe.each(dialects)('the supergraph through the router, every subgraph on %s', (dialect) => {
  let stack: Stack;
  /** customer@example.com's Authorization header: a user's profile and orders are theirs (and admins') alone. */
  let asCustomer: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack({ dialect, seedArgs });
    const { token } = await stack.keys.issue({ id: customerId, role: 'CUSTOMER' });
    asCustomer = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // The query from the foundation issue: one request, three services, three databases.
  it("joins a user's orders, their lines and the products across three services and databases", async () => {
    const user = createDemoUsers(seed).find((candidate) => candidate.id === customerId)!;
    const page = customerOrders.slice(0, 5);

    const { status, body } = await stack.query(UserOrdersDocument, { userId: customerId }, asCustomer);
    joinBodies.set(dialect, body);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      user: {
        id: customerId,
        name: user.name,
        orders: {
          totalCount: customerOrders.length,
          pageInfo: { hasNextPage: customerOrders.length > 5, endCursor: expect.any(String) },
          nodes: page.map((order) => ({
            id: order.id,
            status: order.status,
            createdAt: order.createdAt.toISOString(),
            total: { amount: money(order.totalCents), currency: 'USD' },
            items: expectedLines(order, {
              product: (productId) => {
                const product = products.get(productId)!;
                return {
                  sku: product.sku,
                  price: { amount: money(product.priceCents), currency: 'USD' },
                  category: { id: product.categoryId, name: categories.get(product.categoryId)!.name },
                };
              },
            }),
          })),
        },
      },
    });
  });

  it("pages a user's orders backward through the router with `last` alone, the default of `first` giving way", async () => {
    const query = `#graphql
      query ($userId: ID!, $before: String) {
        user(id: $userId) { orders(last: 3, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor } nodes { id } } }
      }`;
    const idsOf = (orders: readonly { id: string }[]) => orders.map((order) => order.id);

    const oldest = await stack.query(query, { userId: customerId }, asCustomer);
    expect(oldest.body.errors).toBeUndefined();
    const { orders } = oldest.body.data.user;
    expect(idsOf(orders.nodes)).toEqual(idsOf(customerOrders.slice(-3)));
    expect(orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: customerOrders.length > 3 });

    const before = await stack.query(query, { userId: customerId, before: orders.pageInfo.startCursor }, asCustomer);
    expect(idsOf(before.body.data.user.orders.nodes)).toEqual(idsOf(customerOrders.slice(-6, -3)));
    expect(before.body.data.user.orders.pageInfo.hasNextPage).toBe(true);
  });

  it('forwards the request id to every subgraph, which each log it on exactly one request', async () => {
    const requestId = `e2e-${Date.now()}`;
    const { headers, body } = await stack.query(
      UserOrdersDocument,
      { userId: customerId },
      { ...asCustomer, 'x-request-id': requestId },
    );
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-request-id')).toBe(requestId);

    // Access log lines are written when a response has finished, which may be after the router has its answer.
    const isOfRequest = (line: Record<string, unknown>) => requestIdOf(line) === requestId;
    for (const service of [...SUBGRAPHS.map((name) => stack.subgraphs[name]), stack.router]) {
      await service.waitForLog(`the access log line of ${requestId}`, isOfRequest);
    }
    for (const name of SUBGRAPHS) {
      const lines = stack.subgraphs[name].logs.filter(isOfRequest);
      expect(lines, `${name} access log lines for ${requestId}`).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'request completed', service: name, res: { statusCode: 200 } });
    }
    const routerLines = stack.router.logs.filter(isOfRequest);
    expect(routerLines).toHaveLength(1);
    expect(routerLines[0]).toMatchObject({ operationName: 'UserOrders', res: { statusCode: 200 } });
  });

  it('answers /health and /ready on every service', async () => {
    for (const service of [...SUBGRAPHS.map((name) => stack.subgraphs[name]), stack.router]) {
      const health = await fetch(`${service.origin}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', service: service.name });
      const ready = await fetch(`${service.origin}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', service: service.name });
    }
    const routerReady = (await (await fetch(`${stack.router.origin}/ready`)).json()) as { supergraph: unknown };
    expect(routerReady.supergraph).toMatchObject({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      loadedAt: expect.any(String),
    });
  });

  it('serves Apollo Sandbox to a browser in development', async () => {
    const response = await fetch(stack.router.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it('runs every example operation in operations/ without errors', async () => {
    const login = await stack.query(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
    const calls = createExampleCalls({
      seed,
      customerId,
      refreshToken: login.body.data!.login.refreshToken,
      idempotencyKey: `join-test-${stack.dialect}`,
    });
    expect(calls.map((call) => call.operationName).sort()).toEqual(listExampleOperationNames());
    for (const call of calls) {
      const { status, body } = await call.send(stack.query, asCustomer);
      const file = `${call.operationName}.graphql`;
      expect({ file, status, errors: body.errors }).toEqual({ file, status: 200, errors: undefined });
      expect(
        Object.values(body.data ?? {}).every((value) => value !== null),
        file,
      ).toBe(true);
    }
  });

  it('keeps answering from the healthy subgraphs when one is down, naming the failed service but not its URL', async () => {
    const order = customerOrders[0]!;
    expect(await stack.subgraphs.users.stop()).toBe(0);

    const { status, body } = await stack.query(OrderDetailsDocument, { orderId: order.id }, asCustomer);

    expect(status).toBe(200);
    expect(body.data?.order).toEqual({
      id: order.id,
      status: order.status,
      createdAt: order.createdAt.toISOString(),
      user: null,
      total: { amount: money(order.totalCents), currency: 'USD' },
      items: expectedLines(order),
    });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'The users service is unavailable.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'users' },
      }),
    ]);
    expect(JSON.stringify(body.errors)).not.toMatch(/127\.0\.0\.1|localhost|http:|ECONNREFUSED/);
    expect((await fetch(`${stack.router.origin}/ready`)).status).toBe(200);
  });

  it('shuts every process down gracefully on SIGTERM', async () => {
    for (const service of [stack.subgraphs.products, stack.subgraphs.orders, stack.router]) {
      expect(await service.stop(), service.name).toBe(0);
      expect(service.logs.map((line) => line.msg)).toContain('stopped');
    }
  });
});

it('returns byte-identical join data from SQLite and from Postgres', () => {
  expect([...joinBodies.keys()]).toEqual(dialects);
  const [first, ...others] = [...joinBodies.values()].map((body) => JSON.stringify(body));
  for (const other of others) expect(other).toBe(first);
});
