import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { addProduct } from '../catalog/catalog-service.js';

// Who may call these is decided in permissions.ts (addProduct: admins only).
export const Mutation: MutationResolvers = {
  addProduct: async (_parent, { input }, { db }) => ({ product: await addProduct(db, input) }),
};
