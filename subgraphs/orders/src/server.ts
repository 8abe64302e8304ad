import { createGraphQLService, type GraphQLService, type Logger, type ServiceMetrics } from '@supergraph/server-kit';
import { createContextFactory } from './context.js';
import type { OrdersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface OrdersServiceOptions {
  database: OrdersDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
}

/** The orders subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createOrdersService({ database, ...options }: OrdersServiceOptions): Promise<GraphQLService> {
  return createGraphQLService({
    name: 'orders',
    ...options,
    graphql: { schema: buildSchema() },
    context: createContextFactory(database),
    isReady: () => database.isReachable(),
    onShutdown: () => database.close(),
  });
}
