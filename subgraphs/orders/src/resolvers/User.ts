import { decodeCursor, encodeCursor, resolvePageSize, toConnectionPage } from '@supergraph/server-kit/graphql';
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import type { OrderRow } from '../db/tables/index.js';

/** A user's orders are sorted newest first by (createdAt, id); the cursor is that key. */
function toOrderCursor(order: OrderRow): string {
  return encodeCursor([order.createdAt.getTime(), order.id]);
}

export const User: UserResolvers = {
  // This subgraph holds no user rows: any id is a user whose orders can be listed (possibly none).
  __resolveReference: ({ id }) => ({ id }),

  orders: async (user, args, { loaders }) => {
    const pageSize = resolvePageSize(args.first, 10);
    const after = args.after ? decodeCursor(args.after, ['number', 'string'] as const) : null;
    const rows = await loaders.orderPageByUser.load({ parentId: user.id, pageSize, after });
    return {
      ...toConnectionPage(rows, pageSize, toOrderCursor),
      countTotal: () => loaders.orderCountByUser.load(user.id),
    };
  },
};
