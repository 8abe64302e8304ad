import type { Viewer } from '@supergraph/server-kit/auth';
import { asc, count, desc, eq } from 'drizzle-orm';
import { findSaga, findSagaByKey } from '../src/checkout/saga-store.js';
import type { OrdersDatabase } from '../src/db/client.js';

/** What the checkout tests read in the orders database, behind the API's back. */
export function createCheckoutDatabaseReads(database: OrdersDatabase) {
  const { db, tables } = database;
  const { orders, checkoutSagas, orderStatusChanges } = tables;
  return {
    sagaOf: (orderId: string) => findSaga(database, orderId),
    sagaByKey: (viewer: Viewer, idempotencyKey: string) => findSagaByKey(database, viewer.id, idempotencyKey),
    /** The user's newest saga, key or no key. */
    async latestSagaOf(viewer: Viewer) {
      const [row] = await db
        .select()
        .from(checkoutSagas)
        .where(eq(checkoutSagas.userId, viewer.id))
        .orderBy(desc(checkoutSagas.createdAt))
        .limit(1);
      return row ?? null;
    },
    async orderRowOf(id: string) {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      return row ?? null;
    },
    statusChangesOf: (orderId: string) =>
      db
        .select()
        .from(orderStatusChanges)
        .where(eq(orderStatusChanges.orderId, orderId))
        .orderBy(asc(orderStatusChanges.changedAt)),
    /** How many orders and checkout sagas the database holds for a user, or in all. */
    async countRowsOf(userId?: string) {
      const [orderCount] = await db
        .select({ total: count() })
        .from(orders)
        .where(userId === undefined ? undefined : eq(orders.userId, userId));
      const [sagaCount] = await db
        .select({ total: count() })
        .from(checkoutSagas)
        .where(userId === undefined ? undefined : eq(checkoutSagas.userId, userId));
      return { orders: Number(orderCount?.total), checkoutSagas: Number(sagaCount?.total) };
    },
  };
}
