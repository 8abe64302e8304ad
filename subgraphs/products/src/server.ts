import {
  authenticateRequests,
  createGraphQLService,
  requireRouterSecret,
  type AccessTokenVerifier,
  type GraphQLService,
  type Logger,
  type ServiceMetrics,
} from '@supergraph/server-kit';
import { createContextFactory } from './context.js';
import type { ProductsDatabase } from './db/client.js';
import { createInventoryRoutes } from './inventory/internal-api.js';
import { buildSchema } from './schema.js';

export interface ProductsServiceOptions {
  database: ProductsDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
  /** What the router must present in x-router-secret; anything else is refused before GraphQL runs. */
  routerSecret: string;
  /** Verifies the access token the router forwards; the viewer comes from it alone. */
  verifyAccessToken: AccessTokenVerifier;
  /** The internal inventory API (/internal/reservations) for the orders service. */
  inventory: {
    /** What callers must present in x-service-credential. */
    secret: string;
    /** Lifetime of a reservation whose request names none, in seconds. */
    defaultTtlSeconds: number;
  };
  /** Runs after the server has drained and before the database closes (index.ts stops the expiry sweep). Default nothing. */
  onShutdown?: () => Promise<void>;
}

/** The products subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createProductsService({
  database,
  routerSecret,
  verifyAccessToken,
  inventory,
  onShutdown,
  ...options
}: ProductsServiceOptions): Promise<GraphQLService> {
  return createGraphQLService({
    name: 'products',
    ...options,
    graphql: { schema: buildSchema() },
    graphqlMiddleware: [requireRouterSecret(routerSecret), authenticateRequests(verifyAccessToken)],
    context: createContextFactory(database),
    routes: createInventoryRoutes({
      database,
      logger: options.logger,
      secret: inventory.secret,
      defaultTtlSeconds: inventory.defaultTtlSeconds,
    }),
    isReady: () => database.isReachable(),
    onShutdown: async () => {
      await onShutdown?.();
      await database.close();
    },
  });
}
