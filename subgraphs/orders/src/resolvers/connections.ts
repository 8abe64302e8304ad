import {
  encodeCursor,
  readPageWindow,
  type ArgumentSource,
  type ConnectionArguments,
  type PageWindow,
} from '@supergraph/server-kit/graphql';
import type { OrderRow } from '../db/tables/index.js';
import type { OrderCursor } from '../orders/order-store.js';

/** A user's orders are sorted newest first by (createdAt, id); the cursor is that key, createdAt in epoch ms. */
export function toOrderCursor(order: OrderRow): string {
  return encodeCursor([order.createdAt.getTime(), order.id]);
}

/** Reads the page arguments of an order connection: 10 forward unless `first` or `last` says otherwise. */
export function readOrderPageWindow(args: ConnectionArguments, info: ArgumentSource): PageWindow<OrderCursor> {
  return readPageWindow(args, info, { cursor: ['number', 'string'], defaultSize: 10 });
}
