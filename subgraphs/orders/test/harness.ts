import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openOrdersDatabase } from '../src/db/client.js';
import { seedOrders } from '../src/db/seed.js';
import { createOrdersService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

/** A orders subgraph on a fresh database of the given dialect, seeded with the demo orders. */
export function createOrdersHarness(dialect: Dialect, seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'orders',
    dialect,
    openDatabase: openOrdersDatabase,
    seed: (database) => seedOrders(database, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createOrdersService,
    createContext: createContextFactory,
  });
}

export type OrdersHarness = Awaited<ReturnType<typeof createOrdersHarness>>;
