import { count } from 'drizzle-orm';
import { generateDemoOrders, readInBatches, type DemoOrder, type SeedOptions, type SeedProgress } from '@supergraph/demo-data';
import type { OrdersDatabase, OrdersDb } from './client.js';

// 500 orders make about 1,200 lines (6 columns) and 950 status changes (4 columns): every statement
// stays far below SQLite's 32,766 and Postgres's 65,535 bound values.
const ORDERS_BATCH = 500;

export async function isOrdersEmpty({ db, tables: { orders } }: OrdersDb): Promise<boolean> {
  const [row] = await db.select({ total: count() }).from(orders);
  return (row?.total ?? 0) === 0;
}

export async function deleteOrders(database: OrdersDatabase): Promise<void> {
  await database.transaction(async ({ db, tables: { checkoutSagas, orderItems, orderStatusChanges, orders } }) => {
    await db.delete(checkoutSagas);
    await db.delete(orderStatusChanges);
    await db.delete(orderItems);
    await db.delete(orders);
  });
}

/**
 * Writes the demo orders, their lines and their status history in one transaction, so a failed seed
 * leaves no orders. Orders stream from the generator 500 at a time, each batch written as three
 * multi-row inserts: memory holds one batch whatever the number of orders. `onProgress` hears about
 * each batch written.
 */
export async function seedOrders(database: OrdersDatabase, options: SeedOptions, onProgress?: SeedProgress): Promise<void> {
  await database.transaction(async ({ db, tables: { orderItems, orderStatusChanges, orders } }) => {
    let written = 0;
    for (const batch of readInBatches(generateDemoOrders(options), ORDERS_BATCH)) {
      await db.insert(orders).values(batch.map(toOrderRow));
      await db.insert(orderItems).values(batch.flatMap(toItemRows));
      await db.insert(orderStatusChanges).values(batch.flatMap(toHistoryRows));
      written += batch.length;
      onProgress?.('orders', written, options.orders);
    }
  });
}

function toOrderRow({ items: _items, totalCents, ...order }: DemoOrder) {
  return { ...order, totalMinor: totalCents, updatedAt: order.createdAt };
}

function toItemRows(order: DemoOrder) {
  return order.items.map((item, index) => ({
    orderId: order.id,
    lineNumber: index + 1,
    productId: item.productId,
    quantity: item.quantity,
    unitPriceMinor: item.unitPriceCents,
    currency: order.currency,
  }));
}

/**
 * Every order starts PENDING; a confirmed one was confirmed two minutes later, a cancelled one
 * cancelled by its customer an hour later (the demo data has no checkout sagas behind it).
 */
function toHistoryRows(order: DemoOrder) {
  return [
    { orderId: order.id, status: 'PENDING' as const, reason: null, changedAt: order.createdAt },
    ...(order.status === 'PENDING'
      ? []
      : [
          {
            orderId: order.id,
            status: order.status,
            reason: order.status === 'CANCELLED' ? ('CANCELLED_BY_CUSTOMER' as const) : null,
            changedAt: new Date(order.createdAt.getTime() + (order.status === 'CONFIRMED' ? 2 * 60_000 : 60 * 60_000)),
          },
        ]),
  ];
}
