import { asc, inArray } from 'drizzle-orm';
import type { ProductsDb } from './client.js';
import { categories, type CategoryRow } from './tables.js';

export async function findAllCategories(db: ProductsDb): Promise<CategoryRow[]> {
  return db.select().from(categories).orderBy(asc(categories.name), asc(categories.id));
}

export async function findCategoriesByIds(db: ProductsDb, ids: readonly string[]): Promise<CategoryRow[]> {
  return db.select().from(categories).where(inArray(categories.id, [...ids]));
}
