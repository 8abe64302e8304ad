import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { countUsers, findUsersPage } from '../accounts/user-store.js';
import { readUserPageArgs, toUserCursor } from './connections.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { loaders, viewer }) => (viewer ? loaders.userById.load(viewer.id) : null),

  user: (_parent, { id }, { loaders }) => loaders.userById.load(id),

  users: async (_parent, args, { db }) => {
    const { pageSize, after } = readUserPageArgs(args);
    const rows = await findUsersPage(db, { pageSize, after });
    return { ...toConnectionPage(rows, pageSize, toUserCursor), countTotal: () => countUsers(db) };
  },
};
