import { createDemoCategories } from '@supergraph/demo-data';
import type { DatabaseLocation } from '@supergraph/server-kit/db';
import { expect } from 'vitest';
import { openOrdersDatabase, type OrdersDatabase } from '../../../subgraphs/orders/src/db/client.js';
import { FINAL_SAGA_STEPS as FINAL_STEPS } from '../../../subgraphs/orders/src/db/tables/index.js';
import type { CheckoutSagaRow, OrderRow } from '../../../subgraphs/orders/src/db/tables/index.js';
import { openProductsDatabase, type ProductsDatabase } from '../../../subgraphs/products/src/db/client.js';
import { insertProduct } from '../../../subgraphs/products/src/catalog/product-store.js';
import type { StockReservationRow } from '../../../subgraphs/products/src/db/tables/index.js';
import type { SandboxCharge, Stack } from './stack.js';
import { waitFor } from './wait-for.js';

/**
 * Orders settings that keep the checkout tests quick: recovery every 200 ms, a 2 s lease (longer than
 * the 1.5 s deadlines of both remote calls), and a settle time past the sandbox's slowest charge, so
 * compensation looks for charges once they have landed.
 */
export const FAST_CHECKOUT_ENV = {
  CHECKOUT_RECOVERY_INTERVAL_MS: '200',
  CHECKOUT_LEASE_MS: '2000',
  INVENTORY_TIMEOUT_MS: '1500',
  PAYMENT_PROVIDER_TIMEOUT_MS: '1500',
  CHECKOUT_PAYMENT_SETTLE_SECONDS: '3',
} as const;

// Checkout as the e2e tests see it: the operations a client sends (Checkout and CancelOrder from
// operations/, and the order's status below), the rows the orders and products services leave
// behind (read straight from their databases), the sandbox's charges, and the invariants that must
// hold between the three once every saga has ended.

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
export async function customerHeaders(stack: Stack, userId: string): Promise<Record<string, string>> {
  const { token } = await stack.keys.issue({ id: userId, role: 'CUSTOMER' });
  return { authorization: `Bearer ${token}` };
}

