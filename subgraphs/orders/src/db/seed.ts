import { count } from 'drizzle-orm';
import { createDemoOrders, type SeedOptions } from '@supergraph/demo-data';
import type { OrdersDatabase, OrdersDb } from './client.js';

const INSERT_CHUNK = 500;

export async function isOrdersEmpty({ db, tables: { orders } }: OrdersDb): Promise<boolean> {
  const [row] = await db.select({ total: count() }).from(orders);
  return (row?.total ?? 0) === 0;
}

export async function deleteOrders(database: OrdersDatabase): Promise<void> {
  await database.transaction(async ({ db, tables: { orderItems, orders } }) => {
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
  await database.transaction(async ({ db, tables: { orderItems, orders } }) => {
    for (let i = 0; i < orderRows.length; i += INSERT_CHUNK) await db.insert(orders).values(orderRows.slice(i, i + INSERT_CHUNK));
    for (let i = 0; i < itemRows.length; i += INSERT_CHUNK)
      await db.insert(orderItems).values(itemRows.slice(i, i + INSERT_CHUNK));
  });
}
