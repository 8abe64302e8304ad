import { asc, inArray } from 'drizzle-orm';
import { preparedByKeys } from '@supergraph/server-kit/db';
import type { ProductsDb } from '../db/client.js';
import type { CategoryRow, ProductsTables } from '../db/tables/index.js';

export async function findAllCategories({ db, tables: { categories } }: ProductsDb): Promise<CategoryRow[]> {
  return db.select().from(categories).orderBy(asc(categories.name), asc(categories.id));
}

/** The loader's read by a batch of ids, built and prepared once per number of ids (preparedByKeys). */
const selectCategoriesByIds = preparedByKeys<ProductsTables, CategoryRow>(
  'categories_by_ids',
  ({ db, tables: { categories } }, ids) => db.select().from(categories).where(inArray(categories.id, ids)),
);

export async function findCategoriesByIds(handle: ProductsDb, ids: readonly string[]): Promise<CategoryRow[]> {
  return selectCategoriesByIds(handle, ids);
}
