import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit/db';
import type { GraphQLService } from '@supergraph/server-kit/http';
import { createDialectDescribe, createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openProductsDatabase } from '../src/db/client.js';
import { seedCatalog } from '../src/db/seed.js';
import { createInventoryMetrics, type InventoryMetrics } from '../src/inventory/metrics.js';
import { createProductsService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

/** What the tests' internal API callers present in x-service-credential. */
export const TEST_INVENTORY_SECRET = 'test-inventory-secret';
/** Reservation lifetime when a test's request names none. */
export const TEST_RESERVATION_TTL_SECONDS = 900;

/** A products subgraph on a fresh database of the given dialect, seeded with the demo catalog. */
export async function createProductsHarness(dialect: Dialect, seed: Partial<SeedOptions> = {}) {
  let service: GraphQLService | undefined;
  let inventoryMetrics: InventoryMetrics | undefined;
  const harness = await createSubgraphHarness({
    service: 'products',
    dialect,
    openDatabase: openProductsDatabase,
    seed: (database) => seedCatalog(database, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: async (options) => {
      // As main.ts wires them: the expiry backlog on this service's /metrics.
      inventoryMetrics = createInventoryMetrics(options.metrics.registry, { database: options.database, logger: options.logger });
      service = await createProductsService({
        ...options,
        inventory: { secret: TEST_INVENTORY_SECRET, defaultTtlSeconds: TEST_RESERVATION_TTL_SECONDS },
      });
      return service;
    },
    createContext: createContextFactory,
  });
  return {
    ...harness,
    /** The HTTP server (not listening until a test calls listen(0)). */
    service: service!,
    /** What the expiry sweep counts on this service's /metrics. */
    inventoryMetrics: inventoryMetrics!,
  };
}

export type ProductsHarness = Awaited<ReturnType<typeof createProductsHarness>>;

/**
 * `describeProducts(title, seed, define)`: define's tests once per dialect, each pass over a products subgraph
 * of its own seeded with `seed`.
 */
export const describeProducts = createDialectDescribe(createProductsHarness);
