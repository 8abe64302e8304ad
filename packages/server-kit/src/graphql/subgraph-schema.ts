import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';

type SubgraphResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: DocumentNode }>['resolvers']
>;

/**
 * Builds a Federation 2 subgraph schema from its contract file (schema.graphql) and its resolvers.
 * `resolvers` is the codegen-typed map; Apollo's own resolver-map type is looser and describes the
 * same object, so the one cast between them lives here.
 */
export function buildSubgraphSchemaFromFile(schemaFile: URL, resolvers: object): GraphQLSchema {
  const typeDefs = parse(readFileSync(schemaFile, 'utf8'));
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as SubgraphResolverMap });
}
