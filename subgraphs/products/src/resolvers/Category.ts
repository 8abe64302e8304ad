import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { CategoryResolvers } from '../__generated__/resolvers-types.js';
import { readProductPageWindow, toProductCursor } from './connections.js';

export const Category: CategoryResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.categoryById.load(id),

  products: async (category, args, { loaders }, info) => {
    const window = readProductPageWindow(args, info);
    const rows = await loaders.productPageByCategory.load({ parentId: category.id, window });
    return {
      ...toConnectionPage(rows, window, toProductCursor),
      countTotal: () => loaders.productCountByCategory.load(category.id),
    };
  },
};
