import { formatMoney } from '@supergraph/server-kit/graphql';
import type { OrderResolvers } from '../__generated__/resolvers-types.js';

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.orderById.load(id),

  // A reference the router resolves in the users subgraph.
  user: (order) => ({ id: order.userId }),

  items: (order, _args, { loaders }) => loaders.itemsByOrderId.load(order.id),

  total: (order) => formatMoney(order.totalMinor, order.currency),

  cancellationReason: async (order, _args, { loaders }) => {
    if (order.status !== 'CANCELLED') return null;
    const history = await loaders.statusChangesByOrderId.load(order.id);
    return history.find((change) => change.status === 'CANCELLED')?.reason ?? null;
  },

  statusHistory: (order, _args, { loaders }) => loaders.statusChangesByOrderId.load(order.id),
};
