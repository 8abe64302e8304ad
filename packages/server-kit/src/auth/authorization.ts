import type { GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddleware, type IMiddlewareFieldMap, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, rule, shield, type IRule, type IRules } from 'graphql-shield';
import type { Role, Viewer } from '@supergraph/contracts/identity';
import { ForbiddenError, UnauthenticatedError } from '../graphql/errors.js';

/** A rule or a combination of rules (allow, deny, and(), or()): what a rule tree gives one field. */
export type FieldRule = Extract<IRules, { resolve: unknown }>;

/** A subgraph's rule tree: type -> field -> rule, naming every field of every object type. */
export type PermissionRules = Record<string, Record<string, FieldRule>>;

/**
 * The rules of the federation fields every subgraph's Query has, for its rule tree to spread:
 * `_service` (the SDL composition reads) and `_entities` (the router resolving references) are
 * open, because each entity's own fields are checked on the rows __resolveReference returns.
 */
export const federationQueryRules: Readonly<Record<'_entities' | '_service', FieldRule>> = { _entities: allow, _service: allow };

interface WithViewer {
  viewer: Viewer | null;
}

/** Why a viewer is turned away: not signed in (UNAUTHENTICATED), or signed in but not allowed (FORBIDDEN). */
export function refuse(viewer: Viewer | null, message: string): Error {
  return viewer ? new ForbiddenError(message) : new UnauthenticatedError();
}

/**
 * The signed-in viewer, for a resolver whose permission rule already requires one: checking again
 * keeps the resolver safe on its own and narrows the type.
 */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

/** A signed-in caller, whoever it is. Depends on the viewer alone, so it is evaluated once per request. */
export const isAuthenticated: IRule = rule('isAuthenticated', { cache: 'contextual' })(
  (_parent, _args, { viewer }: WithViewer) => viewer !== null || new UnauthenticatedError(),
);

/**
 * A signed-in caller with `role`; anyone else is refused with `message` (UNAUTHENTICATED when
 * anonymous). Depends on the viewer alone, so it is evaluated once per request (and its verdict is
 * shared by every hasRole rule of the same role in that request).
 */
export function hasRole(role: Role, message: string): IRule {
  return rule(`hasRole:${role}`, { cache: 'contextual' })(
    (_parent, _args, { viewer }: WithViewer) => viewer?.role === role || refuse(viewer, message),
  );
}

export interface OwnershipRule<Parent> {
  /** The id of the user who owns the parent row (the row the guarded field is read from). */
  ownerIdOf: (parent: Parent) => string;
  /** The role that may see every row, not only its own. */
  role: Role;
  /** Why anyone else is refused (FORBIDDEN; UNAUTHENTICATED when anonymous). */
  message: string;
}

/**
 * The owner of the parent row, or a caller with `role`. Checked on the parent, so it holds whichever
 * way the row is reached (a root field, a list, `_entities`). Not cached: the check is one comparison,
 * cheaper than the hash of the parent row that graphql-shield's 'strict' cache would compute for
 * every field. `name` must be unique within the rule tree.
 */
export function isOwnerOrHasRole<Parent>(name: string, { ownerIdOf, role, message }: OwnershipRule<Parent>): IRule {
  return rule(name, { cache: 'no_cache' })(
    (parent: Parent, _args, { viewer }: WithViewer) =>
      (viewer !== null && (viewer.role === role || viewer.id === ownerIdOf(parent))) || refuse(viewer, message),
  );
}

/**
 * Applies a subgraph's rule tree to its schema with graphql-shield, deny by default: a field the tree
 * does not name is refused (UNAUTHENTICATED for an anonymous caller, FORBIDDEN otherwise). Resolvers'
 * own GraphQLErrors (BAD_USER_INPUT, NOT_FOUND, ...) still reach the client with their codes.
 * graphql-middleware keeps each type's extensions, where @apollo/subgraph keeps __resolveReference.
 *
 * A field whose rule is graphql-shield's `allow` is left as it is, not wrapped: shield would only
 * call the rule, get `true` and call the resolver, but its wrapper makes every such field async (a
 * promise per leaf of every row). Every other field, named or not, goes through shield as before.
 */
export function applyPermissions(schema: GraphQLSchema, rules: PermissionRules): GraphQLSchema {
  const permissions = shield(rules, {
    // graphql-shield's own default is `allow`: deny must be said.
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError: (_error, _parent, _args, context) =>
      refuse((context as unknown as WithViewer).viewer, 'You are not allowed to do this.'),
  });
  return applyMiddleware(schema, withoutAllowedFields(permissions.generate(schema), rules));
}

/** Shield's middleware for each field (a type -> field map), less the fields the tree explicitly gives `allow`. */
function withoutAllowedFields(middleware: IMiddleware, rules: PermissionRules): IMiddlewareTypeMap {
  // shield() over a rule tree (not a single rule) always generates a type -> field map.
  const byType = middleware as Record<string, IMiddlewareFieldMap>;
  return Object.fromEntries(
    Object.entries(byType).map(([type, fields]) => [
      type,
      Object.fromEntries(Object.entries(fields).filter(([field]) => rules[type]?.[field] !== allow)),
    ]),
  );
}
