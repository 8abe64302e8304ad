import type { OrderConnectionResolvers } from '../__generated__/resolvers-types.js';

export const OrderConnection: OrderConnectionResolvers = {
  totalCount: (connection) => connection.countTotal(),
};
