import { formatMoney } from '@supergraph/server-kit/graphql';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.productById.load(id),

  price: (product) => formatMoney(product.priceMinor, product.currency),

  category: async (product, _args, { loaders }) => {
    const category = await loaders.categoryById.load(product.categoryId);
    // The foreign key guarantees the row; its absence means the database is corrupt.
    if (!category) throw new Error(`category ${product.categoryId} of product ${product.id} is missing`);
    return category;
  },

  inStock: (product) => product.stock > 0,
};
