import { ForbiddenError, UnauthenticatedError, type Viewer } from '@supergraph/server-kit';
import { allow, deny, rule, shield, type IRule, type IRules } from 'graphql-shield';
import type { Context } from './context.js';

// Who may read or write what in the products subgraph. Every field of every object type has an
// explicit rule below, federation fields included; a field without one is denied (fallbackRule), and
// test/permissions.test.ts fails when the schema grows a field this tree does not name.

/** A rule or a combination of rules (allow, deny, and(), or()): what the tree gives each field. */
type FieldRule = Extract<IRules, { resolve: unknown }>;

/** Why a viewer is turned away: not signed in (UNAUTHENTICATED), or signed in but not allowed (FORBIDDEN). */
function refuse(viewer: Viewer | null, message: string): Error {
  return viewer ? new ForbiddenError(message) : new UnauthenticatedError();
}

/** A signed-in admin. Depends on the viewer alone, so it is evaluated once per request. */
export const isAdmin: IRule = rule('products/isAdmin', { cache: 'contextual' })(
  (_parent, _args, { viewer }: Context) => viewer?.role === 'ADMIN' || refuse(viewer, 'Only admins can change the catalog.'),
);

/** The catalog is public: every read, whoever asks. */
const catalogRead = allow;

/** Type -> field -> rule, for every field of every object type in the schema. */
export const permissionRules: Record<string, Record<string, FieldRule>> = {
  Query: {
    product: catalogRead,
    products: catalogRead,
    categories: catalogRead,
    // Federation: the router resolves Product and Category references here; their fields are public.
    _entities: allow,
    _service: allow,
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
  PageInfo: { hasNextPage: catalogRead, endCursor: catalogRead },
  AddProductPayload: { product: catalogRead },
  _Service: { sdl: allow },
};

/**
 * The shield over `rules`: a field the tree does not name is denied, with UNAUTHENTICATED for an
 * anonymous caller and FORBIDDEN otherwise, like any refusal.
 */
export function createPermissions(rules: Record<string, Record<string, FieldRule>>) {
  return shield(rules, {
    fallbackRule: deny,
    fallbackError: (_error, _parent, _args, context) =>
      refuse((context as unknown as Context).viewer, 'You are not allowed to do this.'),
    // Resolvers' own GraphQLErrors (BAD_USER_INPUT, NOT_FOUND, ...) reach the client with their codes.
    allowExternalErrors: true,
    debug: false,
  });
}

export const permissions = createPermissions(permissionRules);
