import { requireViewer } from '@supergraph/server-kit/auth';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  register: (_parent, { input }, { accounts }) => accounts.register(input),

  login: (_parent, { input }, { accounts }) => accounts.login(input),

  refreshToken: (_parent, { input }, { accounts }) => accounts.refresh(input.refreshToken),

  logout: async (_parent, { input }, { accounts }) => ({ loggedOut: await accounts.logout(input.refreshToken) }),

  updateProfile: async (_parent, { input }, { accounts, viewer }) => ({
    user: await accounts.updateProfile(requireViewer(viewer), input),
  }),

  changePassword: (_parent, { input }, { accounts, viewer }) => accounts.changePassword(requireViewer(viewer), input),
};
