import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  BREAK,
  getArgumentValues,
  getVariableValues,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  separateOperations,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BadUserInputError } from './errors.js';

/** A string argument no database column can hold as it was sent: where it is and what is wrong. */
export interface UnstorableString {
  /** The argument and the path inside it, as `argumentName` names fields: `input.items[0].productId`. */
  argumentName: string;
  /** What the string holds: U+0000, or half of a UTF-16 surrogate pair. */
  problem: 'NUL' | 'LONE_SURROGATE';
}

// In `u` mode a paired surrogate is one code point, so the class matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const DESCRIPTIONS: Record<UnstorableString['problem'], string> = {
  NUL: 'the NUL character (U+0000)',
  LONE_SURROGATE: 'a lone UTF-16 surrogate (U+D800 to U+DFFF, half of a character)',
};

/**
 * The first string in the operation's arguments that Postgres cannot store (a NUL character) or
 * that each dialect would store differently (a lone surrogate: U+FFFD on Postgres, invalid UTF-8 on
 * SQLite). Every argument is read as the executor will see it, from literals, variables and
 * defaults, through input objects, lists and scalars of any shape (ID, `_Any` representations), in
 * the operation and the fragments it spreads. Undefined when there is none, or when the variables do
 * not fit their types (execution refuses those itself).
 */
export function findUnstorableString(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
): UnstorableString | undefined {
  if (!mayHoldUnstorableString(schema, document, rawVariables)) return undefined;
  const { coerced: variables } = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  if (!variables) return undefined;
  const operationDocument = separateOperations(document)[operation.name?.value ?? ''] ?? document;
  const typeInfo = new TypeInfo(schema);
  let found: UnstorableString | undefined;
  const check = (
    definition: GraphQLField<unknown, unknown> | GraphQLDirective | null | undefined,
    node: FieldNode | DirectiveNode,
  ) => {
    if (!definition) return undefined;
    found = findInArguments(definition, node, variables);
    return found ? BREAK : undefined;
  };
  visit(
    operationDocument,
    visitWithTypeInfo(typeInfo, {
      Field: (node) => check(typeInfo.getFieldDef(), node),
      Directive: (node) => check(typeInfo.getDirective(), node),
    }),
  );
  return found;
}

/**
 * Whether any string an argument can be given is unstorable, by a cheap superset of the exact walk:
 * argument strings come from the variables as sent, the document's string literals (variable
 * defaults included) and the schema's defaults, so when none of those holds one there is nothing to
 * find. The document and schema answers are kept per object (Apollo Server reuses a parsed document
 * for the same operation text), which leaves a walk of the variables per request in the usual case.
 */
function mayHoldUnstorableString(schema: GraphQLSchema, document: DocumentNode, rawVariables: Record<string, unknown>): boolean {
  return findInValue(rawVariables, '') !== undefined || hasUnstorableLiteral(document) || hasUnstorableDefault(schema);
}

const documentsWithUnstorableLiterals = new WeakMap<DocumentNode, boolean>();

function hasUnstorableLiteral(document: DocumentNode): boolean {
  let found = documentsWithUnstorableLiterals.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue(node) {
        if (findInValue(node.value, '') === undefined) return undefined;
        found = true;
        return BREAK;
      },
    });
    documentsWithUnstorableLiterals.set(document, found);
  }
  return found;
}

const schemasWithUnstorableDefaults = new WeakMap<GraphQLSchema, boolean>();

function hasUnstorableDefault(schema: GraphQLSchema): boolean {
  let found = schemasWithUnstorableDefaults.get(schema);
  if (found === undefined) {
    const defaults = [
      ...schema.getDirectives().flatMap((directive) => directive.args),
      ...Object.values(schema.getTypeMap()).flatMap((type) =>
        isObjectType(type) || isInterfaceType(type)
          ? Object.values(type.getFields()).flatMap((field) => field.args)
          : isInputObjectType(type)
            ? Object.values(type.getFields())
            : [],
      ),
    ].map((argument) => argument.defaultValue);
    found = defaults.some((value) => findInValue(value, '') !== undefined);
    schemasWithUnstorableDefaults.set(schema, found);
  }
  return found;
}

function findInArguments(
  definition: GraphQLField<unknown, unknown> | GraphQLDirective,
  node: FieldNode | DirectiveNode,
  variables: Record<string, unknown>,
): UnstorableString | undefined {
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(definition, node, variables);
  } catch {
    // A value the executor will refuse with its own error; nothing of it reaches a resolver.
    return undefined;
  }
  for (const [name, value] of Object.entries(values)) {
    const found = findInValue(value, name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Walks a coerced value without recursion (a custom scalar may hold JSON nested deeper than the call
 * stack): strings are checked, lists and plain objects entered, anything else (numbers, Dates) left.
 */
function findInValue(root: unknown, rootPath: string): UnstorableString | undefined {
  const pending: [unknown, string][] = [[root, rootPath]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { argumentName: path, problem: 'NUL' };
      if (LONE_SURROGATE.test(value)) return { argumentName: path, problem: 'LONE_SURROGATE' };
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push([value[index], `${path}[${index}]`]);
    } else if (isPlainObject(value)) {
      for (const [key, field] of Object.entries(value).reverse()) pending.push([field, `${path}.${key}`]);
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The refusal of an unstorable string: BAD_USER_INPUT naming the argument, HTTP 400, nothing run. */
export class UnstorableStringError extends BadUserInputError {
  constructor({ argumentName, problem }: UnstorableString) {
    super(`${argumentName} must not contain ${DESCRIPTIONS[problem]}.`, argumentName, { http: { status: 400 } });
  }
}

/**
 * Refuses, before any resolver runs, an operation whose arguments hold a string that cannot be
 * stored (findUnstorableString), so every service answers it alike on SQLite and Postgres and no
 * database sees it. Apollo Server applies `extensions.http` (400) and strips it from the body.
 */
export function refuseUnstorableStrings<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // An operation Apollo Server could not pick is refused by it (or the router) with its own code.
          if (!operation) return;
          const found = findUnstorableString(schema, document, operation, request.variables ?? {});
          if (found) throw new UnstorableStringError(found);
        },
      };
    },
  };
}
