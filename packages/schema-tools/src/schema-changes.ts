import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { SupergraphView } from './supergraph-view.js';

/** How a change affects existing clients, in graphql-inspector's terms. */
export type Criticality = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

/** One difference between the base and the proposed API schema. */
export interface SchemaChange {
  /** graphql-inspector's change type, e.g. `FIELD_REMOVED`; with `path`, what an acceptance matches. */
  type: string;
  criticality: Criticality;
  /** graphql-inspector's path: `Product.sku`, `Query.product.id` (an argument), `OrderStatus.PENDING`. */
  path: string;
  /** The GraphQL schema coordinate of the element: `Product.sku`, `Query.product(id:)`. */
  coordinate: string;
  message: string;
  /** Why graphql-inspector rates it so, when it says. */
  reason?: string;
  /** Subgraphs that define the element: in the proposed supergraph, or the base one for a removal. */
  subgraphs: string[];
}

const CRITICALITY_ORDER: Record<Criticality, number> = { BREAKING: 0, DANGEROUS: 1, NON_BREAKING: 2 };

/**
 * Compares what clients can query in the base and the proposed supergraph (their API schemas, so
 * federation's join directives and `@inaccessible` elements never show up as changes). Breaking
 * changes first, then dangerous, then safe ones, each group in graphql-inspector's order.
 */
export async function findSchemaChanges(base: SupergraphView, proposed: SupergraphView): Promise<SchemaChange[]> {
  const changes = await diff(base.apiSchema, proposed.apiSchema);
  return changes
    .map((change) => describeChange(change, base, proposed))
    .map((change, index) => ({ change, index }))
    .sort((a, b) => CRITICALITY_ORDER[a.change.criticality] - CRITICALITY_ORDER[b.change.criticality] || a.index - b.index)
    .map(({ change }) => change);
}

function describeChange(change: Change, base: SupergraphView, proposed: SupergraphView): SchemaChange {
  const path = change.path ?? '';
  const owners = proposed.findOwners(path);
  return {
    type: String(change.type),
    criticality: toCriticality(change.criticality.level),
    path,
    coordinate: toSchemaCoordinate(String(change.type), path),
    message: change.message,
    ...(change.criticality.reason === undefined ? {} : { reason: change.criticality.reason }),
    subgraphs: owners.length > 0 ? owners : base.findOwners(path),
  };
}

function toCriticality(level: CriticalityLevel): Criticality {
  if (level === CriticalityLevel.Breaking) return 'BREAKING';
  if (level === CriticalityLevel.Dangerous) return 'DANGEROUS';
  return 'NON_BREAKING';
}

/** graphql-inspector writes an argument as `Type.field.argument`; schema coordinates say `Type.field(argument:)`. */
function toSchemaCoordinate(type: string, path: string): string {
  const parts = path.split('.');
  if (type.startsWith('FIELD_ARGUMENT_') && parts.length === 3) return `${parts[0]}.${parts[1]}(${parts[2]}:)`;
  if (type.startsWith('DIRECTIVE_ARGUMENT_') && parts.length === 2) return `${parts[0]}(${parts[1]}:)`;
  return path;
}
