import { requireViewer } from '@supergraph/server-kit/auth';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

// The permission rules refuse anonymous callers first; requireViewer narrows the type.
export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input }, { checkout, viewer, requestId }) =>
    checkout.createOrder(requireViewer(viewer), input, { requestId }),

  cancelOrder: (_parent, { id }, { checkout, viewer, requestId }) =>
    checkout.cancelOrder(requireViewer(viewer), id, { requestId }),
};
