import type { Viewer } from '@supergraph/contracts/identity';
import { dataOf, type ExecuteResult } from './subgraph-harness.js';

/** What resolveReferences needs of a subgraph harness (createSubgraphHarness gives both). */
export interface ReferenceResolver {
  execute(query: string, variables?: Record<string, unknown>, as?: { viewer?: Viewer | null }): Promise<ExecuteResult>;
  countStatements(run: () => Promise<unknown>): Promise<number>;
}

/**
 * Resolves `ids` as references to `typename` through _entities in one request, as the router sends
 * them, selecting only their ids; returns the entities answered (after checking the answer has no
 * errors) and how many SQL statements the subgraph ran to answer.
 */
export async function resolveReferences(
  harness: ReferenceResolver,
  typename: string,
  ids: readonly string[],
  as: { viewer?: Viewer | null } = {},
): Promise<{ entities: unknown[]; statements: number }> {
  const query = `#graphql
    query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { id } } }`;
  const representations = ids.map((id) => ({ __typename: typename, id }));
  let entities: unknown[] = [];
  const statements = await harness.countStatements(async () => {
    entities = dataOf(await harness.execute(query, { representations }, as))._entities as unknown[];
  });
  return { entities, statements };
}
