import { formatMoney } from '@supergraph/server-kit';
import type { OrderResolvers } from '../__generated__/resolvers-types.js';

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.orderById.load(id),

  // A reference the router resolves in the users subgraph.
  user: (order) => ({ id: order.userId }),

  items: (order, _args, { loaders }) => loaders.itemsByOrderId.load(order.id),

  total: (order) => formatMoney(order.totalMinor, order.currency),
};
