import { count } from 'drizzle-orm';
import { createDemoOrders, type SeedOptions } from '@supergraph/demo-data';
import type { OrdersDb } from './client.js';
import { orderItems, orders } from './tables.js';

const INSERT_CHUNK = 500;

export async function isOrdersEmpty(db: OrdersDb): Promise<boolean> {
  const [row] = await db.select({ total: count() }).from(orders);
  return (row?.total ?? 0) === 0;
}

export async function deleteOrders(db: OrdersDb): Promise<void> {
  db.transaction((tx) => {
    tx.delete(orderItems).run();
    tx.delete(orders).run();
  });
}

/** Writes the demo orders and their lines in one transaction. */
export async function seedOrders(db: OrdersDb, options: SeedOptions): Promise<void> {
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
  db.transaction((tx) => {
    for (let i = 0; i < orderRows.length; i += INSERT_CHUNK) tx.insert(orders).values(orderRows.slice(i, i + INSERT_CHUNK)).run();
    for (let i = 0; i < itemRows.length; i += INSERT_CHUNK) tx.insert(orderItems).values(itemRows.slice(i, i + INSERT_CHUNK)).run();
  });
}
