import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const categories = sqliteTable('categories', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
});

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    sku: text('sku').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    /** In the currency's minor unit (cents): money is never a float. */
    priceMinor: integer('price_minor').notNull(),
    currency: text('currency').notNull(),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id),
    stock: integer('stock').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    // The catalog's sort order (name, id), overall and within a category: keyset pagination walks these.
    index('products_name_id_idx').on(table.name, table.id),
    index('products_category_name_id_idx').on(table.categoryId, table.name, table.id),
    check('products_stock_not_negative', sql`${table.stock} >= 0`),
    check('products_price_not_negative', sql`${table.priceMinor} >= 0`),
  ],
);

/**
 * Stock set aside for an order, one row per product of the order; every row of an order always has
 * the same status and expiry. The units are already taken off `products.stock` while RESERVED or
 * COMMITTED and are put back when a row becomes RELEASED.
 */
export const stockReservations = sqliteTable(
  'stock_reservations',
  {
    /** The orders service's id for the order; no foreign key, it lives in another database. */
    orderId: text('order_id').notNull(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    /** The catalog price when the stock was reserved, in the currency's minor unit. */
    unitPriceMinor: integer('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
    /** RESERVED: holding stock; COMMITTED: sold for good; RELEASED: given back. */
    status: text('status', { enum: ['RESERVED', 'COMMITTED', 'RELEASED'] }).notNull(),
    /** From then on the expiry sweep may release a RESERVED row. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'stock_reservations_pk', columns: [table.orderId, table.productId] }),
    // The expiry sweep's question: which RESERVED rows expired before now.
    index('stock_reservations_status_expires_at_idx').on(table.status, table.expiresAt),
    check('stock_reservations_quantity_positive', sql`${table.quantity} > 0`),
    check('stock_reservations_price_not_negative', sql`${table.unitPriceMinor} >= 0`),
    check('stock_reservations_status_known', sql`${table.status} in ('RESERVED', 'COMMITTED', 'RELEASED')`),
  ],
);
