import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** The contract, read from schema.graphql at the package root. */
export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export function buildSchema(): GraphQLSchema {
  // Codegen's Resolvers type is stricter than Apollo's untyped resolver map; they describe the same object.
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}
