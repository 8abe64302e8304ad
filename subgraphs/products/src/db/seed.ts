import { count } from 'drizzle-orm';
import {
  createDemoCategories,
  generateDemoProducts,
  readInBatches,
  type SeedOptions,
  type SeedProgress,
} from '@supergraph/demo-data';
import type { ProductsDatabase, ProductsDb } from './client.js';

// 1,000 rows of 9 columns is 9,000 bound values a statement: under SQLite's 32,766 and Postgres's 65,535.
const INSERT_BATCH = 1000;

export async function isCatalogEmpty({ db, tables: { categories } }: ProductsDb): Promise<boolean> {
  const [row] = await db.select({ total: count() }).from(categories);
  return (row?.total ?? 0) === 0;
}

export async function deleteCatalog(database: ProductsDatabase): Promise<void> {
  await database.transaction(async ({ db, tables: { categories, products, stockReservations } }) => {
    await db.delete(stockReservations);
    await db.delete(products);
    await db.delete(categories);
  });
}

/**
 * Writes the demo catalog (categories, then products) in one transaction, so a failed seed leaves
 * the catalog empty. Products stream from the generator in multi-row inserts of 1,000: memory holds
 * one batch whatever the size of the catalog. `onProgress` hears about each batch written.
 */
export async function seedCatalog(database: ProductsDatabase, options: SeedOptions, onProgress?: SeedProgress): Promise<void> {
  await database.transaction(async ({ db, tables: { categories, products } }) => {
    await db.insert(categories).values(createDemoCategories());
    let written = 0;
    for (const batch of readInBatches(generateDemoProducts(options), INSERT_BATCH)) {
      await db.insert(products).values(batch.map(({ priceCents, ...product }) => ({ ...product, priceMinor: priceCents })));
      written += batch.length;
      onProgress?.('products', written, options.products);
    }
  });
}
