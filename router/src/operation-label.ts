import type { OperationLabeler } from '@supergraph/server-kit/http';
import { Kind, type DocumentNode } from 'graphql';

/** The label of an operation that has no name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** The label of every named operation that is not a known one. */
export const OTHER_OPERATION = 'other';

/**
 * The `operation` label of the router's GraphQL metrics: the operation's name when it is one of
 * `knownNames` (the persisted query list's), `anonymous` when it has none, and `other` for any other
 * name. A client picks its operation names freely, so labelling by them as sent would let it add
 * series without bound; this keeps the router's series to the listed operations plus two.
 */
export function createOperationLabeler(knownNames: ReadonlySet<string>): OperationLabeler {
  return ({ operationName, document }) => {
    const name = operationName ?? soleOperationName(document);
    if (!name) return ANONYMOUS_OPERATION;
    return knownNames.has(name) ? name : OTHER_OPERATION;
  };
}

/** The name of a document's operation when it holds exactly one, as GraphQL runs it without an operationName. */
function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const operations = document?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? operations[0]!.name?.value : undefined;
}
