import { BadUserInputError, toConnectionPage } from '@supergraph/server-kit/graphql';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { findAllCategories } from '../db/categories.js';
import { countProducts, findProductsPage, type ProductFilter } from '../db/products.js';
import { readProductPageArgs, toProductCursor } from './connections.js';

const MAX_SEARCH_LENGTH = 100;

export const Query: QueryResolvers = {
  product: (_parent, { id }, { loaders }) => loaders.productById.load(id),

  products: async (_parent, args, { db }) => {
    const { pageSize, after } = readProductPageArgs(args);
    const filter: ProductFilter = { ...args.filter };
    if ((filter.search?.length ?? 0) > MAX_SEARCH_LENGTH) {
      throw new BadUserInputError(`filter.search must be at most ${MAX_SEARCH_LENGTH} characters.`, 'filter.search');
    }
    const rows = await findProductsPage(db, { filter, pageSize, after });
    return { ...toConnectionPage(rows, pageSize, toProductCursor), countTotal: () => countProducts(db, filter) };
  },

  categories: (_parent, _args, { db }) => findAllCategories(db),
};
