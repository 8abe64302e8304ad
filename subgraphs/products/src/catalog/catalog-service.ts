import { randomUUID } from 'node:crypto';
import type { AddProductInput } from '../__generated__/resolvers-types.js';
import type { ProductsDatabase } from '../db/client.js';
import type { ProductRow } from '../db/tables/index.js';
import { SkuTakenError, UnknownCategoryError } from '../errors.js';
import { findCategoriesByIds } from './category-store.js';
import { readAddProductInput } from './product-input.js';
import { insertProduct } from './product-store.js';

/**
 * Adds a product to the catalog. Every field is checked first (BAD_USER_INPUT naming it); then the
 * category must exist and the SKU be free, else BAD_USER_INPUT naming `input.categoryId` or
 * `input.sku`, and nothing is written. Who may call it is for the caller to decide (admins only).
 */
export async function addProduct(database: ProductsDatabase, input: AddProductInput): Promise<ProductRow> {
  const fields = readAddProductInput(input);
  const [category] = await findCategoriesByIds(database, [fields.categoryId]);
  if (!category) throw new UnknownCategoryError();
  const product = await database.transaction((tx) => insertProduct(tx, { id: randomUUID(), ...fields, createdAt: new Date() }));
  if (!product) throw new SkuTakenError(fields.sku);
  return product;
}
