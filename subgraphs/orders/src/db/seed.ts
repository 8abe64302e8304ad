import { count } from 'drizzle-orm';
import { createDemoOrders, type SeedOptions } from '@supergraph/demo-data';
import type { OrdersDatabase, OrdersDb } from './client.js';

const INSERT_CHUNK = 500;

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

/** Writes the demo orders and their lines in one transaction. */
export async function seedOrders(database: OrdersDatabase, options: SeedOptions): Promise<void> {
  const demoOrders = createDemoOrders(options);
  const orderRows = demoOrders.map(({ items: _items, totalCents, ...order }) => ({
    ...order,
    totalMinor: totalCents,
    updatedAt: order.createdAt,
  }));
  const itemRows = demoOrders.flatMap((order) =>
    order.items.map((item, index) => ({
      orderId: order.id,
      lineNumber: index + 1,
      productId: item.productId,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceCents,
      currency: order.currency,
    })),
  );
  // Every order starts PENDING; a confirmed one was confirmed two minutes later, a cancelled one
  // cancelled by its customer an hour later (the demo data has no checkout sagas behind it).
  const historyRows = demoOrders.flatMap((order) => [
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
  ]);
  await database.transaction(async ({ db, tables: { orderItems, orderStatusChanges, orders } }) => {
    for (let i = 0; i < orderRows.length; i += INSERT_CHUNK) await db.insert(orders).values(orderRows.slice(i, i + INSERT_CHUNK));
    for (let i = 0; i < itemRows.length; i += INSERT_CHUNK)
      await db.insert(orderItems).values(itemRows.slice(i, i + INSERT_CHUNK));
    for (let i = 0; i < historyRows.length; i += INSERT_CHUNK)
      await db.insert(orderStatusChanges).values(historyRows.slice(i, i + INSERT_CHUNK));
  });
}
