import { count } from 'drizzle-orm';
import { createDemoCategories, createDemoProducts, type SeedOptions } from '@supergraph/demo-data';
import type { ProductsDb } from './client.js';
import { categories, products } from './tables.js';

const INSERT_CHUNK = 500;

export async function isCatalogEmpty(db: ProductsDb): Promise<boolean> {
  const [row] = await db.select({ total: count() }).from(categories);
  return (row?.total ?? 0) === 0;
}

export async function deleteCatalog(db: ProductsDb): Promise<void> {
  db.transaction((tx) => {
    tx.delete(products).run();
    tx.delete(categories).run();
  });
}

/** Writes the demo catalog (categories, then products) in one transaction. */
export async function seedCatalog(db: ProductsDb, options: SeedOptions): Promise<void> {
  const categoryRows = createDemoCategories();
  const productRows = createDemoProducts(options).map(({ priceCents, ...product }) => ({ ...product, priceMinor: priceCents }));
  db.transaction((tx) => {
    tx.insert(categories).values(categoryRows).run();
    for (let i = 0; i < productRows.length; i += INSERT_CHUNK) {
      tx.insert(products).values(productRows.slice(i, i + INSERT_CHUNK)).run();
    }
  });
}
