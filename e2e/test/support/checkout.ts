import { createDemoCategories } from '@supergraph/demo-data';
import type { DatabaseLocation } from '@supergraph/server-kit/db';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  CheckoutDocument,
  type CheckoutMutation,
  type CheckoutMutationVariables,
} from '../../../operations/__generated__/graphql.js';
import { insertProduct } from '../../../subgraphs/products/src/catalog/product-store.js';
import { openProductsDatabase } from '../../../subgraphs/products/src/db/client.js';
import { expectCheckoutInvariants } from './checkout-invariants.js';
import { openCheckoutRecords, type CheckoutRecords } from './checkout-records.js';
import type { TypedResponse } from './graphql-client.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

/**
 * Orders settings for the checkout tests: recovery every 200 ms, and remote-call deadlines of 4 s,
 * generous enough that a starved machine (a CPU hog, 50 buyers at once) still gets its answers in
 * time (1.5 s was not: the race confirmed 2 of 5). A request starts a step only while 4 s remain of
 * its CHECKOUT_WAIT_MS (8 s), so it answers inside the stack's 15 s SUBGRAPH_TIMEOUT_MS. Tests that need a
 * deadline to pass make the peer never answer (tok_timeout, a stopped process), so they cost the
 * deadline, never depend on it. The lease outlasts both deadlines; the settle time is past the
 * sandbox's slowest charge, so compensation looks for charges once they have landed.
 */
const FAST_CHECKOUT_ENV = {
  CHECKOUT_RECOVERY_INTERVAL_MS: '200',
  CHECKOUT_LEASE_MS: '6000',
  INVENTORY_TIMEOUT_MS: '4000',
  PAYMENT_PROVIDER_TIMEOUT_MS: '4000',
  CHECKOUT_PAYMENT_SETTLE_SECONDS: '3',
} as const;

// Checkout as the e2e tests see it: the operations a client sends (Checkout and CancelOrder from
// operations/, and the order's status below), and the suites' shared stack. The rows the orders and
// products services leave behind are read in checkout-records.ts, and the invariants that must hold
// between them and the sandbox's charges once every saga has ended are in checkout-invariants.ts.

/** An order's status and why it was cancelled, which the example OrderDetails does not ask for. */
export const ORDER = `#graphql
  query Order($id: ID!) {
    order(id: $id) { id status cancellationReason statusHistory { status reason } }
  }
`;

/** A product a suite adds to the catalog before the services start, with the stock it starts with. */
export interface ProductFixture {
  id: string;
  stock: number;
  priceMinor: number;
}

/** Adds the fixtures to the products database (for startStack's beforeStart). */
export async function addProducts(location: DatabaseLocation, fixtures: ProductFixture[]): Promise<void> {
  const categoryId = createDemoCategories()[0]!.id;
  const database = await openProductsDatabase(location);
  try {
    for (const { id, stock, priceMinor } of fixtures) {
      await database.transaction((tx) =>
        insertProduct(tx, {
          id,
          sku: `E2E-${id}`,
          name: `E2E checkout fixture ${id}`,
          description: 'A product the checkout tests add, with a stock they know.',
          priceMinor,
          currency: 'USD',
          categoryId,
          stock,
          createdAt: new Date(),
        }),
      );
    }
  } finally {
    await database.close();
  }
}

/** The Authorization header of a customer, with a token minted by the stack's keys. */
async function customerHeaders(stack: Stack, userId: string): Promise<Record<string, string>> {
  const { token } = await stack.keys.issue({ id: userId, role: 'CUSTOMER' });
  return { authorization: `Bearer ${token}` };
}

/** An answer's body, as far as the error checks below read it. */
interface AnswerBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The first GraphQL error of an answer, for assertions on its code and extensions. */
export function firstError(body: AnswerBody) {
  const [error] = body.errors ?? [];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(body)}`);
  return error;
}

/**
 * Expects an answer to be ORDER_IN_PROGRESS (no data, retryable, naming the order), and returns the
 * id of the order it names.
 */
export function expectOrderInProgress(body: AnswerBody): string {
  expect(body.data).toBeNull();
  expect(firstError(body).extensions).toMatchObject({
    code: 'ORDER_IN_PROGRESS',
    retryable: true,
    orderId: expect.any(String),
  });
  return firstError(body).extensions!.orderId as string;
}

/**
 * A checkout suite's stack: its settings (orders runs with FAST_CHECKOUT_ENV, then the suite's
 * `ordersEnv`), and the products it adds to the catalog before the services start.
 */
export type CheckoutStackOptions = Omit<StackOptions, 'beforeStart'> & { products: ProductFixture[] };

export interface CheckoutStack {
  /** The running stack (from the suite's beforeAll on). */
  readonly stack: Stack;
  /** The stack's orders and products databases, open for the suite. */
  readonly records: CheckoutRecords;
  /** The Authorization header of the customer `userId`. */
  customerHeaders: (userId: string) => Promise<Record<string, string>>;
  /** Sends Checkout as the customer `userId`, expects HTTP 200 and resolves to the body. */
  createOrder: (userId: string, input: CheckoutMutationVariables) => Promise<TypedResponse<CheckoutMutation>['body']>;
  /** Waits for every saga to end, then expects the three parties to agree, from the stock the suite started with. */
  expectInvariants: () => Promise<void>;
}

/**
 * What the checkout suites share: a stack with their products started before the suite's tests and
 * stopped after them, its records open meanwhile, and the stock it started with for the invariants.
 * Call it at the top of a describe block.
 */
export function useCheckoutStack(options: CheckoutStackOptions): CheckoutStack {
  let stack: Stack | undefined;
  let records: CheckoutRecords | undefined;
  let initialStock: Map<string, number> | undefined;
  beforeAll(async () => {
    const { products, ordersEnv, ...stackOptions } = options;
    stack = await startStack({
      ...stackOptions,
      ordersEnv: { ...FAST_CHECKOUT_ENV, ...ordersEnv },
      beforeStart: (databases) => addProducts(databases.products, products),
    });
    records = await openCheckoutRecords(stack);
    initialStock = await records.readStock();
  });
  afterAll(async () => {
    await records?.close();
    await stack?.stop();
  });
  const started = () => {
    if (!stack || !records || !initialStock) throw new Error('the checkout stack has not started (use it inside a test)');
    return { stack, records, initialStock };
  };
  return {
    get stack() {
      return started().stack;
    },
    get records() {
      return started().records;
    },
    customerHeaders: (userId) => customerHeaders(started().stack, userId),
    async createOrder(userId, input) {
      const current = started();
      const headers = await customerHeaders(current.stack, userId);
      const { status, body } = await current.stack.query(CheckoutDocument, input, headers);
      expect(status).toBe(200);
      return body;
    },
    expectInvariants: () => {
      const current = started();
      return expectCheckoutInvariants(current.stack, current.records, current.initialStock);
    },
  };
}
