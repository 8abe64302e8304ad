import { createSubgraphService, type GraphQLService, type SubgraphServiceOptions } from '@supergraph/server-kit';
import { createContextFactory } from './context.js';
import type { OrdersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export type OrdersServiceOptions = SubgraphServiceOptions<OrdersDatabase>;

/** The orders subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createOrdersService(options: OrdersServiceOptions): Promise<GraphQLService> {
  return createSubgraphService({
    name: 'orders',
    ...options,
    schema: buildSchema(),
    context: createContextFactory(options.database),
  });
}
