import { federationQueryRules, isAuthenticated, isOwnerOrHasRole, type PermissionRules } from '@supergraph/server-kit/auth';
import { allow, type IRule } from 'graphql-shield';
import type { OrderRow, UserReference } from './mappers.js';

// Who may see what in the orders subgraph. Every field of every object type has an explicit rule
// below, federation fields included; a field without one is denied (server-kit's applyPermissions), and
// test/permissions.test.ts fails when the schema grows a field this tree does not name.
//
// Ownership is checked on the parent, the row the field is read from, never on the arguments of a
// root field: so it holds whichever way the router reaches an order (Query.order, User.orders, or
// `_entities` with an Order or a User representation). That is sound only because __resolveReference
// returns the stored row (or, for User, nothing but the id), never fields taken from the representation.

const OWN_ORDERS_ONLY = 'You can see only your own orders.';

/** The order's owner or an admin. */
export const isOrderOwnerOrAdmin: IRule = isOwnerOrHasRole('orders/isOrderOwnerOrAdmin', {
  ownerIdOf: (order: OrderRow) => order.userId,
  role: 'ADMIN',
  message: OWN_ORDERS_ONLY,
});

/** The user themself or an admin, for what the orders subgraph adds to a User (their orders). */
export const isSameUserOrAdmin: IRule = isOwnerOrHasRole('orders/isSameUserOrAdmin', {
  ownerIdOf: (user: UserReference) => user.id,
  role: 'ADMIN',
  message: OWN_ORDERS_ONLY,
});

/** Parts of an order (lines, money, pages): reached only through an Order or User.orders, which are checked. */
const partOfCheckedOrder = allow;

/** Type -> field -> rule, for every field of every object type in the schema. */
export const permissionRules: PermissionRules = {
  Query: {
    order: isAuthenticated,
    // The router resolves Order and User references here.
    ...federationQueryRules,
  },
  // Any signed-in user may check out for themself; cancelOrder loads the order and checks its owner
  // (or an admin) before it changes anything, since the order is an argument, not a parent.
  Mutation: {
    createOrder: isAuthenticated,
    cancelOrder: isAuthenticated,
  },
  Order: {
    id: isOrderOwnerOrAdmin,
    status: isOrderOwnerOrAdmin,
    user: isOrderOwnerOrAdmin,
    items: isOrderOwnerOrAdmin,
    total: isOrderOwnerOrAdmin,
    createdAt: isOrderOwnerOrAdmin,
    cancellationReason: isOrderOwnerOrAdmin,
    statusHistory: isOrderOwnerOrAdmin,
  },
  OrderStatusChange: { status: partOfCheckedOrder, at: partOfCheckedOrder, reason: partOfCheckedOrder },
  OrderItem: {
    product: partOfCheckedOrder,
    quantity: partOfCheckedOrder,
    unitPrice: partOfCheckedOrder,
    lineTotal: partOfCheckedOrder,
  },
  // The key alone says nothing; the users subgraph guards the rest of a User.
  User: { id: allow, orders: isSameUserOrAdmin },
  // A reference the products subgraph resolves; the catalog is public.
  Product: { id: allow },
  Money: { amount: partOfCheckedOrder, currency: partOfCheckedOrder },
  OrderConnection: {
    edges: partOfCheckedOrder,
    nodes: partOfCheckedOrder,
    pageInfo: partOfCheckedOrder,
    totalCount: partOfCheckedOrder,
  },
  OrderEdge: { cursor: partOfCheckedOrder, node: partOfCheckedOrder },
  PageInfo: {
    hasNextPage: partOfCheckedOrder,
    hasPreviousPage: partOfCheckedOrder,
    startCursor: partOfCheckedOrder,
    endCursor: partOfCheckedOrder,
  },
  _Service: { sdl: allow },
};
