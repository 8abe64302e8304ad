import type { ProductConnectionResolvers } from '../__generated__/resolvers-types.js';

export const ProductConnection: ProductConnectionResolvers = {
  totalCount: (connection) => connection.countTotal(),
};
