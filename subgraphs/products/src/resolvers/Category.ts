import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { CategoryResolvers } from '../__generated__/resolvers-types.js';
import { readProductPageArgs, toProductCursor } from './connections.js';

export const Category: CategoryResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.categoryById.load(id),

  products: async (category, args, { loaders }) => {
    const { pageSize, after } = readProductPageArgs(args);
    const rows = await loaders.productPageByCategory.load({ parentId: category.id, pageSize, after });
    return {
      ...toConnectionPage(rows, pageSize, toProductCursor),
      countTotal: () => loaders.productCountByCategory.load(category.id),
    };
  },
};
