import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ORDER_STATUSES } from './order-status.js';

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** The users subgraph's User id; no foreign key, the row lives in another database. */
    userId: text('user_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    /** Sum of the lines, in the currency's minor unit. */
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    // A user's orders, newest first: User.orders walks this index.
    index('orders_user_created_id_idx').on(table.userId, table.createdAt, table.id),
    check('orders_status_known', sql`${table.status} in ('PENDING', 'CONFIRMED', 'CANCELLED')`),
    check('orders_total_not_negative', sql`${table.totalMinor} >= 0`),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** 1-based position of the line in its order. */
    lineNumber: integer('line_number').notNull(),
    /** The products subgraph's Product id. */
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** The price paid at checkout, whatever the catalog says now. */
    unitPriceMinor: integer('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.lineNumber] }),
    check('order_items_quantity_positive', sql`${table.quantity} > 0`),
    check('order_items_price_not_negative', sql`${table.unitPriceMinor} >= 0`),
  ],
);
