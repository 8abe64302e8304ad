import {
  createDemoCategories,
  createDemoProducts,
  getDemoAdminId,
  getDemoCustomerId,
  parseSeedOptions,
} from '@supergraph/demo-data';
import { ROUTER_SECRET_HEADER } from '@supergraph/server-kit/auth';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createOperationSender, type UntypedResponse } from './support/graphql-client.js';
import { openRowCounter, type StackRowCounter } from './support/row-counts.js';
import { startStack, type Stack, type SubgraphName } from './support/stack.js';

// Red team: strings no database column can hold as sent. Postgres refuses U+0000 in text (a 500
// before), SQLite stored it; a lone surrogate became U+FFFD on one and invalid UTF-8 on the other.
// The router (which shares server-kit's guard) refuses them first; each subgraph refuses them too,
// for any other router in front of it. The router's other red-team cases (an unknown operationName,
// several operations without one, a subscription) are router/test/graphql-over-http.test.ts's.

const seedArgs = ['--customers', '3', '--products', '10', '--orders', '5'];
const seed = parseSeedOptions(seedArgs);
const product = createDemoProducts(seed)[0]!;
const category = createDemoCategories()[0]!;
const NUL = '\u0000';

type Caller = 'anonymous' | 'customer' | 'admin';

/** One argument an attacker fills with NUL: the operation with a variable, the same with a literal. */
interface RedTeamCase {
  name: string;
  subgraph: SubgraphName;
  caller: Caller;
  argumentName: string;
  withVariables: { query: string; variables: Record<string, unknown> };
  /** The same operation with the NUL written inline, as GraphQL's escape `\u0000`. */
  withLiteral: string;
}

const login = { email: `customer@example.com${NUL}`, password: DEMO_PASSWORD };
const registration = { email: 'nul.name@example.com', password: 'a long and unusual passphrase 42', name: `Ann${NUL}` };
const newProduct = {
  sku: 'NULL-000001',
  name: `Kettle${NUL}`,
  description: 'A kettle.',
  price: { amount: '19.99', currency: 'USD' },
  categoryId: category.id,
  stock: 5,
};
const order = { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: `key${NUL}`, paymentToken: 'tok_visa' };

const CASES: RedTeamCase[] = [
  {
    name: 'products search',
    subgraph: 'products',
    caller: 'anonymous',
    argumentName: 'filter.search',
    withVariables: {
      query: 'query ($search: String) { products(first: 5, filter: { search: $search }) { totalCount } }',
      variables: { search: `shoe${NUL}` },
    },
    withLiteral: '{ products(first: 5, filter: { search: "shoe\\u0000" }) { totalCount } }',
  },
  {
    name: 'a product id',
    subgraph: 'products',
    caller: 'anonymous',
    argumentName: 'id',
    withVariables: { query: 'query ($id: ID!) { product(id: $id) { id } }', variables: { id: `${product.id}${NUL}` } },
    withLiteral: `{ product(id: "${product.id}\\u0000") { id } }`,
  },
  {
    name: 'login email',
    subgraph: 'users',
    caller: 'anonymous',
    argumentName: 'input.email',
    withVariables: {
      query: 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }',
      variables: { input: login },
    },
    withLiteral: `mutation { login(input: { email: "customer@example.com\\u0000", password: "${DEMO_PASSWORD}" }) { accessToken } }`,
  },
  {
    name: 'register name',
    subgraph: 'users',
    caller: 'anonymous',
    argumentName: 'input.name',
    withVariables: {
      query: 'mutation ($input: RegisterInput!) { register(input: $input) { user { id } } }',
      variables: { input: registration },
    },
    withLiteral: `mutation { register(input: { email: "${registration.email}", password: "${registration.password}", name: "Ann\\u0000" }) { user { id } } }`,
  },
  {
    name: 'addProduct name (admin)',
    subgraph: 'products',
    caller: 'admin',
    argumentName: 'input.name',
    withVariables: {
      query: 'mutation ($input: AddProductInput!) { addProduct(input: $input) { product { id } } }',
      variables: { input: newProduct },
    },
    withLiteral: `mutation { addProduct(input: { sku: "NULL-000001", name: "Kettle", description: "A kettle.\\u0000", price: { amount: "19.99", currency: "USD" }, categoryId: "${category.id}", stock: 5 }) { product { id } } }`,
  },
  {
    name: 'checkout idempotency key',
    subgraph: 'orders',
    caller: 'customer',
    argumentName: 'input.idempotencyKey',
    withVariables: {
      query: 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      variables: { input: order },
    },
    withLiteral: `mutation { createOrder(input: { items: [{ productId: "${product.id}", quantity: 1 }], idempotencyKey: "key\\u0000", paymentToken: "tok_visa" }) { id } }`,
  },
  {
    name: 'checkout product id',
    subgraph: 'orders',
    caller: 'customer',
    argumentName: 'input.items[0].productId',
    withVariables: {
      query: 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      variables: {
        input: { ...order, idempotencyKey: 'nul-product', items: [{ productId: `${product.id}${NUL}`, quantity: 1 }] },
      },
    },
    withLiteral: `mutation { createOrder(input: { items: [{ productId: "${product.id}\\u0000", quantity: 1 }], idempotencyKey: "nul-product", paymentToken: "tok_visa" }) { id } }`,
  },
];

