import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openProductsDatabase } from '../src/db/client.js';
import { seedCatalog } from '../src/db/seed.js';
import { createProductsService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

/** A products subgraph on a fresh database of the given dialect, seeded with the demo catalog. */
export function createProductsHarness(dialect: Dialect, seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'products',
    dialect,
    openDatabase: openProductsDatabase,
    seed: (database) => seedCatalog(database, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createProductsService,
    createContext: createContextFactory,
  });
}

export type ProductsHarness = Awaited<ReturnType<typeof createProductsHarness>>;
