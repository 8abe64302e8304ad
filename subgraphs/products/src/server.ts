import { createGraphQLService, type GraphQLService, type Logger, type ServiceMetrics } from '@supergraph/server-kit';
import { createContextFactory } from './context.js';
import type { ProductsDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface ProductsServiceOptions {
  database: ProductsDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
}

/** The products subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createProductsService({ database, ...options }: ProductsServiceOptions): Promise<GraphQLService> {
  return createGraphQLService({
    name: 'products',
    ...options,
    graphql: { schema: buildSchema() },
    context: createContextFactory(database),
    isReady: () => database.isReachable(),
    onShutdown: () => database.close(),
  });
}
