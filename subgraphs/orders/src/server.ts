import { createSubgraphService, type GraphQLService, type SubgraphServiceOptions } from '@supergraph/server-kit/http';
import type { CheckoutService } from './checkout/index.js';
import { createContextFactory } from './context.js';
import type { OrdersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface OrdersServiceOptions extends SubgraphServiceOptions<OrdersDatabase> {
  /** createOrder and cancelOrder. */
  checkout: CheckoutService;
  /** Runs after the server has drained and before the database closes (index.ts stops the recovery loop). Default nothing. */
  onShutdown?: () => Promise<void>;
}

/** The orders subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createOrdersService({ checkout, ...options }: OrdersServiceOptions): Promise<GraphQLService> {
  return createSubgraphService({
    name: 'orders',
    ...options,
    schema: buildSchema(),
    context: createContextFactory(options.database, checkout),
  });
}
