import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { findAllCategories } from '../catalog/category-store.js';
import { readProductFilter } from '../catalog/product-input.js';
import { countProducts, findProductsPage } from '../catalog/product-store.js';
import { readProductPageWindow, toProductCursor } from './connections.js';

export const Query: QueryResolvers = {
  product: (_parent, { id }, { loaders }) => loaders.productById.load(id),

  products: async (_parent, args, { db }, info) => {
    const window = readProductPageWindow(args, info);
    const filter = readProductFilter(args.filter);
    const rows = await findProductsPage(db, { filter, window });
    return { ...toConnectionPage(rows, window, toProductCursor), countTotal: () => countProducts(db, filter) };
  },

  categories: (_parent, _args, { db }) => findAllCategories(db),
};
