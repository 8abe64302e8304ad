import { and, asc, count, eq, getTableColumns, inArray, lte, sql, type Placeholder } from 'drizzle-orm';
import { preparedByKeys, readKeysetPage, type SortKey } from '@supergraph/server-kit/db';
import type { PageWindow } from '@supergraph/server-kit/graphql';
import type { OrdersDb } from '../db/client.js';
import type {
  CancellationReason,
  OrderItemRow,
  OrderRow,
  OrderStatus,
  OrderStatusChangeRow,
  OrdersTables,
} from '../db/tables/index.js';

// Every read and every write of the orders tables (orders, order_items, order_status_changes). The
// checkout saga writes through insertPendingOrder and changeOrderStatus, in the transaction that
// records its step.

/** A place in a user's orders, (createdAt ms, id), newest first: where a page starts or ends. */
export type OrderCursor = readonly [createdAtMs: number, id: string];

// The loaders' reads by a batch of keys are built once per number of keys and prepared (preparedByKeys).

const selectOrdersByIds = preparedByKeys<OrdersTables, OrderRow>('orders_by_ids', ({ db, tables: { orders } }, ids) =>
  db.select().from(orders).where(inArray(orders.id, ids)),
);

export async function findOrdersByIds(handle: OrdersDb, ids: readonly string[]): Promise<OrderRow[]> {
  return selectOrdersByIds(handle, ids);
}

/**
 * A page of orders for each of several users in one statement: a window function numbers each
 * user's orders in the order the page is read and keeps the first size + 1 (as toConnectionPage
 * takes them). A first or last page (no cursor) is prepared once per number of users, size and
 * direction; a page after or before a cursor is built per call.
 */
export async function findOrderPagesByUserIds(
  handle: OrdersDb,
  { userIds, window }: { userIds: readonly string[]; window: PageWindow<OrderCursor> },
): Promise<Map<string, OrderRow[]>> {
  const rows =
    window.after === null && window.before === null
      ? await selectEndPagesByUserIds(handle, userIds, `${window.direction}_${window.size}`)
      : await selectOrderPagesByUserIds(handle, [...userIds], window);
  const pages = new Map<string, OrderRow[]>(userIds.map((id) => [id, []]));
  for (const { position: _position, ...row } of rows) pages.get(row.userId)?.push(row);
  return pages;
}

function selectOrderPagesByUserIds(
  { db, tables: { orders } }: OrdersDb,
  userIds: (string | Placeholder)[],
  window: PageWindow<OrderCursor>,
) {
  const page = readKeysetPage(newestFirst(orders), window);
  const ranked = db
    .select({
      ...getTableColumns(orders),
      position: sql<number>`row_number() over (partition by ${orders.userId} order by ${sql.join(page.orderBy, sql`, `)})`.as(
        'position',
      ),
    })
    .from(orders)
    .where(and(inArray(orders.userId, userIds), page.where))
    .as('ranked');
  return db.select().from(ranked).where(lte(ranked.position, page.limit)).orderBy(asc(ranked.userId), asc(ranked.position));
}

type EndPageShape = `${PageWindow<OrderCursor>['direction']}_${number}`;

const selectEndPagesByUserIds = preparedByKeys<OrdersTables, OrderRow & { position: number }, EndPageShape>(
  'order_end_pages_by_user_ids',
  (handle, userIds, shape) => {
    const [direction, size] = shape.split('_') as [PageWindow<OrderCursor>['direction'], string];
    return selectOrderPagesByUserIds(handle, userIds, { direction, size: Number(size), after: null, before: null });
  },
);

const selectOrderCountsByUserIds = preparedByKeys<OrdersTables, { userId: string; total: number }>(
  'order_counts_by_user_ids',
  ({ db, tables: { orders } }, userIds) =>
    db
      .select({ userId: orders.userId, total: count() })
      .from(orders)
      .where(inArray(orders.userId, userIds))
      .groupBy(orders.userId),
);

export async function countOrdersByUserIds(handle: OrdersDb, userIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await selectOrderCountsByUserIds(handle, userIds);
  return new Map(rows.map((row) => [row.userId, row.total]));
}

/** The lines of several orders, each order's in line order. */
const selectItemsByOrderIds = preparedByKeys<OrdersTables, OrderItemRow>(
  'items_by_order_ids',
  ({ db, tables: { orderItems } }, orderIds) =>
    db
      .select()
      .from(orderItems)
      .where(inArray(orderItems.orderId, orderIds))
      .orderBy(asc(orderItems.orderId), asc(orderItems.lineNumber)),
);

export async function findItemsByOrderIds(handle: OrdersDb, orderIds: readonly string[]): Promise<Map<string, OrderItemRow[]>> {
  const rows = await selectItemsByOrderIds(handle, orderIds);
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

/** A user's orders' order: newest first, by createdAt, then id. */
function newestFirst(orders: OrdersTables['orders']): SortKey<OrderCursor> {
  return {
    columns: [orders.createdAt, orders.id],
    descending: true,
    valuesOf: ([createdAtMs, id]) => [new Date(createdAtMs), id],
  };
}

export interface NewOrder {
  id: string;
  userId: string;
  /** The sum of the lines, in minor units. */
  totalMinor: number;
  currency: string;
  createdAt: Date;
  lines: { productId: string; quantity: number; unitPriceMinor: number }[];
}

/** The order as the reservation priced it: PENDING, its lines, and the first entry of its history. */
export async function insertPendingOrder(
  { db, tables: { orders, orderItems, orderStatusChanges } }: OrdersDb,
  order: NewOrder,
  now: Date,
): Promise<void> {
  await db.insert(orders).values({
    id: order.id,
    userId: order.userId,
    status: 'PENDING',
    totalMinor: order.totalMinor,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: now,
  });
  await db
    .insert(orderItems)
    .values(order.lines.map((line, index) => ({ orderId: order.id, lineNumber: index + 1, currency: order.currency, ...line })));
  await db.insert(orderStatusChanges).values({ orderId: order.id, status: 'PENDING', reason: null, changedAt: now });
}

/** Moves an order to a new status and records the change (once: a replayed step records nothing new). */
export async function changeOrderStatus(
  { db, tables: { orders, orderStatusChanges } }: OrdersDb,
  { orderId, status, reason, now }: { orderId: string; status: OrderStatus; reason: CancellationReason | null; now: Date },
): Promise<void> {
  await db.update(orders).set({ status, updatedAt: now }).where(eq(orders.id, orderId));
  await db.insert(orderStatusChanges).values({ orderId, status, reason, changedAt: now }).onConflictDoNothing();
}
