import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
