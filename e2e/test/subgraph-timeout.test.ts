import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDemoAdminId, getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type ServiceProcess } from './support/processes.js';
import { startStack, type Stack } from './support/stack.js';

const seedArgs = ['--customers', '2', '--products', '10', '--orders', '4'];
const seed = parseSeedOptions(seedArgs);

let stack: Stack;
let hanging: Server;
let hangingRequests = 0;
let router: ServiceProcess;

beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs });
  // A "products subgraph" that accepts every request and never answers.
  hanging = createServer(() => {
    hangingRequests += 1;
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`;
  router = await startService('router', 'router/src/index.ts', {
    ...stack.routerEnv,
    PRODUCTS_SUBGRAPH_URL: hangingUrl,
    SUBGRAPH_TIMEOUT_MS: '500',
  });
});
afterAll(async () => {
  await router?.stop();
  hanging?.closeAllConnections();
  hanging?.close();
  await stack?.stop();
});

async function query(body: object, token: string) {
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  // `any`: the test walks whatever shape the router answered with.
  return { status: response.status, body: (await response.json()) as any };
}

it('gives up on a slow subgraph at the deadline and still answers from the others', async () => {
  const customer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' as const };
  const started = Date.now();
  const { status, body } = await query(
    { query: '{ me { id } product(id: "any") { name } }' },
    (await stack.keys.issue(customer)).token,
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(status).toBe(200);
  expect(body.data).toEqual({ me: { id: customer.id }, product: null });
  expect(body.errors).toEqual([
    expect.objectContaining({
      message: 'The products service did not answer within 500 ms.',
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' },
    }),
  ]);
  expect(JSON.stringify(body)).not.toContain('127.0.0.1');
});

it('never retries a mutation: the slow subgraph receives it exactly once', async () => {
  const admin = { id: getDemoAdminId(seed), role: 'ADMIN' as const };
  const before = hangingRequests;
  const { body } = await query(
    {
      query: `mutation ($input: AddProductInput!) { addProduct(input: $input) { product { id } } }`,
      variables: {
        input: {
          sku: 'TIME-000001',
          name: 'Slow lamp',
          description: 'Never arrives.',
          price: { amount: '9.99', currency: 'USD' },
          categoryId: 'any',
          stock: 1,
        },
      },
    },
    (await stack.keys.issue(admin)).token,
  );
  expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(hangingRequests - before).toBe(1);
});
