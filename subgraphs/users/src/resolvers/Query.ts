import { toConnectionPage } from '@supergraph/server-kit/graphql';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { countUsers, findUsersPage } from '../accounts/user-store.js';
import { readUserPageWindow, toUserCursor } from './connections.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { loaders, viewer }) => (viewer ? loaders.userById.load(viewer.id) : null),

  user: (_parent, { id }, { loaders }) => loaders.userById.load(id),

  users: async (_parent, args, { db }, info) => {
    const window = readUserPageWindow(args, info);
    const rows = await findUsersPage(db, window);
    return { ...toConnectionPage(rows, window, toUserCursor), countTotal: () => countUsers(db) };
  },
};
