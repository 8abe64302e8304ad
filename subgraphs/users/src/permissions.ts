import {
  federationQueryRules,
  hasRole,
  isAuthenticated,
  isOwnerOrHasRole,
  type PermissionRules,
} from '@supergraph/server-kit/auth';
import type { GraphQLResolveInfo } from 'graphql';
import { allow, or, rule, type IRule } from 'graphql-shield';
import type { Context } from './context.js';
import type { UserRow } from './mappers.js';

// Who may see and change what in the users subgraph. Every field of every object type has an
// explicit rule below, federation fields included; a field without one is denied (server-kit's applyPermissions), and
// test/permissions.test.ts fails when the schema grows a field this tree does not name.
//
// A user's fields are checked on the parent, the row they are read from, never on the arguments of
// a root field: so the check holds whichever way a User is reached (me, user(id), users, a payload,
// or `_entities`). That is sound only because User.__resolveReference returns the stored row.

/** A signed-in admin. */
const isAdmin = hasRole('ADMIN', 'Only an admin may do this.');

/** The user themself or an admin. */
export const isSelfOrAdmin: IRule = isOwnerOrHasRole('users/isSelfOrAdmin', {
  ownerIdOf: (user: UserRow) => user.id,
  role: 'ADMIN',
  message: 'You can see only your own profile.',
});

/**
 * The user an AuthPayload carries. register, login and refreshToken are called before the caller
 * has a token, so the viewer is still anonymous; the payload's user is, by construction, the account
 * the mutation has just created or whose password or refresh token it has just checked: the caller's own.
 * False (never an error) otherwise, so that isSelfOrAdmin's refusal is the one the client sees.
 */
export const isUserOfNewSession: IRule = rule('users/isUserOfNewSession', { cache: 'no_cache' })(
  (_user: UserRow, _args, _context: Context, info: GraphQLResolveInfo) => info.path.prev?.typename === 'AuthPayload',
);

/** Who may read a user's fields: that user (also right after signing in) or an admin. */
const canSeeUser = or(isSelfOrAdmin, isUserOfNewSession);

/** Payloads and pages: their users are checked field by field with canSeeUser. */
const containerOfCheckedUsers = allow;

/** Type -> field -> rule, for every field of every object type in the schema. */
export const permissionRules: PermissionRules = {
  Query: {
    // Null for an anonymous caller; otherwise the caller's own account.
    me: allow,
    user: isAuthenticated,
    users: isAdmin,
    // The router resolves User references here.
    ...federationQueryRules,
  },
  Mutation: {
    // Signing up and in is for callers without a token; logout needs only the refresh token it ends.
    register: allow,
    login: allow,
    refreshToken: allow,
    logout: allow,
    updateProfile: isAuthenticated,
    changePassword: isAuthenticated,
  },
  AuthPayload: {
    accessToken: allow,
    accessTokenExpiresAt: allow,
    refreshToken: allow,
    refreshTokenExpiresAt: allow,
    user: containerOfCheckedUsers,
  },
  LogoutPayload: { loggedOut: allow },
  UpdateProfilePayload: { user: containerOfCheckedUsers },
  User: {
    id: canSeeUser,
    // The login address: its owner and admins only, whatever rule the other fields get one day.
    email: canSeeUser,
    name: canSeeUser,
    role: canSeeUser,
    createdAt: canSeeUser,
  },
  UserConnection: {
    edges: containerOfCheckedUsers,
    nodes: containerOfCheckedUsers,
    pageInfo: containerOfCheckedUsers,
    totalCount: containerOfCheckedUsers,
  },
  UserEdge: { cursor: containerOfCheckedUsers, node: containerOfCheckedUsers },
  PageInfo: {
    hasNextPage: containerOfCheckedUsers,
    hasPreviousPage: containerOfCheckedUsers,
    startCursor: containerOfCheckedUsers,
    endCursor: containerOfCheckedUsers,
  },
  _Service: { sdl: allow },
};
