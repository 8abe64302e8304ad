import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

// The Postgres twin of sqlite.ts: same tables, columns and constraints; index.ts checks the row types match.

export const categories = pgTable('categories', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
});

export const products = pgTable(
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
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  },
  (table) => [
    index('products_name_id_idx').on(table.name, table.id),
    index('products_category_name_id_idx').on(table.categoryId, table.name, table.id),
    // Catalog search, lower(col) like '%text%', is answered from these trigram indexes (pg_trgm, created
    // by the migration that adds them); sqlite.ts's twin is the products_search FTS5 table.
    index('products_name_trgm_idx').using('gin', sql`lower(${table.name}) gin_trgm_ops`),
    index('products_sku_trgm_idx').using('gin', sql`lower(${table.sku}) gin_trgm_ops`),
    index('products_description_trgm_idx').using('gin', sql`lower(${table.description}) gin_trgm_ops`),
    check('products_stock_not_negative', sql`${table.stock} >= 0`),
    check('products_price_not_negative', sql`${table.priceMinor} >= 0`),
  ],
);

export const stockReservations = pgTable(
  'stock_reservations',
  {
    orderId: text('order_id').notNull(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: ['RESERVED', 'COMMITTED', 'RELEASED'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'stock_reservations_pk', columns: [table.orderId, table.productId] }),
    index('stock_reservations_status_expires_at_idx').on(table.status, table.expiresAt),
    check('stock_reservations_quantity_positive', sql`${table.quantity} > 0`),
    check('stock_reservations_price_not_negative', sql`${table.unitPriceMinor} >= 0`),
    check('stock_reservations_status_known', sql`${table.status} in ('RESERVED', 'COMMITTED', 'RELEASED')`),
  ],
);
