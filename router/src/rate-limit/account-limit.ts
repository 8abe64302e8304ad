import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { TooManyAccountMutationsError } from '../errors.js';

/**
 * The mutations that cost the users service real work whoever sends them: `register`, `login` and
 * `changePassword` run scrypt (about 128 MiB and 100 to 300 ms each), `refreshToken` writes a session.
 * The users service limits them per client address and per account (decision 022); the router only
 * keeps one operation from carrying several.
 */
export const ACCOUNT_MUTATIONS: ReadonlySet<string> = new Set(['register', 'login', 'refreshToken', 'changePassword']);

/** Account mutations one operation may hold. */
export const MAX_ACCOUNT_MUTATIONS = 1;

/**
 * The root fields of an operation, through inline fragments and fragment spreads (each fragment
 * followed once per path, so a cycle, which validation refuses anyway, cannot loop). `@skip` and
 * `@include` are ignored: the result is every field the operation can run.
 */
export function collectRootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
    ),
  );
  const fields: FieldNode[] = [];
  const collect = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment, new Set([...seen, selection.name.value]));
      }
    }
  };
  collect(operation.selectionSet, new Set());
  return fields;
}

/**
 * The response keys (alias, else name) of the account mutations an operation runs, in document
 * order. Aliases are separate executions, so each counts; fields under one response key are merged
 * by GraphQL into one execution (validation makes them identical), so they count once.
 */
export function findAccountMutations(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  if (operation.operation !== OperationTypeNode.MUTATION) return [];
  const keys = collectRootFields(document, operation)
    .filter((field) => ACCOUNT_MUTATIONS.has(field.name.value))
    .map((field) => field.alias?.value ?? field.name.value);
  return [...new Set(keys)];
}

/** Refuses, with 400 TOO_MANY_ACCOUNT_MUTATIONS, an operation holding more than one account mutation. */
export function checkAccountMutationCount(mutations: string[]): void {
  if (mutations.length <= MAX_ACCOUNT_MUTATIONS) return;
  throw new TooManyAccountMutationsError(mutations.length, MAX_ACCOUNT_MUTATIONS);
}
