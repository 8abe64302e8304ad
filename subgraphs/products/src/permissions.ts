import { federationQueryRules, hasRole, type PermissionRules } from '@supergraph/server-kit/auth';
import { allow } from 'graphql-shield';

// Who may read or write what in the products subgraph. Every field of every object type has an
// explicit rule below, federation fields included; a field without one is denied (server-kit's applyPermissions), and
// test/permissions.test.ts fails when the schema grows a field this tree does not name.

/** A signed-in admin: only admins change the catalog. */
const isAdmin = hasRole('ADMIN', 'Only an admin may do this.');

/** The catalog is public: every read, whoever asks. */
const catalogRead = allow;

/** Type -> field -> rule, for every field of every object type in the schema. */
export const permissionRules: PermissionRules = {
  Query: {
    product: catalogRead,
    products: catalogRead,
    categories: catalogRead,
    // The router resolves Product and Category references here; their fields are public.
    ...federationQueryRules,
  },
  Mutation: {
    addProduct: isAdmin,
  },
  Product: {
    id: catalogRead,
    sku: catalogRead,
    name: catalogRead,
    description: catalogRead,
    price: catalogRead,
    category: catalogRead,
    stock: catalogRead,
    inStock: catalogRead,
    createdAt: catalogRead,
  },
  Category: { id: catalogRead, name: catalogRead, slug: catalogRead, products: catalogRead },
  Money: { amount: catalogRead, currency: catalogRead },
  ProductConnection: { edges: catalogRead, nodes: catalogRead, pageInfo: catalogRead, totalCount: catalogRead },
  ProductEdge: { cursor: catalogRead, node: catalogRead },
  PageInfo: { hasNextPage: catalogRead, hasPreviousPage: catalogRead, startCursor: catalogRead, endCursor: catalogRead },
  AddProductPayload: { product: catalogRead },
  _Service: { sdl: allow },
};
