import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  order: (_parent, { id }, { loaders }) => loaders.orderById.load(id),
};
