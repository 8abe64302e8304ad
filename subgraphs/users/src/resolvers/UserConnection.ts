import type { UserConnectionResolvers } from '../__generated__/resolvers-types.js';

export const UserConnection: UserConnectionResolvers = {
  totalCount: (connection) => connection.countTotal(),
};
