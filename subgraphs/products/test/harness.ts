import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openProductsDatabase } from '../src/db/client.js';
import { seedCatalog } from '../src/db/seed.js';
import { createProductsService } from '../src/server.js';

export { dataOf } from '@supergraph/server-kit/testing';

/** A products subgraph on a fresh SQLite file seeded with the demo catalog. */
export function createProductsHarness(seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'products',
    openDatabase: openProductsDatabase,
    seed: (db) => seedCatalog(db, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createProductsService,
    createContext: createContextFactory,
  });
}

export type ProductsHarness = Awaited<ReturnType<typeof createProductsHarness>>;
