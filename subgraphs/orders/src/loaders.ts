import DataLoader from 'dataloader';
import { alignByKey, createPageLoader, tracedBatch } from '@supergraph/server-kit/graphql';
import type { OrdersDb } from './db/client.js';
import {
  countOrdersByUserIds,
  findItemsByOrderIds,
  findOrderPagesByUserIds,
  findOrdersByIds,
  findStatusChangesByOrderIds,
  type OrderCursor,
} from './orders/order-store.js';
import type { OrderItemRow, OrderRow, OrderStatusChangeRow } from './db/tables/index.js';

/** New DataLoaders for each request, so one request's cache never serves another. */
export function createLoaders(db: OrdersDb) {
  return {
    orderById: new DataLoader<string, OrderRow | null>(
      tracedBatch('orderById', async (ids) => alignByKey(ids, await findOrdersByIds(db, ids), (row) => row.id)),
    ),
    itemsByOrderId: new DataLoader<string, OrderItemRow[]>(
      tracedBatch('itemsByOrderId', async (ids) => {
        const items = await findItemsByOrderIds(db, ids);
        return ids.map((id) => items.get(id) ?? []);
      }),
    ),
    statusChangesByOrderId: new DataLoader<string, OrderStatusChangeRow[]>(
      tracedBatch('statusChangesByOrderId', async (ids) => {
        const changes = await findStatusChangesByOrderIds(db, ids);
        return ids.map((id) => changes.get(id) ?? []);
      }),
    ),
    orderPageByUser: createPageLoader<OrderCursor, OrderRow>(
      (userIds, window) => findOrderPagesByUserIds(db, { userIds, window }),
      { name: 'orderPageByUser' },
    ),
    orderCountByUser: new DataLoader<string, number>(
      tracedBatch('orderCountByUser', async (ids) => {
        const counts = await countOrdersByUserIds(db, ids);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
