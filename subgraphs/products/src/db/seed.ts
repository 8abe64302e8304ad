import { count } from 'drizzle-orm';
import { createDemoCategories, createDemoProducts, type SeedOptions } from '@supergraph/demo-data';
import type { ProductsDatabase, ProductsDb } from './client.js';

const INSERT_CHUNK = 500;

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

/** Writes the demo catalog (categories, then products) in one transaction. */
export async function seedCatalog(database: ProductsDatabase, options: SeedOptions): Promise<void> {
  const categoryRows = createDemoCategories();
  const productRows = createDemoProducts(options).map(({ priceCents, ...product }) => ({ ...product, priceMinor: priceCents }));
  await database.transaction(async ({ db, tables: { categories, products } }) => {
    await db.insert(categories).values(categoryRows);
    for (let i = 0; i < productRows.length; i += INSERT_CHUNK) {
      await db.insert(products).values(productRows.slice(i, i + INSERT_CHUNK));
    }
  });
}
