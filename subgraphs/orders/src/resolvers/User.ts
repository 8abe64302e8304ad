import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { readOrderPageWindow, toOrderCursor } from './connections.js';

export const User: UserResolvers = {
  // This subgraph holds no user rows: any id is a user whose orders can be listed (possibly none).
  __resolveReference: ({ id }) => ({ id }),

  orders: async (user, args, { loaders }, info) => {
    const window = readOrderPageWindow(args, info);
    const rows = await loaders.orderPageByUser.load({ parentId: user.id, window });
    return {
      ...toConnectionPage(rows, window, toOrderCursor),
      countTotal: () => loaders.orderCountByUser.load(user.id),
    };
  },
};
