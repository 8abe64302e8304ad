import { applyPermissions } from '@supergraph/server-kit/auth';
import { buildSubgraphSchemaFromFile } from '@supergraph/server-kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { permissionRules } from './permissions.js';
import { resolvers } from './resolvers/index.js';

/**
 * The subgraph schema: the contract in schema.graphql with this package's resolvers, every field
 * behind its rule in permissions.ts. Entity references (`__resolveReference`, kept in each type's
 * `extensions` by @apollo/subgraph) survive the shield; the `_entities` tests prove it.
 */
export function buildSchema(): GraphQLSchema {
  const schema = buildSubgraphSchemaFromFile(new URL('../schema.graphql', import.meta.url), resolvers);
  return applyPermissions(schema, permissionRules);
}