/** The first GraphQL error of an answer, for assertions on its code and extensions. */
export function firstError(body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  const [error] = body.errors ?? [];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(body)}`);
  return error;
}

/** How long a wait for a saga may take before the test fails, unless the caller says otherwise. */
const DEFAULT_WAIT_MS = 20_000;

/** The orders and products databases of a running stack, opened by the test to read (and check) rows. */
export interface CheckoutRecords {
  orders: OrdersDatabase;
  products: ProductsDatabase;
  /** Every product's stock, by id. */
  readStock(): Promise<Map<string, number>>;
  /** Every saga, oldest first. */
  listSagas(): Promise<CheckoutSagaRow[]>;
  findSaga(orderId: string): Promise<CheckoutSagaRow | undefined>;
  /** Polls until a saga is as wanted and returns it; fails after `timeoutMs` (default 20 s) showing every saga. */
  waitForSaga(description: string, isWanted: (saga: CheckoutSagaRow) => boolean, timeoutMs?: number): Promise<CheckoutSagaRow>;
  findOrder(orderId: string): Promise<OrderRow | undefined>;
  listOrders(): Promise<OrderRow[]>;
  listReservations(): Promise<StockReservationRow[]>;
  /**
   * Polls until the saga has reached a final step (CONFIRMED, CANCELLED, REJECTED) and returns it;
   * fails after `timeoutMs` (default 20 s) showing the saga as it was left.
   */
  waitForFinalSaga(orderId: string, timeoutMs?: number): Promise<CheckoutSagaRow>;
  /** Polls until no saga is in progress; fails showing the unfinished ones. */
  waitForAllSagasFinal(timeoutMs?: number): Promise<CheckoutSagaRow[]>;
  close(): Promise<void>;
}

export async function openCheckoutRecords(stack: Stack): Promise<CheckoutRecords> {
  const orders = await openOrdersDatabase(stack.databases.orders);
  const products = await openProductsDatabase(stack.databases.products);
  const listSagas = async () =>
    (await orders.db.select().from(orders.tables.checkoutSagas)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const findSaga = async (orderId: string) => (await listSagas()).find((saga) => saga.orderId === orderId);

  /** Waits until `read()` returns what `isDone` wants, and fails showing what it returned last. */
  const poll = async <T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean, timeout: number) => {
    let lastSeen: T | undefined;
    await waitFor(
      async () => {
        lastSeen = await read();
        return isDone(lastSeen);
      },
      { what, timeout, interval: 100, show: () => JSON.stringify(lastSeen, null, 2) },
    );
    return lastSeen as T;
  };

  return {
    orders,
    products,
    async readStock() {
      const rows = await products.db.select().from(products.tables.products);
      return new Map(rows.map((row) => [row.id, row.stock]));
    },
    listSagas,
    findSaga,
    async waitForSaga(description, isWanted, timeoutMs = DEFAULT_WAIT_MS) {
      const sagas = await poll(`a saga ${description}`, listSagas, (rows) => rows.some(isWanted), timeoutMs);
      return sagas.find(isWanted)!;
    },
    async findOrder(orderId) {
      return (await orders.db.select().from(orders.tables.orders)).find((order) => order.id === orderId);
    },
    async listOrders() {
      return orders.db.select().from(orders.tables.orders);
    },
    async listReservations() {
      return products.db.select().from(products.tables.stockReservations);
    },
    async waitForFinalSaga(orderId, timeoutMs = DEFAULT_WAIT_MS) {
      const saga = await poll(
        `checkout saga ${orderId} to reach a final step`,
        async () => (await findSaga(orderId)) ?? null,
        (row) => row !== null && FINAL_STEPS.includes(row.step),
        timeoutMs,
      );
      return saga!;
    },
    async waitForAllSagasFinal(timeoutMs = DEFAULT_WAIT_MS) {
      await poll(
        'every checkout saga to reach a final step (last seen: the unfinished ones)',
        async () => (await listSagas()).filter((saga) => !FINAL_STEPS.includes(saga.step)),
        (unfinished) => unfinished.length === 0,
        timeoutMs,
      );
      return listSagas();
    },
    async close() {
      await Promise.all([orders.close(), products.close()]);
    },
  };
}

const isKept = (charge: SandboxCharge) => charge.status === 'succeeded' && charge.amount_refunded < charge.amount;

/**
 * Every way the three parties disagree once every saga has ended, as sentences (empty when none):
 * - a CONFIRMED order has its reservation COMMITTED and exactly one succeeded, unrefunded charge of
 *   its total;
 * - a CANCELLED order (and a REJECTED checkout, which has no order) has its reservation RELEASED, or
 *   none, and keeps no charge;
 * - every order and every reservation has a saga, and the order's status is its saga's;
 * - for each product, the stock it started with is what is left plus what was sold (COMMITTED).
 */
export async function findInvariantViolations(
  stack: Stack,
  records: CheckoutRecords,
  initialStock: Map<string, number>,
): Promise<string[]> {
  const violations: string[] = [];
  const sagas = await records.listSagas();
  const orders = new Map((await records.listOrders()).map((order) => [order.id, order]));
  const reservations = await records.listReservations();
  const reservationsOf = (orderId: string) => reservations.filter((line) => line.orderId === orderId);

  for (const saga of sagas) {
    const { orderId, step } = saga;
    const order = orders.get(orderId);
    const lines = reservationsOf(orderId);
    const charges = await stack.sandboxCharges(orderId);
    const succeeded = charges.filter((charge) => charge.status === 'succeeded');
    const kept = succeeded.filter(isKept);
    const where = `order ${orderId} (saga ${step}, payment ${saga.paymentState}, order ${order?.status ?? 'none'})`;
    if (!FINAL_STEPS.includes(step)) violations.push(`${where}: the saga has not ended`);
    if (step === 'CONFIRMED') {
      if (order?.status !== 'CONFIRMED') violations.push(`${where}: the saga is CONFIRMED and the order is not`);
      if (lines.length === 0 || lines.some((line) => line.status !== 'COMMITTED')) {
        violations.push(`${where}: reservation ${JSON.stringify(lines.map((line) => line.status))}, not COMMITTED`);
      }
      if (succeeded.length !== 1 || kept.length !== 1) {
        violations.push(`${where}: ${succeeded.length} succeeded charges (${kept.length} unrefunded), not exactly one`);
      } else if (order && kept[0]!.amount !== order.totalMinor) {
        violations.push(`${where}: charged ${kept[0]!.amount}, the total is ${order.totalMinor}`);
      }
    }
    if (step === 'CANCELLED' || step === 'REJECTED') {
      if (step === 'CANCELLED' && order?.status !== 'CANCELLED') {
        violations.push(`${where}: the saga is CANCELLED and the order is not`);
      }
      if (step === 'REJECTED' && order) violations.push(`${where}: a REJECTED checkout has an order`);
      if (lines.some((line) => line.status !== 'RELEASED')) {
        violations.push(`${where}: reservation ${JSON.stringify(lines.map((line) => line.status))}, not RELEASED`);
      }
      if (kept.length > 0) violations.push(`${where}: keeps ${kept.length} charges (${kept.map((c) => c.id).join(', ')})`);
    }
  }
  const sagaIds = new Set(sagas.map((saga) => saga.orderId));
  for (const order of orders.values()) {
    if (!sagaIds.has(order.id)) violations.push(`order ${order.id} (${order.status}) has no saga`);
  }
  for (const line of reservations) {
    if (!sagaIds.has(line.orderId)) violations.push(`a reservation for ${line.orderId} (${line.status}) has no saga`);
  }

  const stock = await records.readStock();
  for (const [productId, initial] of initialStock) {
    const committed = reservations
      .filter((line) => line.productId === productId && line.status === 'COMMITTED')
      .reduce((sum, line) => sum + line.quantity, 0);
    const left = stock.get(productId) ?? Number.NaN;
    if (left < 0) violations.push(`product ${productId}: stock ${left} is negative`);
    if (initial !== left + committed) {
      violations.push(`product ${productId}: started with ${initial}, has ${left} left and ${committed} sold`);
    }
  }
  return violations;
}

/** Waits for every saga to end, then expects the three parties to agree (see findInvariantViolations). */
export async function expectCheckoutInvariants(
  stack: Stack,
  records: CheckoutRecords,
  initialStock: Map<string, number>,
): Promise<void> {
  await records.waitForAllSagasFinal();
  expect(await findInvariantViolations(stack, records, initialStock)).toEqual([]);
}
