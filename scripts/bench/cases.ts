import type { RequestPlan } from './load.js';
import { CATALOG_PAGE, createCheckoutBodies, graphqlBody, signIn, USER_ORDERS } from './operations.js';
import type { BenchStack } from './stack.js';

export const CASE_NAMES = ['join', 'catalog', 'search', 'checkout'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

/** The account every benchmark case signs in as, and the seed's password (SEED_PASSWORD's default). */
export const DEMO_CUSTOMER_EMAIL = 'customer@example.com';
export const DEMO_PASSWORD = 'supergraph-demo-2026';
/** A word that appears in some product names of any seed, so a search has answers to count. */
export const SEARCH_TERM = 'portable';
/** How many products checkout spreads its orders over, so concurrent checkouts rarely wait on one row. */
const CHECKOUT_PRODUCTS = 200;
/** Stock each of those products gets before the run: more than any run can sell. */
const CHECKOUT_STOCK = 1_000_000;

export const CASE_TITLES: Record<CaseName, string> = {
  join: 'join, signed in: UserOrders (user -> 5 orders -> lines -> products), customer@example.com',
  catalog: 'catalog page, anonymous: CatalogPage(first: 20) with totalCount',
  search: `search, anonymous: CatalogPage(first: 20, filter: { search: "${SEARCH_TERM}" }) with totalCount`,
  checkout: 'checkout, signed in: Checkout of one unit, a new idempotency key each request',
};

async function signInCustomer(stack: BenchStack) {
  return signIn(`${stack.router.origin}/graphql`, DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD);
}

/**
 * What each request of a case sends, the same to both gateways. Signs in (through the router) for
 * the signed-in cases; checkout first gives its products more stock than the run can sell.
 */
export async function planCase(name: CaseName, stack: BenchStack): Promise<RequestPlan> {
  switch (name) {
    case 'join': {
      const { token, userId } = await signInCustomer(stack);
      return { headers: { authorization: `Bearer ${token}` }, body: graphqlBody(USER_ORDERS, { userId }) };
    }
    case 'catalog':
      return { headers: {}, body: graphqlBody(CATALOG_PAGE, { first: 20 }) };
    case 'search':
      return { headers: {}, body: graphqlBody(CATALOG_PAGE, { first: 20, filter: { search: SEARCH_TERM } }) };
    case 'checkout': {
      const { token } = await signInCustomer(stack);
      const chosen = 'select id from products order by id limit ?';
      await stack.databases.query('products', `update products set stock = ? where id in (${chosen})`, [
        CHECKOUT_STOCK,
        CHECKOUT_PRODUCTS,
      ]);
      const ids = (await stack.databases.query<{ id: string }>('products', chosen, [CHECKOUT_PRODUCTS])).map((row) => row.id);
      return { headers: { authorization: `Bearer ${token}` }, body: createCheckoutBodies(ids) };
    }
  }
}
