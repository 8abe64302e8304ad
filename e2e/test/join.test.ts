import {
  DEMO_CUSTOMER_EMAIL,
  createDemoCategories,
  createDemoOrders,
  createDemoProducts,
  createDemoUsers,
  getDemoCustomerId,
  parseSeedOptions,
} from '@supergraph/demo-data';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/processes.js';
import { startStack, SUBGRAPHS, type Stack } from './support/stack.js';

const seedArgs = ['--customers', '8', '--products', '80', '--orders', '60'];
const seed = parseSeedOptions(seedArgs);
const customerId = getDemoCustomerId(seed);

// The query from the foundation issue: one request, three services, three databases.
const USER_ORDERS = `#graphql
  query UserOrders($id: ID!) {
    user(id: $id) {
      name
      orders(first: 5) {
        totalCount
        nodes {
          id status total { amount currency }
          items { quantity unitPrice { amount } product { name sku price { amount currency } category { name } } }
        }
      }
    }
  }
`;

const money = (cents: number) => (cents / 100).toFixed(2);

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

  it("joins a user's orders, their lines and the products across three services and databases", async () => {
    const user = createDemoUsers(seed).find((candidate) => candidate.id === customerId)!;
    const products = new Map(createDemoProducts(seed).map((product) => [product.id, product]));
    const categories = new Map(createDemoCategories().map((category) => [category.id, category]));
    const orders = createDemoOrders(seed)
      .filter((order) => order.userId === customerId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));

    const { status, body } = await stack.query(USER_ORDERS, { id: customerId }, asCustomer);
    joinBodies.set(dialect, body);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      user: {
        name: user.name,
        orders: {
          totalCount: orders.length,
          nodes: orders.slice(0, 5).map((order) => ({
            id: order.id,
            status: order.status,
            total: { amount: money(order.totalCents), currency: 'USD' },
            items: order.items.map((item) => {
              const product = products.get(item.productId)!;
              return {
                quantity: item.quantity,
                unitPrice: { amount: money(item.unitPriceCents) },
                product: {
                  name: product.name,
                  sku: product.sku,
                  price: { amount: money(product.priceCents), currency: 'USD' },
                  category: { name: categories.get(product.categoryId)!.name },
                },
              };
            }),
          })),
        },
      },
    });
  });

  it('forwards the request id to every subgraph, which each log it on exactly one request', async () => {
    const requestId = `e2e-${Date.now()}`;
    const { headers, body } = await stack.query(USER_ORDERS, { id: customerId }, { ...asCustomer, 'x-request-id': requestId });
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-request-id')).toBe(requestId);

    // Access log lines are written when the response finishes; give the last one a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const name of SUBGRAPHS) {
      const lines = stack.subgraphs[name].logs.filter((line) => (line.req as { id?: string } | undefined)?.id === requestId);
      expect(lines, `${name} access log lines for ${requestId}`).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'request completed', service: name, res: { statusCode: 200 } });
    }
    const routerLines = stack.router.logs.filter((line) => (line.req as { id?: string } | undefined)?.id === requestId);
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
    const order = createDemoOrders(seed).find((candidate) => candidate.userId === customerId)!;
    const confirmed = createDemoOrders(seed).find(
      (candidate) => candidate.userId === customerId && candidate.status === 'CONFIRMED' && candidate.id !== order.id,
    )!;
    const product = createDemoProducts(seed).find((candidate) => candidate.stock > 0)!;
    const credentials = { email: DEMO_CUSTOMER_EMAIL, password: 'supergraph-demo-2026' };
    const login = await stack.query(readFileSync(join(REPO_ROOT, 'operations', 'Login.graphql'), 'utf8'), credentials);
    const variables: Record<string, Record<string, unknown>> = {
      'UserOrders.graphql': { userId: customerId },
      'CatalogPage.graphql': { first: 5, filter: { inStock: true } },
      'Categories.graphql': {},
      'OrderDetails.graphql': { orderId: order.id },
      'OrderHistory.graphql': { first: 3 },
      'Login.graphql': credentials,
      'RefreshToken.graphql': { refreshToken: login.body.data.login.refreshToken },
      'Checkout.graphql': {
        items: [{ productId: product.id, quantity: 1 }],
        idempotencyKey: `join-test-${stack.dialect}`,
        paymentToken: 'tok_visa',
      },
      'CancelOrder.graphql': { orderId: confirmed.id },
    };
    const files = readdirSync(join(REPO_ROOT, 'operations')).filter((file) => file.endsWith('.graphql'));
    expect(files.sort()).toEqual(Object.keys(variables).sort());
    for (const file of files) {
      const { status, body } = await stack.query(
        readFileSync(join(REPO_ROOT, 'operations', file), 'utf8'),
        variables[file],
        asCustomer,
      );
      expect({ file, status, errors: body.errors }).toEqual({ file, status: 200, errors: undefined });
      expect(
        Object.values(body.data).every((value) => value !== null),
        file,
      ).toBe(true);
    }
  });

  it('keeps answering from the healthy subgraphs when one is down, naming the failed service but not its URL', async () => {
    const order = createDemoOrders(seed).find((candidate) => candidate.userId === customerId)!;
    expect(await stack.subgraphs.users.stop()).toBe(0);

    const { status, body } = await stack.query(
      `#graphql
      query OrderWithUser($id: ID!) { order(id: $id) { id total { amount } user { name } items { quantity } } }`,
      { id: order.id },
      asCustomer,
    );

    expect(status).toBe(200);
    expect(body.data.order).toEqual({
      id: order.id,
      total: { amount: money(order.totalCents) },
      user: null,
      items: order.items.map((item) => ({ quantity: item.quantity })),
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
