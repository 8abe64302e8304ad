import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import type { Dialect } from '@supergraph/server-kit';
import { createSubgraphHarness } from '@supergraph/server-kit/testing';
import { createContextFactory } from '../src/context.js';
import { openUsersDatabase } from '../src/db/client.js';
import { seedUsers } from '../src/db/seed.js';
import { createUsersService } from '../src/server.js';

export { dataOf, testDialects } from '@supergraph/server-kit/testing';

/** A users subgraph on a fresh database of the given dialect, seeded with the demo accounts. */
export function createUsersHarness(dialect: Dialect, seed: Partial<SeedOptions> = {}) {
  return createSubgraphHarness({
    service: 'users',
    dialect,
    openDatabase: openUsersDatabase,
    seed: (database) => seedUsers(database, { ...DEFAULT_SEED_OPTIONS, ...seed }),
    createService: createUsersService,
    createContext: createContextFactory,
  });
}

export type UsersHarness = Awaited<ReturnType<typeof createUsersHarness>>;
