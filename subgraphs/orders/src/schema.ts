import { buildSubgraphSchemaFromFile } from '@supergraph/server-kit';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** The subgraph schema: the contract in schema.graphql with this package's resolvers. */
export function buildSchema(): GraphQLSchema {
  return buildSubgraphSchemaFromFile(new URL('../schema.graphql', import.meta.url), resolvers);
}
