import { createSubgraphService, type GraphQLService, type SubgraphServiceOptions } from '@supergraph/server-kit/http';
import { createContextFactory } from './context.js';
import type { ProductsDatabase } from './db/client.js';
import { createInventoryRoutes } from './inventory/internal-api.js';
import { buildSchema } from './schema.js';

export interface ProductsServiceOptions extends SubgraphServiceOptions<ProductsDatabase> {
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
export function createProductsService({ inventory, ...options }: ProductsServiceOptions): Promise<GraphQLService> {
  return createSubgraphService({
    name: 'products',
    ...options,
    schema: buildSchema(),
    context: createContextFactory(options.database),
    routes: createInventoryRoutes({
      database: options.database,
      logger: options.logger,
      secret: inventory.secret,
      defaultTtlSeconds: inventory.defaultTtlSeconds,
    }),
  });
}
