import { decodeCursor, encodeCursor, resolvePageSize } from '@supergraph/server-kit/graphql';
import type { OrderRow } from '../db/tables/index.js';
import type { OrderCursor } from '../orders/order-store.js';

/** A user's orders are sorted newest first by (createdAt, id); the cursor is that key, createdAt in epoch ms. */
export function toOrderCursor(order: OrderRow): string {
  return encodeCursor([order.createdAt.getTime(), order.id]);
}

/** Validates `first` and `after` of an order connection. */
export function readOrderPageArgs(args: { first?: number | null; after?: string | null }): {
  pageSize: number;
  after: OrderCursor | null;
} {
  return {
    pageSize: resolvePageSize(args.first, 10),
    after: args.after ? decodeCursor(args.after, ['number', 'string'] as const) : null,
  };
}
