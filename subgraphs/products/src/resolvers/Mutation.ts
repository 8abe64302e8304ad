import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@supergraph/server-kit/graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { findCategoriesByIds } from '../db/categories.js';
import { insertProduct } from '../db/products.js';
import { readAddProductInput } from '../product-input.js';

// Who may call these is decided in permissions.ts (addProduct: admins only).
export const Mutation: MutationResolvers = {
  addProduct: async (_parent, { input }, { db }) => {
    const fields = readAddProductInput(input);
    const [category] = await findCategoriesByIds(db, [fields.categoryId]);
    if (!category) {
      throw new BadUserInputError('input.categoryId must be the id of an existing category.', 'input.categoryId');
    }
    const product = await db.transaction((tx) => insertProduct(tx, { id: randomUUID(), ...fields, createdAt: new Date() }));
    if (!product) throw new BadUserInputError(`input.sku ${fields.sku} is already in the catalog.`, 'input.sku');
    return { product };
  },
};
