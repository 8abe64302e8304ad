import { and, asc, count, eq, getTableColumns, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { OrdersDb } from '../db/client.js';
import type { OrderItemRow, OrderRow, OrderStatusChangeRow, OrdersTables } from '../db/tables/index.js';

/** Where a page of a user's orders starts: just after this (createdAt ms, id), newest first. */
export type OrderCursor = readonly [createdAtMs: number, id: string];

export async function findOrdersByIds({ db, tables: { orders } }: OrdersDb, ids: readonly string[]): Promise<OrderRow[]> {
  return db
    .select()
    .from(orders)
    .where(inArray(orders.id, [...ids]));
}

/**
 * A page of orders for each of several users in one statement: a window function numbers each
 * user's orders newest first and keeps the first pageSize + 1.
 */
export async function findOrderPagesByUserIds(
  { db, tables: { orders } }: OrdersDb,
  { userIds, pageSize, after }: { userIds: readonly string[]; pageSize: number; after: OrderCursor | null },
): Promise<Map<string, OrderRow[]>> {
  const ranked = db
    .select({
      ...getTableColumns(orders),
      position:
        sql<number>`row_number() over (partition by ${orders.userId} order by ${orders.createdAt} desc, ${orders.id} desc)`.as(
          'position',
        ),
    })
    .from(orders)
    .where(and(inArray(orders.userId, [...userIds]), after ? isAfter(orders, after) : undefined))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.position, pageSize + 1))
    .orderBy(asc(ranked.userId), asc(ranked.position));
  const pages = new Map<string, OrderRow[]>(userIds.map((id) => [id, []]));
  for (const { position: _position, ...row } of rows) pages.get(row.userId)?.push(row);
  return pages;
}

export async function countOrdersByUserIds(
  { db, tables: { orders } }: OrdersDb,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ userId: orders.userId, total: count() })
    .from(orders)
    .where(inArray(orders.userId, [...userIds]))
    .groupBy(orders.userId);
  return new Map(rows.map((row) => [row.userId, row.total]));
}

/** The lines of several orders, each order's in line order. */
export async function findItemsByOrderIds(
  { db, tables: { orderItems } }: OrdersDb,
  orderIds: readonly string[],
): Promise<Map<string, OrderItemRow[]>> {
  const rows = await db
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, [...orderIds]))
    .orderBy(asc(orderItems.orderId), asc(orderItems.lineNumber));
  const items = new Map<string, OrderItemRow[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) items.get(row.orderId)?.push(row);
  return items;
}

/** The status history of several orders, each order's oldest first. */
export async function findStatusChangesByOrderIds(
  { db, tables: { orderStatusChanges } }: OrdersDb,
  orderIds: readonly string[],
): Promise<Map<string, OrderStatusChangeRow[]>> {
  const rows = await db
    .select()
    .from(orderStatusChanges)
    .where(inArray(orderStatusChanges.orderId, [...orderIds]))
    // In the order an order goes through its statuses, whatever the clocks that stamped them said.
    .orderBy(
      asc(orderStatusChanges.orderId),
      sql`case ${orderStatusChanges.status} when 'PENDING' then 0 when 'CONFIRMED' then 1 else 2 end`,
      asc(orderStatusChanges.changedAt),
    );
  const changes = new Map<string, OrderStatusChangeRow[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) changes.get(row.orderId)?.push(row);
  return changes;
}

function isAfter(orders: OrdersTables['orders'], [createdAtMs, id]: OrderCursor): SQL | undefined {
  const createdAt = new Date(createdAtMs);
  return or(lt(orders.createdAt, createdAt), and(eq(orders.createdAt, createdAt), lt(orders.id, id)));
}
