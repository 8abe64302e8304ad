import { asc, inArray } from 'drizzle-orm';
import type { ProductsDb } from '../db/client.js';
import type { CategoryRow } from '../db/tables/index.js';

export async function findAllCategories({ db, tables: { categories } }: ProductsDb): Promise<CategoryRow[]> {
  return db.select().from(categories).orderBy(asc(categories.name), asc(categories.id));
}

export async function findCategoriesByIds(
  { db, tables: { categories } }: ProductsDb,
  ids: readonly string[],
): Promise<CategoryRow[]> {
  return db
    .select()
    .from(categories)
    .where(inArray(categories.id, [...ids]));
}
