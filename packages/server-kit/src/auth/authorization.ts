import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import {
  applyMiddleware,
  type IMiddleware,
  type IMiddlewareFieldMap,
  type IMiddlewareFunction,
  type IMiddlewareTypeMap,
} from 'graphql-middleware';
import { allow, and, deny, or, rule, shield, type IRule, type IRules } from 'graphql-shield';
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
 * promise per leaf of every row). A field whose rule is made only of plain rules (`rule()`, cache
 * 'no_cache' or 'contextual'), `or`, `and`, `allow` and `deny` (an ownership check on every field of
 * a row, say) is checked by `checkSynchronously`, which gives the verdict shield would, but without a
 * promise when every rule answers at once. Every other field, named or not, goes through shield as before.
 */
export function applyPermissions(schema: GraphQLSchema, rules: PermissionRules): GraphQLSchema {
  const permissions = shield(rules, {
    // graphql-shield's own default is `allow`: deny must be said.
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError,
  });
  return applyMiddleware(schema, withoutAllowedFields(permissions.generate(schema), rules));
}

/** What shield returns for a `false` verdict (and a rule that threw): the refusal for this viewer. */
function fallbackError(_error: unknown, _parent: unknown, _args: unknown, context: unknown): Error {
  return refuse((context as WithViewer).viewer, 'You are not allowed to do this.');
}

/**
 * Shield's middleware for each field (a type -> field map), less the fields the tree explicitly gives
 * `allow`, and with the synchronous check in place of shield's for the fields whose rule allows it.
 */
function withoutAllowedFields(middleware: IMiddleware, rules: PermissionRules): IMiddlewareTypeMap {
  // shield() over a rule tree (not a single rule) always generates a type -> field map.
  const byType = middleware as Record<string, IMiddlewareFieldMap>;
  return Object.fromEntries(
    Object.entries(byType).map(([type, fields]) => [
      type,
      Object.fromEntries(
        Object.entries(fields)
          .filter(([field]) => rules[type]?.[field] !== allow)
          .map(([field, shielded]) => {
            const fieldRule = rules[type]?.[field];
            return [field, fieldRule !== undefined && isCheckable(fieldRule) ? checkSynchronously(fieldRule) : shielded];
          }),
      ),
    ]),
  );
}

/** A rule's verdict as shield reads it: true (go on), false (the fallback refusal) or the error to return. */
type Verdict = true | false | Error;

/** The classes of graphql-shield's rules this module evaluates itself (the package exports only constructors). */
const RULE = Object.getPrototypeOf(rule('authorization/prototype')(() => true)) as object;
const RULE_OR = Object.getPrototypeOf(or(allow)) as object;
const RULE_AND = Object.getPrototypeOf(and(allow)) as object;
const RULE_TRUE = Object.getPrototypeOf(allow) as object;
const RULE_FALSE = Object.getPrototypeOf(deny) as object;

interface PlainRule {
  name: string;
  cache: unknown;
  fragment: unknown;
  func: (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;
}

interface ShieldContext {
  _shield?: { cache: Record<string, unknown> };
}

/** Whether every part of the rule is one checkSynchronously evaluates exactly as shield does. */
function isCheckable(fieldRule: unknown): boolean {
  const prototype = Object.getPrototypeOf(fieldRule) as object;
  if (prototype === RULE_TRUE || prototype === RULE_FALSE) return true;
  if (prototype === RULE_OR || prototype === RULE_AND) {
    return (fieldRule as { rules: unknown[] }).rules.every(isCheckable);
  }
  if (prototype === RULE) {
    const { cache, fragment } = fieldRule as PlainRule;
    return (cache === 'no_cache' || cache === 'contextual') && fragment === undefined;
  }
  return false;
}

/**
 * Shield's field middleware for a checkable rule, without its promises: the rule is evaluated as
 * shield evaluates it (a `contextual` verdict shared through shield's own per-request cache), and
 * only when a rule answers with a promise does the check wait for it. `true` runs the resolver, an
 * error is returned as the field's error, `false` (or a rule that threw) gives the fallback refusal.
 */
function checkSynchronously(fieldRule: unknown): IMiddlewareFunction {
  // graphql-middleware returns what the middleware returns, a value or a promise, though its type says promise.
  const middleware = (
    resolve: (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown,
    parent: unknown,
    args: unknown,
    context: ShieldContext,
    info: GraphQLResolveInfo,
  ): unknown => {
    const proceed = (verdict: Verdict): unknown => {
      if (verdict === true) return resolve(parent, args, context, info);
      return verdict === false ? fallbackError(null, parent, args, context) : verdict;
    };
    const verdict = evaluate(fieldRule, parent, args, context, info);
    return isPromise(verdict) ? verdict.then(proceed) : proceed(verdict);
  };
  return middleware as IMiddlewareFunction;
}

function evaluate(
  fieldRule: unknown,
  parent: unknown,
  args: unknown,
  context: ShieldContext,
  info: GraphQLResolveInfo,
): Verdict | Promise<Verdict> {
  const prototype = Object.getPrototypeOf(fieldRule) as object;
  if (prototype === RULE_TRUE) return true;
  if (prototype === RULE_FALSE) return false;
  if (prototype === RULE) return evaluateRule(fieldRule as PlainRule, parent, args, context, info);
  const verdicts: (Verdict | Promise<Verdict>)[] = (fieldRule as { rules: unknown[] }).rules.map((part) =>
    evaluate(part, parent, args, context, info),
  );
  const combine = prototype === RULE_OR ? combineOr : combineAnd;
  return verdicts.some(isPromise)
    ? Promise.all(verdicts.map(async (verdict) => verdict)).then(combine)
    : combine(verdicts as Verdict[]);
}

/** graphql-shield's or(): true when any part is; otherwise the first error, or false. */
function combineOr(verdicts: Verdict[]): Verdict {
  return verdicts.some((verdict) => verdict === true) || firstError(verdicts);
}

/** graphql-shield's and(): true when every part is; otherwise the first error, or false. */
function combineAnd(verdicts: Verdict[]): Verdict {
  return verdicts.every((verdict) => verdict === true) || firstError(verdicts);
}

function firstError(verdicts: Verdict[]): Error | false {
  return verdicts.find((verdict): verdict is Error => verdict instanceof Error) ?? false;
}

/** graphql-shield's Rule.resolve with cache 'no_cache' or 'contextual' (debug off): a throw is false. */
function evaluateRule(
  plain: PlainRule,
  parent: unknown,
  args: unknown,
  context: ShieldContext,
  info: GraphQLResolveInfo,
): Verdict | Promise<Verdict> {
  let result: unknown;
  try {
    if (plain.cache === 'contextual') {
      const cache = (context._shield ??= { cache: {} }).cache;
      if (!cache[plain.name]) cache[plain.name] = plain.func(parent, args, context, info);
      result = cache[plain.name];
    } else {
      result = plain.func(parent, args, context, info);
    }
  } catch {
    return false;
  }
  return isPromise(result) ? result.then(toVerdict, () => false) : toVerdict(result);
}

function toVerdict(result: unknown): Verdict {
  if (result instanceof Error) return result;
  if (typeof result === 'string') return new Error(result);
  return result === true;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
