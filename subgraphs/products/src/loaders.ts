import DataLoader from 'dataloader';
import { alignByKey, createPageLoader, tracedBatch } from '@supergraph/server-kit/graphql';
import { findCategoriesByIds } from './catalog/category-store.js';
import type { ProductsDb } from './db/client.js';
import {
  countProductsByCategoryIds,
  findProductPagesByCategoryIds,
  findProductsByIds,
  type ProductCursor,
} from './catalog/product-store.js';
import type { CategoryRow, ProductRow } from './db/tables/index.js';

/** New DataLoaders for each request, so one request's cache never serves another. */
export function createLoaders(db: ProductsDb) {
  return {
    productById: new DataLoader<string, ProductRow | null>(
      tracedBatch('productById', async (ids) => alignByKey(ids, await findProductsByIds(db, ids), (row) => row.id)),
    ),
    categoryById: new DataLoader<string, CategoryRow | null>(
      tracedBatch('categoryById', async (ids) => alignByKey(ids, await findCategoriesByIds(db, ids), (row) => row.id)),
    ),
    productPageByCategory: createPageLoader<ProductCursor, ProductRow>(
      (categoryIds, window) => findProductPagesByCategoryIds(db, { categoryIds, window }),
      { name: 'productPageByCategory' },
    ),
    productCountByCategory: new DataLoader<string, number>(
      tracedBatch('productCountByCategory', async (ids) => {
        const counts = await countProductsByCategoryIds(db, ids);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
