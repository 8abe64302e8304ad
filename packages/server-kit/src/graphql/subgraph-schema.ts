import { readFileSync } from 'node:fs';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

/**
 * Builds a Federation 2 subgraph schema from its contract file (schema.graphql) and its resolvers.
 * `resolvers` is the codegen-typed map; Apollo's own resolver-map type is looser and describes the
 * same object, so the one cast between them lives here.
 */
export function buildSubgraphSchemaFromFile(schemaFile: URL, resolvers: object): GraphQLSchema {
  const typeDefs = parse(readFileSync(schemaFile, 'utf8'));
  return buildSubgraphSchema([{ typeDefs, resolvers: resolvers as GraphQLResolverMap }]);
}
