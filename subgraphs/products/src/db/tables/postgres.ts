import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
    check('products_stock_not_negative', sql`${table.stock} >= 0`),
    check('products_price_not_negative', sql`${table.priceMinor} >= 0`),
  ],
);
