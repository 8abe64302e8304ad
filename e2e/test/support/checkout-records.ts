import { openOrdersDatabase, type OrdersDatabase } from '../../../subgraphs/orders/src/db/client.js';
import { FINAL_SAGA_STEPS as FINAL_STEPS } from '../../../subgraphs/orders/src/db/tables/index.js';
import type { CheckoutSagaRow, OrderRow } from '../../../subgraphs/orders/src/db/tables/index.js';
import { openProductsDatabase, type ProductsDatabase } from '../../../subgraphs/products/src/db/client.js';
import type { StockReservationRow } from '../../../subgraphs/products/src/db/tables/index.js';
import type { Stack } from './stack.js';
import { waitFor } from './wait-for.js';

/** How long a wait for a saga may take before the test fails, unless the caller says otherwise. */
// Bounds on waiting for a condition, not timings: a saga slowed by a busy machine still gets there.
const DEFAULT_WAIT_MS = 45_000;

/** The orders and products databases of a running stack, opened by the test to read (and check) rows. */
export interface CheckoutRecords {
  orders: OrdersDatabase;
  products: ProductsDatabase;
  /** Every product's stock, by id. */
  readStock(): Promise<Map<string, number>>;
  /** Every saga, oldest first. */
  listSagas(): Promise<CheckoutSagaRow[]>;
  findSaga(orderId: string): Promise<CheckoutSagaRow | undefined>;
  /** Polls until a saga is as wanted and returns it; fails after `timeoutMs` (default 45 s) showing every saga. */
  waitForSaga(description: string, isWanted: (saga: CheckoutSagaRow) => boolean, timeoutMs?: number): Promise<CheckoutSagaRow>;
  findOrder(orderId: string): Promise<OrderRow | undefined>;
  listOrders(): Promise<OrderRow[]>;
  listReservations(): Promise<StockReservationRow[]>;
  /**
   * Polls until the saga has reached a final step (CONFIRMED, CANCELLED, REJECTED) and returns it;
   * fails after `timeoutMs` (default 45 s) showing the saga as it was left.
   */
  waitForFinalSaga(orderId: string, timeoutMs?: number): Promise<CheckoutSagaRow>;
  /** Polls until no saga is in progress; fails showing the unfinished ones. */
  waitForAllSagasFinal(timeoutMs?: number): Promise<CheckoutSagaRow[]>;
  close(): Promise<void>;
}

/** Waits until `read()` returns what `isDone` wants, and fails showing what it returned last. */
async function poll<T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean, timeout: number): Promise<T> {
  let lastSeen: T | undefined;
  await waitFor(
    async () => {
      lastSeen = await read();
      return isDone(lastSeen);
    },
    { what, timeout, interval: 100, show: () => JSON.stringify(lastSeen, null, 2) },
  );
  return lastSeen as T;
}

export async function openCheckoutRecords(stack: Stack): Promise<CheckoutRecords> {
  const orders = await openOrdersDatabase(stack.databases.orders);
  const products = await openProductsDatabase(stack.databases.products);
  const listSagas = async () =>
    (await orders.db.select().from(orders.tables.checkoutSagas)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const findSaga = async (orderId: string) => (await listSagas()).find((saga) => saga.orderId === orderId);

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
