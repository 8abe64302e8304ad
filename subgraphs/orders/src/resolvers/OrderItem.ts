import { formatMoney } from '@supergraph/server-kit/graphql';
import type { OrderItemResolvers } from '../__generated__/resolvers-types.js';

export const OrderItem: OrderItemResolvers = {
  // A reference the router resolves in the products subgraph.
  product: (item) => ({ id: item.productId }),

  unitPrice: (item) => formatMoney(item.unitPriceMinor, item.currency),

  lineTotal: (item) => formatMoney(item.unitPriceMinor * item.quantity, item.currency),
};
