import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openOrdersDatabase } from '../src/db/client.js';
import { seedOrders } from '../src/db/seed.js';
import { createOrdersService } from '../src/server.js';

export { dataOf } from '@supergraph/server-kit/testing';

/** An orders subgraph on a fresh SQLite file seeded with the demo orders. */
export function createOrdersHarness(seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'orders',
    openDatabase: openOrdersDatabase,
    seed: (db) => seedOrders(db, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createOrdersService,
    createContext: createContextFactory,
  });
}

export type OrdersHarness = Awaited<ReturnType<typeof createOrdersHarness>>;
