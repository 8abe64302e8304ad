import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDemoAdminId, getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOperationSender, type OperationSender } from './support/graphql-client.js';
import { startStack, type Stack } from './support/stack.js';
import { waitFor } from './support/wait-for.js';

const seedArgs = ['--customers', '2', '--products', '10', '--orders', '4'];
const seed = parseSeedOptions(seedArgs);

let stack: Stack;
let hanging: Server;
/** The operation text of every request the hanging subgraph has received, in order of arrival. */
const hangingOperations: string[] = [];
/** A router whose products subgraph is the hanging server, with a 500 ms deadline. */
let query: OperationSender;

async function readOperation(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return (JSON.parse(text) as { query: string }).query;
}

beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs });
  // A "products subgraph" that accepts every request, reads it, and never answers.
  hanging = createServer((request) => {
    void readOperation(request).then((operation) => hangingOperations.push(operation));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const router = await stack.startRouter({
    PRODUCTS_SUBGRAPH_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`,
    SUBGRAPH_TIMEOUT_MS: '500',
  });
  query = createOperationSender(() => router.url);
});
afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await stack?.stop();
});

const bearer = async (viewer: { id: string; role: 'CUSTOMER' | 'ADMIN' }) => ({
  authorization: `Bearer ${(await stack.keys.issue(viewer)).token}`,
});
const countOperations = (pattern: RegExp) => hangingOperations.filter((operation) => pattern.test(operation)).length;

it('gives up on a slow subgraph at the deadline and still answers from the others', async () => {
  const customer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' as const };

  const { status, body } = await query('{ me { id } product(id: "any") { name } }', {}, await bearer(customer));

  expect(status).toBe(200);
  expect(body.data).toEqual({ me: { id: customer.id }, product: null });
  expect(body.errors).toEqual([
    expect.objectContaining({
      message: 'The products service did not answer within 500 ms.',
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' },
    }),
  ]);
  expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  expect(countOperations(/\bproduct\(/)).toBe(1);
});

it('never retries a mutation: the slow subgraph receives it exactly once', async () => {
  const admin = { id: getDemoAdminId(seed), role: 'ADMIN' as const };
  const before = countOperations(/\baddProduct\b/);

  const { body } = await query(
    `mutation ($input: AddProductInput!) { addProduct(input: $input) { product { id } } }`,
    {
      input: {
        sku: 'TIME-000001',
        name: 'Slow lamp',
        description: 'Never arrives.',
        price: { amount: '9.99', currency: 'USD' },
        categoryId: 'any',
        stock: 1,
      },
    },
    await bearer(admin),
  );
  expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' });

  // A retry would be on its way before the next request the router sends products: wait for that one.
  const marker = `marker-${Date.now()}`;
  const next = await query(`{ product(id: "${marker}") { name } }`, {}, await bearer(admin));
  expect(next.body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' });
  await waitFor(() => hangingOperations.some((operation) => operation.includes(marker)), {
    what: 'the hanging products subgraph to receive the request sent after the mutation',
  });
  expect(countOperations(/\baddProduct\b/) - before).toBe(1);
});
