import type { Viewer } from '@supergraph/server-kit/auth';
import { UnauthenticatedError } from '@supergraph/server-kit/graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

/** The permissions already require a viewer here; checking again keeps the resolver safe on its own. */
function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

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
