import { createGraphQLService, type GraphQLService, type Logger, type ServiceMetrics } from '@supergraph/server-kit';
import { createContextFactory } from './context.js';
import type { UsersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface UsersServiceOptions {
  database: UsersDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
}

/** The users subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createUsersService({ database, ...options }: UsersServiceOptions): Promise<GraphQLService> {
  return createGraphQLService({
    name: 'users',
    ...options,
    graphql: { schema: buildSchema() },
    context: createContextFactory(database),
    isReady: () => database.isReachable(),
    onShutdown: () => database.close(),
  });
}
