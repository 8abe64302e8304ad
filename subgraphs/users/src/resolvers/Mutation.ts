import { requireViewer } from '@supergraph/server-kit/auth';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

// Every mutation that hashes a password or writes a session is charged to the client's address
// first, and `register` and `login` to the account they name, before any work (accounts/throttling.ts).
export const Mutation: MutationResolvers = {
  register: async (_parent, { input }, { accounts, throttle, client }) => {
    await throttle.charge({ client, account: { email: input.email, attempts: 'registrations for this email address' } });
    return accounts.register(input);
  },

  login: async (_parent, { input }, { accounts, throttle, client }) => {
    await throttle.charge({ client, account: { email: input.email, attempts: 'login attempts for this account' } });
    return accounts.login(input);
  },

  refreshToken: async (_parent, { input }, { accounts, throttle, client }) => {
    await throttle.charge({ client });
    return accounts.refresh(input.refreshToken);
  },

  logout: async (_parent, { input }, { accounts }) => ({ loggedOut: await accounts.logout(input.refreshToken) }),

  updateProfile: async (_parent, { input }, { accounts, viewer }) => ({
    user: await accounts.updateProfile(requireViewer(viewer), input),
  }),

  changePassword: async (_parent, { input }, { accounts, viewer, throttle, client }) => {
    await throttle.charge({ client });
    return accounts.changePassword(requireViewer(viewer), input);
  },
};
