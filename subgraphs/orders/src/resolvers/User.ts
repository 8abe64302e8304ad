import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { readOrderPageArgs, toOrderCursor } from './connections.js';

export const User: UserResolvers = {
  // This subgraph holds no user rows: any id is a user whose orders can be listed (possibly none).
  __resolveReference: ({ id }) => ({ id }),

  orders: async (user, args, { loaders }) => {
    const { pageSize, after } = readOrderPageArgs(args);
    const rows = await loaders.orderPageByUser.load({ parentId: user.id, pageSize, after });
    return {
      ...toConnectionPage(rows, pageSize, toOrderCursor),
      countTotal: () => loaders.orderCountByUser.load(user.id),
    };
  },
};