/** The literal case of addProduct puts the NUL in the description, the other field a client fills freely. */
const literalArgumentName = (testCase: RedTeamCase) =>
  testCase.name.startsWith('addProduct') ? 'input.description' : testCase.argumentName;

describe.each(testDialects())('strings a database cannot store, every subgraph on %s', (dialect) => {
  let stack: Stack;
  let rows: StackRowCounter;
  const headersFor: Record<Caller, Record<string, string>> = { anonymous: {}, customer: {}, admin: {} };
  beforeAll(async () => {
    stack = await startStack({ dialect, seedArgs });
    rows = await openRowCounter(stack);
    for (const [caller, viewer] of [
      ['customer', { id: getDemoCustomerId(seed), role: 'CUSTOMER' }],
      ['admin', { id: getDemoAdminId(seed), role: 'ADMIN' }],
    ] as const) {
      headersFor[caller] = { authorization: `Bearer ${(await stack.keys.issue(viewer)).token}` };
    }
  });
  afterAll(async () => {
    await rows?.close();
    await stack?.stop();
  });

  /** Sends an operation straight to a subgraph, as any router would: with its secret and the caller's token. */
  const sendToSubgraph = (subgraph: SubgraphName, caller: Caller, query: string, variables: Record<string, unknown> = {}) =>
    createOperationSender(() => stack.subgraphs[subgraph].url)(query, variables, {
      ...headersFor[caller],
      [ROUTER_SECRET_HEADER]: stack.secrets[subgraph],
    });

  function expectRefused(response: UntypedResponse, argumentName: string, what = 'the NUL character (U+0000)') {
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [{ message: `${argumentName} must not contain ${what}.`, extensions: { code: 'BAD_USER_INPUT', argumentName } }],
    });
  }

  describe.each(CASES)('NUL in $name', (testCase) => {
    it('is refused at the router and at the subgraph, via a variable and inline, and nothing is stored', async () => {
      const before = await rows.read();
      const { query, variables } = testCase.withVariables;
      const headers = headersFor[testCase.caller];
      const operationsBefore = await stack.subgraphOperations();
      expectRefused(await stack.query(query, variables, headers), testCase.argumentName);
      expectRefused(await stack.query(testCase.withLiteral, {}, headers), literalArgumentName(testCase));
      // The router refused both before planning: no subgraph was asked.
      expect(await stack.subgraphOperations()).toBe(operationsBefore);

      expectRefused(await sendToSubgraph(testCase.subgraph, testCase.caller, query, variables), testCase.argumentName);
      expectRefused(
        await sendToSubgraph(testCase.subgraph, testCase.caller, testCase.withLiteral),
        literalArgumentName(testCase),
      );
      expect(await rows.read()).toEqual(before);
    });
  });

  it('refuses a lone surrogate the same way, and stores invalid UTF-8 as U+FFFD on both dialects', async () => {
    const before = await rows.read();
    const register = 'mutation ($input: RegisterInput!) { register(input: $input) { user { name } } }';
    // JSON's \ud800 escape survives parsing as half a character: Postgres would store U+FFFD, SQLite invalid UTF-8.
    const lone = { ...registration, email: 'lone.surrogate@example.com', name: JSON.parse('"Ann \\ud800"') as string };
    const surrogate = 'a lone UTF-16 surrogate (U+D800 to U+DFFF, half of a character)';
    expectRefused(await stack.query(register, { input: lone }), 'input.name', surrogate);
    expectRefused(await sendToSubgraph('users', 'anonymous', register, { input: lone }), 'input.name', surrogate);
    expect(await rows.read()).toEqual(before);

    // Bytes that are not UTF-8 are decoded as U+FFFD when the body is read, before GraphQL sees them.
    const addProduct = 'mutation ($input: AddProductInput!) { addProduct(input: $input) { product { name } } }';
    const text = JSON.stringify({
      query: addProduct,
      variables: { input: { ...newProduct, sku: 'UTFE-000001', name: 'Kettle @' } },
    });
    const body = Buffer.from(text.replace('Kettle @', 'Kettle \u00ff'), 'latin1');
    const response = await fetch(stack.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headersFor.admin },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { addProduct: { product: { name: 'Kettle \uFFFD' } } } });
  });
});
