import { UnauthenticatedError } from '@supergraph/server-kit/graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';

function signedIn({ viewer }: Context) {
  // The permission rules refuse anonymous callers first; this narrows the type.
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input }, context) => context.checkout.createOrder(signedIn(context), input),

  cancelOrder: (_parent, { id }, context) => context.checkout.cancelOrder(signedIn(context), id),
};
