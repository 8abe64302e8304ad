// What deploy/verify-bundles.ts asks the router of the production bundles, with the operations the
// router's safelist holds (the bundle's own copy of the persisted query list): the public catalog,
// a sign-in, the signed-in customer's orders joined across users, orders and products, and a paid
// checkout that reserves stock in products and charges through the payment provider.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CatalogPageQuery,
  CheckoutMutation,
  LoginMutation,
  OrderHistoryQuery,
} from '../operations/__generated__/graphql.js';

interface ListedOperation {
  name: string;
  body: string;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The demo customer the development seed writes, and its password (SEED_PASSWORD's default). */
const CUSTOMER = { email: 'customer@example.com', password: 'supergraph-demo-2026' };

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`smoke check failed: ${message}`);
}

export function createSmokeClient(routerUrl: string, routerBundleDir: string) {
  const manifestPath = join(routerBundleDir, 'operations', '__generated__', 'persisted-query-manifest.json');
  const { operations } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { operations: ListedOperation[] };
  const bodyOf = (name: string) => {
    const operation = operations.find((candidate) => candidate.name === name);
    check(operation, `the bundled persisted query list has no ${name}`);
    return operation.body;
  };
  return async <TData>(name: string, variables: Record<string, unknown>, token?: string): Promise<TData> => {
    const response = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: bodyOf(name), operationName: name, variables }),
    });
    const answer = (await response.json()) as GraphQLAnswer;
    check(response.ok && !answer.errors, `${name} answered ${response.status} ${JSON.stringify(answer.errors ?? answer)}`);
    return answer.data as TData;
  };
}

/** Runs the smoke operations and returns one line per check for the log. */
export async function runSmokeChecks(send: ReturnType<typeof createSmokeClient>): Promise<string[]> {
  const { products } = await send<CatalogPageQuery>('CatalogPage', { first: 5, filter: { inStock: true } });
  check(products.totalCount > 0 && products.edges.length > 0, 'the catalog is empty');

  const { login } = await send<LoginMutation>('Login', CUSTOMER);
  const token = login.accessToken;
  check(token, `${CUSTOMER.email} could not sign in`);

  const { me } = await send<OrderHistoryQuery>('OrderHistory', { first: 3 }, token);
  const orders = me?.orders;
  check(orders && orders.totalCount > 0, `${CUSTOMER.email} has no orders`);
  const productNames = orders.nodes.flatMap((order) => order.items.map((item) => item.product?.name));
  check(productNames.length > 0 && productNames.every(Boolean), 'the join left an order line without its product');

  const product = products.edges[0]!.node;
  const { createOrder } = await send<CheckoutMutation>(
    'Checkout',
    { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
    token,
  );
  check(createOrder.status === 'CONFIRMED', `the checkout ended ${JSON.stringify(createOrder)}`);
  return [
    `catalog: ${products.totalCount} products in stock`,
    `me { orders }: ${orders.totalCount} orders, ${productNames.length} lines with their products`,
    `checkout: order ${createOrder.id} CONFIRMED (stock reserved, card charged over https)`,
  ];
}
